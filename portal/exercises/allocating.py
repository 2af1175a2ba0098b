"""Storing reviewer allocations in "allocated" mode: after a response is shared, when a facilitator allocates
again, and when a learner leaves, is paused or is removed. None of these commit: the calling service does,
once, so the change of someone's place and the re-balance it causes are one unit of work.

Which stored pairs take part (``allocation.py`` does the choosing):
- a pair whose feedback has been given stays and counts (the author has it);
- a pair whose feedback has begun (a saved draft) stays: nobody's words are taken away. It counts, unless its
  reviewer is away (paused, left, removed): then the author also gets someone present, since that draft
  may never be finished. If the reviewer comes back, the pair is still theirs;
- a pair with nothing begun that joins someone away is taken off, a facilitator's own pair too (it was
  chosen for someone who was there); the responses that lost a reviewer get another, evenly;
- a facilitator's pairs between people present stay as they are.

Someone away includes a paused member's own response: reviewers who have not begun it don't keep it on their
list (the author can't answer feedback or say how it landed while paused, and may not come back). Feedback
begun or given on it stays, and they read it as before. Once restored they are allocated again by the next
allocation of that exercise (the next response shared, or a facilitator's "Allocate reviewers"), not at once.

Muted or suspended by a facilitator (``portal/moderation/restrictions.py``): muting stops someone giving
feedback as it stops them posting, and suspension closes the cohort to them, so while either lasts they are
never a reviewer and count as away as a reviewer only: their own shared response keeps its reviewers (they
read the feedback once the restriction ends). Restricting someone re-balances at once
(:func:`rebalance_for_restriction`); lifting it, or its end, takes nothing back.
"""
from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.exercises.allocation import Allocation, allocate, rebalance_after_leaving
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import DEFAULT_REVIEWERS, Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.dates import utcnow
from portal.exercises.visibility import effective_mode_sql
from portal.extensions import db
from portal.moderation.restrictions import restricted_sql
from portal.notifications.events import record as notify


def restricted_ids(cohort_id: int) -> set[int]:
    """Active members of the cohort muted or suspended right now: they give no feedback while it lasts."""
    now = utcnow()
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.status == "active",
        restricted_sql(now))))


def place_reviewers(cohort_id: int, exercise: Exercise, *, leaver_id: int | None = None) -> tuple[Allocation, int]:
    """(Re)allocate the exercise's reviewers among the active learners who have shared a response, and store
    the result. Returns the allocation and how many pairs joining someone away were taken off."""
    # One allocation of a cohort at a time (PostgreSQL): two at once would each add the same missing pair.
    db.session.execute(select(Cohort.id).where(Cohort.id == cohort_id).with_for_update(key_share=True))
    present = set(db.session.scalars(select(Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.role == "learner", Membership.status == "active")))
    able = present - restricted_ids(cohort_id)  # muted or suspended members give no feedback for now
    responses = {r.author_id: r for r in db.session.scalars(select(ExerciseResponse).where(
        ExerciseResponse.cohort_id == cohort_id, ExerciseResponse.exercise_id == exercise.id,
        ExerciseResponse.status == "submitted")) if r.author_id in present}
    rows = list(db.session.scalars(select(ReviewAllocation).where(ReviewAllocation.cohort_id == cohort_id,
                                                                  ReviewAllocation.exercise_id == exercise.id)))
    begun = {(r, a): status for r, a, status in db.session.execute(
        select(Feedback.reviewer_id, ExerciseResponse.author_id, Feedback.status)
        .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
        .where(ExerciseResponse.cohort_id == cohort_id, ExerciseResponse.exercise_id == exercise.id))}
    existing, locked, taken_off, stored = [], [], [], {}
    for row in rows:
        pair = (row.reviewer_id, row.author_id)
        stored[pair] = row
        away = row.reviewer_id not in able or row.author_id not in present
        if begun.get(pair) == "given" or (pair in begun and row.reviewer_id in able):
            locked.append(pair)
        elif pair in begun:
            continue  # a draft by someone away: kept, but the author gets someone present too
        elif away:
            taken_off.append(row)
        elif row.manual:
            locked.append(pair)
        else:
            existing.append(pair)
    members = sorted(responses)
    reviewers = [m for m in members if m in able]
    k = exercise.reviewers_per_response or DEFAULT_REVIEWERS
    if leaver_id is not None:
        result = rebalance_after_leaving(existing, leaver_id, members, reviewers, k, locked=locked, seed=exercise.id)
    else:
        result = allocate(members, reviewers, k, existing=existing, locked=locked, seed=exercise.id)
    for row in taken_off:
        db.session.delete(row)
    for pair in result.removed:
        db.session.delete(stored[pair])
    new = {}
    for reviewer, author in sorted(result.added):
        row = ReviewAllocation(cohort_id=cohort_id, exercise_id=exercise.id, reviewer_id=reviewer,
                               author_id=author, response_id=responses[author].id)
        db.session.add(row)
        if not responses[author].is_held:  # a held response's reviewers hear of it once it is released
            new.setdefault(reviewer, row)
    db.session.flush()
    for row in new.values():  # one notification per reviewer, however many responses they were given
        notify("review_allocated", cohort_id, None, "allocation", row.id)
    return result, len(taken_off)


