"""New submissions (facilitators), and the periodic job: reminders before a review or an assignment is due,
and feedback overdue (facilitators). Once only: a re-run records nothing new; a missed run is caught up."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.assignments import services as assignments
from portal.assignments.models import AssignmentDue, AssignmentExtension
from portal.cohorts.models import CohortSession
from portal.dates import local_today, utcnow
from portal.exercises import feedback as feedback_service
from portal.notifications import fanout
from portal.notifications.kinds import KINDS
from portal.notifications.models import NotificationEvent
from portal.notifications.reminders import FINDERS, record_reminders
from tests.assignments.factories import add_sessions_to_eleven, open_session
from tests.exercises.factories import CRITERIA, add_exercise, add_response
from tests.notifications.conftest import mails_to, notes_of

SLUG = "my-recovery-story"


def kinds(db, user):
    return [n.kind for n in notes_of(db, user)]


def run() -> int:
    recorded = record_reminders()
    fanout.sweep()
    return recorded


@pytest.fixture
def eleven(db, course):
    """The assignment opens after session 6: the course needs it before the cohort's timetable is made."""
    add_sessions_to_eleven(db, course)


@pytest.fixture
def essays(db, eleven, cohort):
    open_session(db, cohort, 6)
    return cohort


def test_reminders_are_declared_in_the_kinds_registry():
    assert {k.name for k in KINDS.values() if k.before_due} == set(FINDERS) == {"review_due", "assignment_due"}


def test_a_submission_tells_the_cohorts_facilitators_only(db, essays, cohort, learner, peer, facilitator, outsider,
                                                          make_user, enrol, other_cohort):
    elsewhere = make_user("far@example.org", name="Far Facilitator")
    enrol(elsewhere, other_cohort, "facilitator")
    submission = assignments.submit(learner, cohort, SLUG, "My story, in my words")
    fanout.sweep()
    assert kinds(db, facilitator) == ["new_submission"]
    assert kinds(db, learner) == kinds(db, peer) == kinds(db, outsider) == kinds(db, elsewhere) == []
    assert [m.subject for m in mails_to(db, facilitator)] == []  # a daily digest by default
    from portal.notifications import mailer
    assert mailer.digest("daily") == 1
    digest = mails_to(db, facilitator)[-1]
    assert "Lee Learner handed in “" in digest.body and "in my words" not in digest.body
    from portal.notifications.services import open_notification
    assert open_notification(facilitator.id, notes_of(db, facilitator)[0].id) == (
        "assignment_marking.mark", {"cohort_id": cohort.id, "submission_id": submission.id})
    assert open_notification(learner.id, notes_of(db, facilitator)[0].id) is None


def test_an_assignment_reminder_goes_once_to_learners_who_have_not_handed_in(
        db, essays, cohort, learner, peer, facilitator, outsider, make_user, enrol):
    extended = make_user("ext@example.org", name="Eli Extended")
    enrol(extended, cohort)
    assignments.submit(peer, cohort, SLUG, "Done early")
    db.session.add(AssignmentDue(cohort_id=cohort.id, assignment_slug=SLUG, due_at=utcnow() + timedelta(days=3)))
    db.session.add(AssignmentExtension(cohort_id=cohort.id, assignment_slug=SLUG, user_id=extended.id,
                                       due_at=utcnow() + timedelta(days=10)))
    db.session.commit()
    assert run() == 0  # three days ahead: not yet
    due = db.session.scalar(select(AssignmentDue))
    due.due_at = utcnow() + timedelta(hours=20)
    db.session.commit()
    assert run() == 1
    assert kinds(db, learner) == ["assignment_due"]
    assert "A reminder: “" in mails_to(db, learner)[-1].subject
    for person in (peer, extended, facilitator, outsider):
        assert "assignment_due" not in kinds(db, person)
    assert run() == 0 and kinds(db, learner) == ["assignment_due"]  # once only
    assignments.submit(learner, cohort, SLUG, "Handed in after the reminder")
    fanout.sweep()
    from portal.notifications import services
    assert services.list_page(learner.id, 1)[0] == []  # handed in: the reminder has done its work


@pytest.fixture
def reviews(db, course, opened, cohort, learner, peer, facilitator, make_user, enrol):
    third = make_user("third@example.org", name="Tamsin Third")
    enrol(third, cohort)
    exercise = add_exercise(course, 1, mode="allocated")
    responses = {u.id: add_response(cohort, exercise, u) for u in (learner, peer, third)}
    feedback_service.allocate_reviewers(cohort.id, exercise)
    fanout.sweep()
    return exercise, responses, third


def due_in(db, cohort, exercise, days: int) -> None:
    """Move session 1's day so that the exercise's feedback is due `days` from today."""
    entry = db.session.scalar(select(CohortSession).where(
        CohortSession.cohort_id == cohort.id, CohortSession.course_session_id == exercise.course_session_id))
    entry.day = local_today() + timedelta(days=days - exercise.feedback_due_days)
    db.session.commit()


def test_a_review_reminder_goes_the_day_before_once_and_not_to_those_who_have_given(
        db, reviews, cohort, learner, peer, facilitator, outsider):
    exercise, responses, third = reviews
    due_in(db, cohort, exercise, 3)
    assert run() == 0
    rated = {c["key"]: "clear" for c in CRITERIA}
    for response in (responses[learner.id], responses[third.id]):
        feedback_service.save_feedback(peer.id, response, exercise, "Warm", rated, None, give=True, client_token=None)
    due_in(db, cohort, exercise, 1)
    assert run() == 2  # the learner and the third learner; the peer has given both
    assert kinds(db, learner)[-1] == "review_due" and "review_due" not in kinds(db, peer)
    reminder = f"A reminder: your feedback on “{exercise.title}” is due by "
    assert mails_to(db, learner)[-1].subject.startswith(reminder)
    assert "review_due" not in kinds(db, facilitator) + kinds(db, outsider)
    assert run() == 0 and kinds(db, learner).count("review_due") == 1


def test_a_missed_run_is_caught_up_on_the_due_day(db, reviews, cohort, learner):
    exercise, _responses, _third = reviews
    due_in(db, cohort, exercise, 0)
    assert run() == 3 and kinds(db, learner)[-1] == "review_due"


def test_overdue_feedback_tells_the_facilitators_once_per_exercise(db, reviews, cohort, learner, peer, facilitator,
                                                                  outsider):
    exercise, _responses, _third = reviews
    due_in(db, cohort, exercise, -1)
    assert run() == 1
    assert kinds(db, facilitator) == ["overdue_feedback"]
    assert "overdue_feedback" not in kinds(db, learner) + kinds(db, peer) + kinds(db, outsider)
    assert run() == 0
    assert db.session.scalar(select(func.count()).select_from(NotificationEvent)
                             .where(NotificationEvent.kind == "overdue_feedback")) == 1
    from portal.notifications import mailer
    mailer.digest("daily")
    body = mails_to(db, facilitator)[-1].body
    assert f"Some feedback on “{exercise.title}” is overdue (it was due " in body
    for person in (learner, peer):
        assert person.display_name not in body


def test_long_past_due_dates_are_not_announced(db, reviews, cohort, facilitator):
    exercise, _responses, _third = reviews
    due_in(db, cohort, exercise, -30)
    assert run() == 0
