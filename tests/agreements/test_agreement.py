"""The group agreement: versions, acceptance, ground rules, and who has agreed."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from portal.agreements.models import AgreementAcceptance, AgreementVersion
from portal.agreements.services import accept_agreement
from portal.errors import RuleViolation
from tests.conftest import REPO, post


def current(db, cohort):
    db.session.expire_all()
    return db.session.scalars(AgreementVersion.select_current(cohort.id)).one()


def test_facilitator_page_is_invisible_outside_and_404_for_learners(client, auth, learner, facilitator, cohort,
                                                                   assert_isolated):
    assert_isolated(f"/cohorts/{cohort.id}/manage/agreement")
    assert_isolated(f"/cohorts/{cohort.id}/manage/agreement", method="POST")
    auth.login(learner)
    assert client.get(f"/cohorts/{cohort.id}/manage/agreement").status_code == 404


def test_changing_ground_rules_makes_everyone_agree_again(client, auth, facilitator, learner, cohort, db, app):
    from tests.conftest import login
    from tests.agreements.test_agreement_changes import save_rules
    auth.login(facilitator)
    response = save_rules(client, cohort, "- Be kind\n- Phones away")  # issue 11: a preview comes first
    assert response.status_code == 302
    version = current(db, cohort)
    assert version.number == 2 and "<li>Be kind</li>" in version.ground_rules_html
    learner_client = app.test_client()
    login(learner_client, learner.email)
    assert learner_client.get(f"/cohorts/{cohort.id}/").status_code == 302  # must agree again
    # Issue 11: the facilitator who saved the change has read it and accepted it by saving.
    page = client.get(f"/cohorts/{cohort.id}/manage/agreement")
    assert page.status_code == 200


def test_saving_the_same_ground_rules_makes_no_new_version(client, auth, facilitator, cohort, db):
    auth.login(facilitator)
    post(client, f"/cohorts/{cohort.id}/manage/agreement", {"ground_rules": ""})
    assert current(db, cohort).number == 1


def test_over_long_ground_rules_are_refused_and_kept(client, auth, facilitator, cohort, db):
    auth.login(facilitator)
    response = post(client, f"/cohorts/{cohort.id}/manage/agreement", {"ground_rules": "x" * 10_001})
    assert response.status_code == 422
    assert "10,000 characters or fewer" in response.get_data(as_text=True)
    assert "x" * 10_001 in response.get_data(as_text=True)
    assert current(db, cohort).number == 1


def test_facilitators_see_who_has_not_agreed(client, auth, facilitator, learner, make_user, enrol, cohort):
    waiting = make_user(name="Wendy Waiting")
    enrol(waiting, cohort, accepted=False)
    auth.login(facilitator)
    body = client.get(f"/cohorts/{cohort.id}/manage/agreement").get_data(as_text=True)
    assert "Still to accept this version: 1 of 3 people." in body  # issue 11: "1 of 3 person" was wrong
    assert "Wendy Waiting" in body


def test_accepting_twice_records_once_and_a_stale_version_is_refused(db, make_user, enrol, cohort):
    user = make_user()
    enrol(user, cohort, accepted=False)
    version = current(db, cohort)
    accept_agreement(user, cohort, version.id)
    accept_agreement(user, cohort, version.id)
    assert len(db.session.scalars(select(AgreementAcceptance).where(
        AgreementAcceptance.user_id == user.id)).all()) == 1
    from portal.agreements.services import update_ground_rules
    update_ground_rules(None, cohort, "New rule")
    with pytest.raises(RuleViolation):
        accept_agreement(user, cohort, version.id)


def test_a_forged_version_id_is_refused_kindly(client, auth, make_user, enrol, cohort, other_cohort, db):
    user = make_user()
    enrol(user, cohort, accepted=False)
    auth.login(user)
    theirs = current(db, other_cohort)
    response = post(client, f"/cohorts/{cohort.id}/agreement", {"version_id": theirs.id, "agree": "y"})
    assert response.status_code == 302
    assert "changed while you were reading" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = post(client, f"/cohorts/{cohort.id}/agreement", {"version_id": "abc", "agree": "y"})
    assert response.status_code == 302
    assert client.get(f"/cohorts/{cohort.id}/").status_code == 302  # still not agreed


def test_a_changed_confidentiality_text_renews_every_cohort(db, tmp_path, make_cohort):
    from portal.course.loader import load_content
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    load_content(content)
    cohort = make_cohort("Renewal cohort")
    before = current(db, cohort).number
    path = content / "agreements" / "confidentiality.md"
    path.write_text(path.read_text() + "\nOne more sentence.\n")
    report = load_content(content)
    assert report.renewed_agreements >= 1
    assert current(db, cohort).number == before + 1
    assert "One more sentence." in current(db, cohort).confidentiality_html
