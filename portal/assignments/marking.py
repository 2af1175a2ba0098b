"""Marking: feedback and an outcome, an optional second facilitator's moderation, then release."""
from __future__ import annotations

from portal.assignments.content import assignment
from portal.assignments.models import Marking, Submission
from portal.audit.services import record
from portal.dates import utcnow
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import db
from portal.links import external_url
from portal.mail import queue_mail


def marking_of(submission_id: int) -> Marking | None:
    from sqlalchemy import select

    return db.session.scalar(select(Marking).where(Marking.submission_id == submission_id))


def _outcome(submission: Submission, outcome: str) -> str:
    item = assignment(submission.assignment_slug)
    if item is None or outcome not in item.outcomes:
        raise InvalidInput("Please choose one of the outcomes offered.")
    return outcome


def mark(actor, cohort, submission: Submission, feedback: str, outcome: str, moderate: bool) -> Marking:
    row = marking_of(submission.id)
    if row is not None and row.state == "released":
        raise RuleViolation("This feedback has already been released to the learner.")
    if row is None:
        row = Marking(submission_id=submission.id, outcome="")
        db.session.add(row)
    row.marker_id, row.feedback, row.outcome = actor.id, feedback, _outcome(submission, outcome)
    row.state = "awaiting moderation" if moderate else "draft"
    row.moderator_id = row.moderated_at = None
    record(actor, "assignment marked", subject=submission, cohort=cohort, detail=f"outcome: {row.outcome}")
    if not moderate:
        _release(actor, cohort, submission, row)
    db.session.commit()
    return row


def moderate(actor, cohort, submission: Submission, outcome: str) -> None:
    row = marking_of(submission.id)
    if row is None or row.state != "awaiting moderation":
        raise RuleViolation("This marking isn't waiting for moderation.")
    if row.marker_id == actor.id:
        raise RuleViolation("A second facilitator moderates the outcome: please ask a colleague.")
    before, row.outcome = row.outcome, _outcome(submission, outcome)
    row.moderator_id, row.moderated_at, row.state = actor.id, utcnow(), "draft"
    record(actor, "assignment outcome moderated", subject=submission, cohort=cohort,
           detail=f"{before} -> {row.outcome}")
    _release(actor, cohort, submission, row)
    db.session.commit()


def _release(actor, cohort, submission: Submission, row: Marking) -> None:
    from portal.auth.models import User

    row.state, row.released_at = "released", utcnow()
    record(actor, "assignment feedback released", subject=submission, cohort=cohort)
    from portal.notifications.events import record as notify

    notify("assignment_returned", cohort.id, actor.id, "submission", submission.id)  # in their list too
    learner = db.session.get(User, submission.user_id)
    item = assignment(submission.assignment_slug)
    title = item.title if item else "your assignment"
    queue_mail(learner.email, "Feedback on your assignment is ready",
               f"Your facilitator has returned feedback on \"{title}\". You can read it here:\n\n"
               + external_url("assignments.receipt", cohort_id=cohort.id, submission_id=submission.id))
