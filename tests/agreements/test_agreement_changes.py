"""Changing the ground rules: a preview first, a small correction that needs no new yes, members shown what
changed, the facilitator who wrote it not sent through the gate, and every change and yes in the audit log."""
from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import select

from portal.agreements.diff import diff_text, diff_words
from portal.agreements.models import AgreementVersion
from portal.audit.models import AuditEvent
from tests.conftest import login, post


def current(db, cohort):
    db.session.expire_all()
    return db.session.scalars(AgreementVersion.select_current(cohort.id)).one()


def actions(db):
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def previewed(body: str) -> str:
    return re.search(r'name="previewed" type="hidden" value="([^"]+)"', body).group(1)


def save_rules(client, cohort, text, change="renew"):
    """Preview, then save what was previewed, as a facilitator does."""
    url = f"/cohorts/{cohort.id}/manage/agreement"
    page = post(client, url, {"ground_rules": text, "preview": "Preview changes"})
    assert page.status_code == 200
    return post(client, url, {"ground_rules": text, "previewed": previewed(page.get_data(as_text=True)),
                              "change": change, "save": "Save ground rules"})


def test_a_preview_comes_first_and_saves_nothing(client, auth, facilitator, cohort, db):
    auth.login(facilitator)
    response = post(client, f"/cohorts/{cohort.id}/manage/agreement",
                    {"ground_rules": "- Be kind\n- Phones away", "preview": "Preview changes"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check your changes" in body and "<li>Be kind</li>" in body and "Save ground rules" in body
    assert "<ins>- Be kind</ins>" in body  # what changed, marked up and labelled in words
    assert "New line:" in body
    assert current(db, cohort).number == 1


def test_saving_needs_the_previewed_text_and_a_choice(client, auth, facilitator, cohort, db):
    auth.login(facilitator)
    url = f"/cohorts/{cohort.id}/manage/agreement"
    response = post(client, url, {"ground_rules": "Be kind", "save": "Save ground rules", "change": "renew",
                                  "previewed": "not-what-was-previewed"})
    assert response.status_code == 200 and "changed after the preview" in response.get_data(as_text=True)
    assert current(db, cohort).number == 1
    digest = previewed(response.get_data(as_text=True))
    response = post(client, url, {"ground_rules": "Be kind", "save": "Save ground rules", "previewed": digest})
    assert response.status_code == 422
    assert "Choose whether everyone needs to accept" in response.get_data(as_text=True)
    assert "Be kind" in response.get_data(as_text=True) and current(db, cohort).number == 1


def test_the_facilitator_who_saves_is_not_sent_through_the_gate(client, auth, facilitator, learner, cohort, db, app):
    auth.login(facilitator)
    response = save_rules(client, cohort, "- Be kind")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Welcome to the cohort" not in body
    assert client.get(f"/cohorts/{cohort.id}/").status_code == 200
    learner_client = app.test_client()
    login(learner_client, learner.email)
    assert learner_client.get(f"/cohorts/{cohort.id}/").status_code == 302  # everyone else agrees again
    assert actions(db) == ["agreement.changed"]


def test_members_see_what_changed_and_are_not_welcomed_again(client, auth, facilitator, learner, cohort, db, app):
    auth.login(facilitator)
    save_rules(client, cohort, "- Be kind\n- Phones away")
    learner_client = app.test_client()
    login(learner_client, learner.email)
    post(learner_client, f"/cohorts/{cohort.id}/agreement", {"version_id": current(db, cohort).id, "agree": "y"})
    save_rules(client, cohort, "- Be kind to each other\n- Phones away")
    body = learner_client.get(f"/cohorts/{cohort.id}/agreement").get_data(as_text=True)
    assert "It has changed since you last agreed" in body or "has changed since you last agreed" in body
    assert "What has changed since you agreed" in body
    assert "<ins><span class=\"visually-hidden\">[added:] </span> to each other</ins>" in body
    assert "Changed:" in body
    response = post(learner_client, f"/cohorts/{cohort.id}/agreement",
                    {"version_id": current(db, cohort).id, "agree": "y"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Welcome to the cohort" not in body and "agreeing to them" in body
    assert actions(db).count("agreement.accepted") == 2


def test_a_new_learner_is_not_told_it_changed(client, auth, facilitator, make_user, enrol, cohort, db):
    auth.login(facilitator)
    save_rules(client, cohort, "- Be kind")
    save_rules(client, cohort, "- Be very kind")
    newcomer = make_user(name="New Person")
    enrol(newcomer, cohort, accepted=False)
    auth.logout()
    auth.login(newcomer)
    body = client.get(f"/cohorts/{cohort.id}/agreement").get_data(as_text=True)
    assert "changed since" not in body and "What has changed" not in body
    response = post(client, f"/cohorts/{cohort.id}/agreement", {"version_id": current(db, cohort).id, "agree": "y"},
                    follow_redirects=True)
    assert "Welcome to the cohort" in response.get_data(as_text=True)


def test_a_small_correction_needs_no_new_yes_and_is_recorded(client, auth, facilitator, learner, cohort, db, app):
    auth.login(facilitator)
    save_rules(client, cohort, "- Be knid")
    learner_client = app.test_client()
    login(learner_client, learner.email)
    post(learner_client, f"/cohorts/{cohort.id}/agreement", {"version_id": current(db, cohort).id, "agree": "y"})
    response = save_rules(client, cohort, "- Be kind", change="correction")
    assert response.status_code == 302
    version = current(db, cohort)
    assert version.number == 3 and version.is_correction
    assert learner_client.get(f"/cohorts/{cohort.id}/").status_code == 200  # no new yes needed
    body = learner_client.get(f"/cohorts/{cohort.id}/agreement").get_data(as_text=True)
    assert "Small corrections since you agreed" in body and "a small correction" in body
    manage = client.get(f"/cohorts/{cohort.id}/manage/agreement").get_data(as_text=True)
    assert "Everyone in the cohort has accepted this version" in manage
    assert actions(db)[-1] == "agreement.corrected"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.corrected")).one()
    assert (event.subject_type, event.subject_id, event.cohort_id) == ("agreement_versions", version.id, cohort.id)


def test_a_forged_change_choice_is_refused(client, auth, facilitator, cohort, db):
    auth.login(facilitator)
    response = post(client, f"/cohorts/{cohort.id}/manage/agreement",
                    {"ground_rules": "Be kind", "change": "skip-everyone", "save": "Save ground rules"})
    assert response.status_code == 422 and current(db, cohort).number == 1


def test_diff_reads_line_by_line_and_word_by_word():
    lines = diff_text("- Be kind\n- Phones away\n- Start on time", "- Be kind\n- Phones off\n- Start on time\n- Tea")
    assert [line.kind for line in lines] == ["same", "changed", "same", "added"]
    assert [(p.kind, p.text) for p in diff_words("- Phones away", "- Phones off")] == \
        [("same", "- Phones "), ("removed", "away"), ("added", "off")]
    assert diff_text("same\ntext", "same\ntext\n") == []
    long_old = "\n".join(f"rule {n}" for n in range(20))
    kinds = [line.kind for line in diff_text(long_old, long_old.replace("rule 10", "rule ten"))]
    assert kinds == ["skip", "same", "same", "changed", "same", "same", "skip"]


def test_ground_rules_typed_as_the_session_ends_come_back_after_signing_in(app, client, db, cohort, facilitator):
    """The ground rules form holds writing like any composer: a lost session keeps it (issue 11)."""
    import html as html_lib

    from tests.conftest import csrf_token, login

    words = "Phones face down. We listen first & speak <b>second</b>."
    url = f"/cohorts/{cohort.id}/manage/agreement"
    login(client, facilitator.email)
    page = client.get(url).get_data(as_text=True)
    owner = html_lib.unescape(re.search(r'name="keep_owner" value="([^"]+)"', page).group(1))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})  # signed out in another tab

    response = client.post(url, data={"ground_rules": words, "preview": "Preview changes", "keep_owner": owner,
                                      "csrf_token": token})
    assert response.status_code == 401
    assert str(escape(words)) in response.get_data(as_text=True)
    login(client, facilitator.email)
    assert str(escape(words)) in client.get(url).get_data(as_text=True)
