"""Facilitators' feedback tools: hiding feedback that breaches the group agreement, and allocating by hand."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.exercises.allocating import restricted_ids
from portal.moderation.restrictions import restricted_sql
from portal.discussions.text import clean_body
from portal.errors import NotFound, RuleViolation
from portal.exercises.allocation import can_review
from portal.exercises.feedback_models import REASON_MAX, Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.notifications.events import record as notify


class InvalidReason(RuleViolation):  # also: a choice missing from a form
    status = 422


def hide_feedback(actor, feedback: Feedback, reason: str | None) -> None:
    """Hide given feedback from the author; the reviewer sees the reason. A moderation action like any other
    (portal/moderation/actions.py): audited, its open flags resolved, and the reviewer told."""
    from portal.moderation.actions import hide_item

    reason = clean_body(reason)
    if not reason:
        raise InvalidReason("Please say why this feedback is hidden: the person who gave it will see your reason.")
    if len(reason) > REASON_MAX:
        raise InvalidReason(f"A reason can be up to {REASON_MAX} characters. Please shorten it.")
    hide_item(actor, _feedback_subject(feedback), reason)


def show_feedback_again(actor, feedback: Feedback) -> None:
    from portal.moderation.actions import restore_item

    restore_item(actor, _feedback_subject(feedback))


def _feedback_subject(feedback: Feedback):
    from portal.moderation.subjects import load_subject

    subject = load_subject("feedback", feedback.id, feedback.cohort_id) if feedback.is_given else None
    if subject is None:
        raise NotFound("That feedback isn't here.")
    return subject


@dataclass(frozen=True)
class AllocationRow:
    id: int
    reviewer: str
    author: str
    response_id: int
    begun: bool
    manual: bool
    reviewer_id: int = 0
    given: bool = False


@lru_cache(maxsize=1)
def _rows_statement():
    """Built once, plain columns (no ORM objects): building it per visit cost more than the query (make bench)."""
    reviewer, author = aliased(User, name="reviewer"), aliased(User, name="author")
    return (select(ReviewAllocation.id, reviewer.display_name, author.display_name, ReviewAllocation.response_id,
                   Feedback.id, ReviewAllocation.manual, ReviewAllocation.reviewer_id, Feedback.status)
            .join(reviewer, reviewer.id == ReviewAllocation.reviewer_id)
            .join(author, author.id == ReviewAllocation.author_id)
            .outerjoin(Feedback, (Feedback.response_id == ReviewAllocation.response_id)
                       & (Feedback.reviewer_id == ReviewAllocation.reviewer_id))
            .where(ReviewAllocation.cohort_id == bindparam("cohort_id"),
                   ReviewAllocation.exercise_id == bindparam("exercise_id"))
            .order_by(author.display_name, reviewer.display_name))


def allocation_rows(cohort_id: int, exercise_id: int) -> list[AllocationRow]:
    rows = db.session.execute(_rows_statement(), {"cohort_id": cohort_id, "exercise_id": exercise_id})
    return [AllocationRow(a_id, r, w, response_id, f is not None, manual, reviewer_id, status == "given")
            for a_id, r, w, response_id, f, manual, reviewer_id, status in rows]


@lru_cache(maxsize=1)
def _choices_statements():
    """Built once with bound values: building them on each visit cost more than running them (make bench)."""
    now = bindparam("now")
    learners = (select(User.id, User.display_name).join(Membership, Membership.user_id == User.id)
                .where(Membership.cohort_id == bindparam("cohort_id"), Membership.role == "learner",
                       Membership.status == "active", ~restricted_sql(now))
                .order_by(User.display_name, User.id))
    responses = (select(ExerciseResponse.id, User.display_name).join(User, User.id == ExerciseResponse.author_id)
                 .join(Membership, (Membership.user_id == User.id)
                       & (Membership.cohort_id == ExerciseResponse.cohort_id))
                 .where(ExerciseResponse.cohort_id == bindparam("cohort_id"),
                        ExerciseResponse.exercise_id == bindparam("exercise_id"),
                        ExerciseResponse.status == "submitted", Membership.role == "learner",
                        Membership.status == "active")
                 .order_by(User.display_name, ExerciseResponse.id))
    return learners, responses


def allocation_choices(cohort_id: int, exercise_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(active learners who may review, submitted responses of active learners by author name) for the
    add-a-pair form. Muted or suspended members aren't offered as reviewers: they can't give feedback while it
    lasts; responses of members away (paused, left) aren't offered: the next allocation would take the pair off."""
    learners, responses = _choices_statements()
    values = {"cohort_id": cohort_id, "exercise_id": exercise_id, "now": utcnow()}
    return ([tuple(r) for r in db.session.execute(learners, values)],
            [tuple(r) for r in db.session.execute(responses, values)])