def rebalance_for_member(actor, membership: Membership) -> int:
    """Once someone is no longer active in the cohort (left, paused, removed): re-balance every allocated-mode
    exercise they have a pair in, and note each in the audit log. Doesn't commit. Returns exercises changed."""
    user_id, cohort_id = membership.user_id, membership.cohort_id
    involved = (select(ReviewAllocation.exercise_id).where(
        ReviewAllocation.cohort_id == cohort_id,
        (ReviewAllocation.reviewer_id == user_id) | (ReviewAllocation.author_id == user_id)).distinct())
    exercises = db.session.scalars(select(Exercise).where(
        Exercise.id.in_(involved), effective_mode_sql(cohort_id) == "allocated").order_by(Exercise.id)).all()
    changed = 0
    for exercise in exercises:
        result, taken_off = place_reviewers(cohort_id, exercise, leaver_id=user_id)
        if not (result.added or result.removed or taken_off):
            continue
        changed += 1
        kept = db.session.scalar(select(func.count()).select_from(ReviewAllocation).where(
            ReviewAllocation.cohort_id == cohort_id, ReviewAllocation.exercise_id == exercise.id,
            (ReviewAllocation.reviewer_id == user_id) | (ReviewAllocation.author_id == user_id)))
        record(actor, "allocations.rebalanced", subject=db.session.get(User, user_id), cohort=cohort_id,
               detail=_detail(exercise, taken_off + len(result.removed), len(result.added), kept))
    return changed


def rebalance_for_restriction(actor, membership: Membership) -> int:
    """Once a member is muted or suspended: every allocated-mode exercise they review in is re-balanced, so
    their reviews not yet given go to others (or wait, when nobody else may take them), each noted in the
    audit log. Doesn't commit: the restriction and the re-balance are one unit of work. Running it again
    changes nothing. Returns exercises changed."""
    user_id, cohort_id = membership.user_id, membership.cohort_id
    db.session.flush()  # the new restriction is what the allocation reads
    reviewing = (select(ReviewAllocation.exercise_id).where(
        ReviewAllocation.cohort_id == cohort_id, ReviewAllocation.reviewer_id == user_id).distinct())
    exercises = db.session.scalars(select(Exercise).where(
        Exercise.id.in_(reviewing), effective_mode_sql(cohort_id) == "allocated").order_by(Exercise.id)).all()
    changed = 0
    for exercise in exercises:
        result, taken_off = place_reviewers(cohort_id, exercise)
        if not (result.added or result.removed or taken_off):
            continue
        changed += 1
        kept = db.session.scalar(select(func.count()).select_from(ReviewAllocation).where(
            ReviewAllocation.cohort_id == cohort_id, ReviewAllocation.exercise_id == exercise.id,
            ReviewAllocation.reviewer_id == user_id))
        waiting = sum(result.shortfall.values())
        detail = _detail(exercise, taken_off + len(result.removed), len(result.added), kept)
        if waiting:
            detail += f" {_n(waiting, 'review')} waiting for a reviewer: nobody else could take it yet."
        record(actor, "allocations.rebalanced", subject=db.session.get(User, user_id), cohort=cohort_id,
               detail=detail)
    return changed


def _detail(exercise: Exercise, off: int, added: int, kept: int) -> str:
    """Counts only: the log says what changed, never what anyone wrote."""
    parts = [f"{exercise.title}: {_n(off, 'review')} taken off, {_n(added, 'review')} allocated in their place"]
    if kept:
        parts.append(f"{_n(kept, 'review')} already begun kept")
    return ", ".join(parts) + "."


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"

