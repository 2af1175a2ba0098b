"""Ids, owners and roles sent in a form are never trusted: extra fields are ignored."""
from __future__ import annotations

from sqlalchemy import select

from portal.agreements.models import AgreementAcceptance
from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.discussions.models import Post, Thread
from tests.conftest import post

EXTRA = {"id": "1", "user_id": "1", "author_id": "1", "cohort_id": "1", "role": "facilitator",
         "is_site_admin": "y", "active": "0", "session_version": "99", "status": "active", "course_id": "999",
         "number": "1", "email": "takeover@example.org"}


def test_account_form_changes_only_name_and_pronouns(client, auth, db, learner):
    auth.login(learner)
    post(client, "/account", {**EXTRA, "display_name": "New Name", "pronouns": "she/her"})
    db.session.expire_all()
    user = db.session.get(User, learner.id)
    assert (user.display_name, user.email, user.is_site_admin, user.active, user.session_version) == \
        ("New Name", "learner@example.org", False, True, 1)


def test_posts_belong_to_the_signed_in_author_and_the_cohort_in_the_url(client, auth, db, cohort, other_cohort,
                                                                       learner, outsider):
    auth.login(learner)
    extra = {**EXTRA, "author_id": str(outsider.id), "cohort_id": str(other_cohort.id)}
    post(client, f"/cohorts/{cohort.id}/discussions/general/new",
         {**extra, "title": "Mine", "body": "My words", "client_token": "ma1"})
    thread = db.session.scalars(select(Thread).where(Thread.title == "Mine")).one()
    post(client, f"/cohorts/{cohort.id}/threads/{thread.id}", {**extra, "body": "More words", "client_token": "ma2"})
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
    assert thread.cohort_id == cohort.id and thread.author_id == learner.id
    assert [(p.author_id, p.cohort_id, p.number) for p in posts] == [(learner.id, cohort.id, 1),
                                                                    (learner.id, cohort.id, 2)]


def test_a_learner_cannot_make_themselves_a_facilitator(client, auth, db, cohort, learner):
    auth.login(learner)
    post(client, f"/cohorts/{cohort.id}/agreement", {**EXTRA, "role": "facilitator"})
    post(client, f"/cohorts/{cohort.id}/members", EXTRA)
    m = db.session.scalars(select(Membership).where(Membership.user_id == learner.id)).one()
    assert (m.role, m.status) == ("learner", "active")


def test_accepting_the_agreement_records_only_the_signed_in_person(client, auth, db, cohort, make_user, enrol,
                                                                   learner):
    newcomer = make_user("newcomer@example.org")
    enrol(newcomer, cohort, accepted=False)
    from portal.agreements.services import current_version
    version = current_version(cohort.id)
    auth.login(learner)
    post(client, f"/cohorts/{cohort.id}/agreement", {"version_id": version.id, "agree": "y",
                                                      "user_id": str(newcomer.id)})
    accepted = db.session.scalars(select(AgreementAcceptance.user_id).where(
        AgreementAcceptance.version_id == version.id)).all()
    assert newcomer.id not in accepted


def test_a_new_cohort_uses_the_loaded_course_whatever_the_form_says(client, auth, db, site_admin, course):
    auth.login(site_admin)
    post(client, "/admin/cohorts/new", {**EXTRA, "name": "Spring", "status": "planned"})
    cohort = db.session.scalars(select(Cohort).where(Cohort.name == "Spring")).one()
    assert cohort.course_id == course.id
