"""Moderation level per session (pre-moderation, a cohort's override) and the facilitators' usual hours."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cohorts.models import CohortSession
from portal.course.loader import read_content
from portal.course.models import CourseSession
from portal.discussions.models import Post
from portal.moderation.hours import DEFAULT_HOURS
from portal.moderation.models import ModerationAlert
from tests.conftest import REPO, post
from tests.discussions.conftest import starter
from tests.holding.conftest import ORDINARY, c


@pytest.fixture
def premoderated(db, cohort, open_sessions):
    """Session 1 moderated before posting, with a content warning asked for (as content/ sets session 10)."""
    open_sessions(cohort, 1)
    session = db.session.scalars(select(CourseSession).where(CourseSession.number == 1)).one()
    session.moderation, session.content_warning_required = "before", True
    db.session.commit()
    return starter(db, cohort, 1)


def _reply(client, cohort, thread, body=ORDINARY, warning="Suicide", token="t1"):
    return post(client, c(cohort, f"threads/{thread.id}"),
                {"body": body, "client_token": token, "warning_choice": "other", "warning_other": warning})


def test_content_sets_session_ten_to_pre_moderated_with_a_content_warning():
    sessions = {s["number"]: s for s in read_content(REPO / "content").sessions}
    assert (sessions[10]["moderation"], sessions[10]["content_warning_required"]) == ("before", True)
    assert all(s["moderation"] == "after" for n, s in sessions.items() if n != 10)


def test_every_post_in_a_pre_moderated_session_is_held(client, auth, db, cohort, learner, peer, facilitator,
                                                      premoderated):
    auth.login(learner)
    page = client.get(c(cohort, f"threads/{premoderated.id}")).get_data(as_text=True)
    assert "read by a facilitator before others see them" in page
    assert _reply(client, cohort, premoderated).status_code == 302
    held = db.session.scalars(select(Post).where(Post.author_id == learner.id)).one()
    assert held.held_reason == "pre_moderation" and held.is_held
    assert db.session.scalars(select(ModerationAlert)).one().reason == "pre_moderation"
    page = client.get(c(cohort, f"threads/{premoderated.id}")).get_data(as_text=True)
    assert "waiting for a facilitator" in page and "Keep it for my facilitators" in page
    auth.logout()
    auth.login(peer)
    assert ORDINARY not in client.get(c(cohort, f"threads/{premoderated.id}")).get_data(as_text=True)
    auth.logout()
    auth.login(facilitator)
    page = client.get(c(cohort, f"threads/{premoderated.id}")).get_data(as_text=True)
    assert "read by a facilitator before others see them" not in page  # not for facilitators
    post(client, c(cohort, f"held/post/{held.id}/release"))
    auth.logout()
    auth.login(peer)
    assert ORDINARY in client.get(c(cohort, f"threads/{premoderated.id}")).get_data(as_text=True)


def test_a_facilitators_post_is_not_held(client, auth, db, cohort, facilitator, premoderated):
    auth.login(facilitator)
    _reply(client, cohort, premoderated)
    assert db.session.scalars(select(Post).where(Post.author_id == facilitator.id)).one().held_at is None


def test_a_content_warning_is_asked_for_kindly_and_the_words_stay(client, auth, db, cohort, learner, premoderated):
    auth.login(learner)
    response = post(client, c(cohort, f"threads/{premoderated.id}"), {"body": "My own words", "client_token": "x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "please add a content warning" in page and "My own words" in page
    assert db.session.scalar(select(func.count(Post.id)).where(Post.author_id == learner.id)) == 0


def test_a_facilitator_changes_a_sessions_level_for_their_cohort(client, auth, db, cohort, learner, facilitator,
                                                                premoderated):
    auth.login(facilitator)
    assert "When a facilitator reads posts" in client.get(c(cohort, "manage/timetable")).get_data(as_text=True)
    assert post(client, c(cohort, "manage/sessions/1/moderation"), {"level": "after"}).status_code == 302
    entry = db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id)
                               .order_by(CohortSession.id)).first()
    assert entry.moderation == "after"
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "session.moderation_changed")) == 1
    response = post(client, c(cohort, "manage/sessions/1/moderation"), {"level": "sometimes"})
    assert response.status_code == 422 and "Nothing has been changed" in response.get_data(as_text=True)
    auth.logout()
    auth.login(learner)
    _reply(client, cohort, premoderated)
    assert db.session.scalars(select(Post).where(Post.author_id == learner.id)).one().held_at is None


def test_learners_and_other_cohorts_cannot_change_levels_or_hours(client, auth, db, cohort, learner, premoderated,
                                                                 assert_isolated):
    auth.login(learner)
    assert post(client, c(cohort, "manage/sessions/1/moderation"), {"level": "after"}).status_code == 404
    assert client.get(c(cohort, "manage/usual-hours")).status_code == 404
    auth.logout()
    assert_isolated(c(cohort, "manage/usual-hours"))
    assert_isolated(c(cohort, "manage/usual-hours"), method="POST", data={"usual_hours": "x"})
    assert_isolated(c(cohort, "manage/sessions/1/moderation"), method="POST", data={"level": "after"})


def test_usual_hours_show_on_home_and_need_help_now(client, auth, db, cohort, learner, facilitator):
    auth.login(learner)
    assert DEFAULT_HOURS in client.get(c(cohort, "")).get_data(as_text=True)
    auth.logout()
    auth.login(facilitator)
    words = "We read the portal on Tuesday and Thursday mornings. At other times, posts wait for us."
    assert post(client, c(cohort, "manage/usual-hours"), {"usual_hours": words}).status_code == 302
    too_long = post(client, c(cohort, "manage/usual-hours"), {"usual_hours": "x" * 1001})
    assert too_long.status_code == 422 and "x" * 1001 in too_long.get_data(as_text=True)
    auth.logout()
    auth.login(learner)
    assert words in client.get(c(cohort, "")).get_data(as_text=True)
    assert words in client.get("/need-help-now").get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "cohort.usual_hours_changed")) == 1
