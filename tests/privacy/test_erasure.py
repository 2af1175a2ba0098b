"""Erasure: asked by the member, confirmed by a site admin (audited); afterwards the same model walk finds
nothing of the person: no words, no address or name, and only the references registry.ERASURE_KEEPS lists."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from portal import storage
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.discussions.models import Post, PostRevision
from portal.errors import NotFound, RuleViolation
from portal.extensions import db
from portal.privacy import erasure
from portal.privacy.erasure import FORMER_MEMBER, REDACTED, REMOVED_TEXT
from tests.privacy.factories import MARK
from tests.privacy.test_registry import references_left, words_left


def _erase(person, admin):
    request = erasure.request_erasure(person)
    return erasure.confirm_erasure(admin, request.id)


def _search(cohort, words):
    from portal.discussions.models import Thread
    from portal.search import match_posts

    statement = match_posts(select(Post.id).join(Thread, Thread.id == Post.thread_id)
                            .where(Post.cohort_id == cohort.id), Post.id, words)
    return db.session.scalars(statement).all()


def test_erasure_leaves_nothing_of_the_person(app, filled, learner, cohort, site_admin, own_storage):
    name, email = learner.display_name, learner.email
    exported = __import__("portal.privacy.services", fromlist=["x"]).request_export(learner)[0]
    db.session.refresh(exported)
    export_key = exported.file_key
    assert _search(cohort, MARK)  # searchable before
    version = learner.session_version

    _erase(learner, site_admin)

    db.session.expire_all()
    assert words_left(MARK, name, email) == []
    assert references_left(learner.id) == []
    assert _search(cohort, MARK) == []
    if db.engine.dialect.name == "sqlite":
        for fts in ("posts_fts", "threads_fts"):
            assert db.session.execute(text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :w"),
                                      {"w": f'"{MARK}"'}).all() == []
    for key in (filled["file_key"], export_key):
        with pytest.raises(NotFound):
            storage.path_of(key)
    user = db.session.get(User, learner.id)
    assert user.display_name == FORMER_MEMBER and user.email.endswith("@erased.invalid")
    assert not user.active and user.totp_secret is None and user.session_version == version + 1
    assert user.password_hash == "!erased"
    post = db.session.get(Post, filled["post"].id)
    assert post.body_source == REMOVED_TEXT and post.author_id == learner.id
    assert db.session.scalars(select(PostRevision)).all() == []
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == learner.id,
                                                         AuditEvent.subject_type == "users")).all()
    actions = {e.action for e in events}
    assert {"erasure.requested", "erasure.confirmed", "member.left", "member.suspended"} <= actions
    assert all(e.detail in (None, REDACTED) for e in events)
    confirmed = next(e for e in events if e.action == "erasure.confirmed")
    assert confirmed.actor_id == site_admin.id


def test_the_keep_policy_keeps_posts_under_a_former_member(app, filled, learner, site_admin, monkeypatch):
    monkeypatch.setitem(app.config, "ERASURE_POLICY", "keep")
    email = learner.email
    _erase(learner, site_admin)
    db.session.expire_all()
    post = db.session.get(Post, filled["post"].id)
    assert MARK in post.body_source and db.session.get(User, post.author_id).display_name == FORMER_MEMBER
    assert db.session.scalars(select(PostRevision)).all() == []
    kept = set(words_left(MARK))
    assert kept <= {"posts.body_source", "posts.body_html", "threads.title", "exercise_responses.body_source",
                    "exercise_responses.body_html", "feedback.what_worked", "feedback.what_worked_html",
                    "feedback.to_consider", "feedback.to_consider_html", "exercise_responses.take_forward"}
    assert "journal_entries.body_source" not in kept and "submissions.text" not in kept
    assert words_left(email) == []


def test_asking_twice_is_refused_with_a_clear_message(learner):
    erasure.request_erasure(learner)
    with pytest.raises(RuleViolation, match="already asked"):
        erasure.request_erasure(learner)


def test_the_last_facilitator_of_a_running_cohort_is_refused(facilitator, cohort, site_admin):
    with pytest.raises(RuleViolation, match="only facilitator of"):
        erasure.request_erasure(facilitator)


def test_the_last_facilitator_check_applies_again_at_confirmation(facilitator, make_user, enrol, cohort, site_admin):
    second = make_user()
    membership = enrol(second, cohort, role="facilitator")
    request = erasure.request_erasure(facilitator)
    membership.status = "removed"
    db.session.commit()
    with pytest.raises(RuleViolation, match="only facilitator"):
        erasure.confirm_erasure(site_admin, request.id)
    assert db.session.get(User, facilitator.id).active


def test_an_erased_account_can_not_ask_again_nor_be_confirmed_twice(learner, site_admin):
    request = erasure.request_erasure(learner)
    erasure.confirm_erasure(site_admin, request.id)
    with pytest.raises(RuleViolation):
        erasure.confirm_erasure(site_admin, request.id)
    with pytest.raises(RuleViolation, match="already been erased"):
        erasure.request_erasure(db.session.get(User, learner.id))


def test_an_admin_can_not_confirm_their_own_erasure(make_user):
    admin = make_user(admin=True)
    request = erasure.request_erasure(admin)
    with pytest.raises(RuleViolation, match="Another site administrator"):
        erasure.confirm_erasure(admin, request.id)


def test_an_erased_person_is_signed_out_and_can_not_sign_in(app, learner, site_admin, auth, client):
    from tests.conftest import PASSWORD

    email = learner.email
    auth.login(learner)
    assert client.get("/my-data").status_code == 200
    request = erasure.request_erasure(learner)
    erasure.confirm_erasure(site_admin, request.id)
    assert client.get("/my-data").status_code == 302  # the session ended
    from tests.conftest import login
    login(client, email, PASSWORD)
    assert client.get("/my-data").status_code == 302  # the old address and password open nothing


def test_the_audit_log_refuses_every_other_change_in_postgresql(learner):
    """Migration 0028 lets an event's text become REDACTED, and nothing else (0019's rules otherwise)."""
    import sqlalchemy.exc

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    from portal.audit.services import record

    event = record(learner, "member.left", subject=learner, detail="My reason")
    db.session.commit()
    for statement in (f"UPDATE audit_events SET detail = 'Something else' WHERE id = {event.id}",
                      f"UPDATE audit_events SET action = 'x', detail = '{REDACTED.replace(chr(39), chr(39) * 2)}' "
                      f"WHERE id = {event.id}",
                      f"DELETE FROM audit_events WHERE id = {event.id}"):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql(statement)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE audit_events SET detail = '{REDACTED.replace(chr(39), chr(39) * 2)}' "
                             f"WHERE id = {event.id}")