def waiting_for_reviewers(rows: list[AllocationRow], choices, k: int) -> list[tuple[str, int]]:
    """(author's name, reviewers still missing) for each shared response with fewer than k reviewers who can
    give feedback (or have given it): a response nobody else may review yet waits here, where facilitators
    see it. Uses what the page already read (``allocation_rows`` and ``allocation_choices``)."""
    able = {uid for uid, _name in choices[0]}
    have: dict[int, int] = {}
    for row in rows:
        if row.given or row.reviewer_id in able:
            have[row.response_id] = have.get(row.response_id, 0) + 1
    responses = choices[1]
    return [(name, k - have.get(rid, 0)) for rid, name in responses if have.get(rid, 0) < k]


def add_allocation(cohort_id: int, exercise: Exercise, reviewer_id: int | None, response_id: int | None) -> None:
    """A facilitator's own pair: kept by later automatic allocations."""
    if reviewer_id is None or response_id is None:
        raise InvalidReason("Please choose a reviewer and a response from the lists.")
    response = db.session.scalars(select(ExerciseResponse).where(
        ExerciseResponse.id == (response_id or 0), ExerciseResponse.cohort_id == cohort_id,
        ExerciseResponse.exercise_id == exercise.id, ExerciseResponse.status == "submitted")).first()
    reviewer = db.session.scalar(select(Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.user_id == (reviewer_id or 0),
        Membership.role == "learner", Membership.status == "active"))
    if response is None or reviewer is None:
        raise NotFound("That person or response isn't in this cohort's exercise.")
    if reviewer in restricted_ids(cohort_id):
        raise RuleViolation("That person is muted or suspended for now, so they can't give feedback. "
                            "Please choose someone else.")
    pairs = db.session.execute(select(ReviewAllocation.reviewer_id, ReviewAllocation.author_id).where(
        ReviewAllocation.response_id == response.id)).all()
    if not can_review(reviewer, response.author_id, [tuple(p) for p in pairs]):
        raise RuleViolation("That pair can't be added: nobody reviews their own response, and each person "
                            "reviews a response once.")
    row = ReviewAllocation(cohort_id=cohort_id, exercise_id=exercise.id, response_id=response.id,
                           reviewer_id=reviewer, author_id=response.author_id, manual=True)
    db.session.add(row)
    try:
        db.session.flush()
        notify("review_allocated", cohort_id, None, "allocation", row.id)
        db.session.commit()
    except IntegrityError:  # the same pair added twice at once
        db.session.rollback()


def remove_allocation(cohort_id: int, exercise: Exercise, allocation_id: int | None) -> None:
    """Take a pair away, unless its feedback has begun (then it stays)."""
    if allocation_id is None:
        raise InvalidReason("Please choose an allocation to remove from the list.")
    allocation = db.session.scalars(select(ReviewAllocation).where(
        ReviewAllocation.id == (allocation_id or 0), ReviewAllocation.cohort_id == cohort_id,
        ReviewAllocation.exercise_id == exercise.id)).first()
    if allocation is None:
        raise NotFound("That allocation isn't here any more.")
    begun = db.session.scalar(select(Feedback.id).where(Feedback.response_id == allocation.response_id,
                                                        Feedback.reviewer_id == allocation.reviewer_id))
    if begun is not None:
        raise RuleViolation("Feedback on this response has begun, so this allocation stays.")
    db.session.delete(allocation)
    db.session.commit()
