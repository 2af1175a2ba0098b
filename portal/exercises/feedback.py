"""Giving feedback on responses, and allocating reviewers in "allocated" mode.

Who may give feedback on a response (besides being able to see it, see visibility.py):
- never its author;
- the cohort's facilitators (and site admins) in every mode;
- in open mode, a learner who has submitted their own response to the exercise;
- in allocated mode, a learner the response is allocated to;
- in facilitator-only mode, nobody else.
Paused members and archived cohorts are refused before any of this (permissions: read-only).
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.dates import utcnow
from portal.discussions.models import Draft
from portal.discussions.text import clean_body
from portal.errors import RuleViolation
from portal.exercises.allocating import place_reviewers
from portal.exercises.allocation import Allocation
from portal.exercises.feedback_models import CONSIDER_MAX, WORKED_MAX, Feedback, ReviewAllocation
from portal.exercises.models import CohortExerciseSetting, Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.markdown import render_markdown
from portal.moderation import holding
from portal.notifications.events import record as notify


class InvalidFeedback(RuleViolation):
    status = 422


class AlreadyGiven(RuleViolation):
    status = 409


def draft_key(response_id: int) -> str:
    """The key of the autosaved draft of feedback (the discussions' draft machinery)."""
    return f"feedback:{response_id}"


def refusal(response: ExerciseResponse, mode: str, *, reviewer_id: int, facilitating: bool,
            own_submitted: bool, allocated: bool) -> str | None:
    """Why this person can't give feedback on this (visible) response, in plain words; None if they can."""
    if response.author_id == reviewer_id:
        return "This is your own response, so you can't give feedback on it."
    if not response.is_submitted:
        return "This response hasn't been shared yet."
    return mode_refusal(mode, facilitating=facilitating, own_submitted=own_submitted, allocated=allocated)


def mode_refusal(mode: str, *, facilitating: bool, own_submitted: bool, allocated: bool,
                 exercise_wide: bool = False) -> str | None:
    """Why this person can't give feedback in this exercise's mode yet; None if they can. `allocated`: this
    response (or, exercise_wide, any response of the exercise) is allocated to them."""
    if facilitating:
        return None
    if mode == "facilitator-only":
        return "In this exercise, feedback comes from your facilitators."
    if mode == "allocated" and not allocated:
        return ("No responses have been allocated to you for feedback yet." if exercise_wide
                else "This response hasn't been allocated to you for feedback.")
    if mode == "open" and not own_submitted:
        return "Share your own response to this exercise first, then you can give feedback on others'."
    return None


def check_ratings(exercise: Exercise, ratings: dict[str, str], *, complete: bool) -> dict[str, str]:
    """Only the exercise's criteria, each with one of its own step labels (words, never numbers)."""
    steps = {c["key"]: [s["label"] for s in c["steps"]] for c in exercise.criteria}
    chosen = {}
    for key, label in ratings.items():
        if key not in steps or label not in steps[key]:
            raise InvalidFeedback("One of the choices on the scale wasn't recognised. Please choose again from "
                                  "the steps shown. Your words are kept below.")
        chosen[key] = label
    if complete and len(chosen) < len(steps):
        raise InvalidFeedback("Please choose a step for each criterion before you give your feedback. "
                              "Your words are kept below.")
    return chosen


def checked_text(what_worked: str | None, to_consider: str | None, *, give: bool) -> tuple[str, str]:
    worked, consider = clean_body(what_worked), clean_body(to_consider)
    if give and not worked:
        raise InvalidFeedback("Please start with what worked well: it is the one part that is needed.")
    if len(worked) > WORKED_MAX or len(consider) > CONSIDER_MAX:
        raise InvalidFeedback(f"Each part of your feedback can be up to {WORKED_MAX:,} characters. Please "
                              "shorten it. Your words are kept below.")
    return worked, consider


def save_feedback(reviewer_id: int, response: ExerciseResponse, exercise: Exercise, what_worked: str | None,
                  ratings: dict[str, str], to_consider: str | None, *, give: bool,
                  client_token: str | None) -> Feedback:
    """Save the reviewer's feedback as a draft, or give it. Given feedback is final; the same form sent
    twice (same client token) changes nothing."""
    worked, consider = checked_text(what_worked, to_consider, give=give)
    chosen = check_ratings(exercise, ratings, complete=give)
    feedback = own_feedback(reviewer_id, response.id)
    if feedback is not None and feedback.is_given:
        if client_token and feedback.client_token == client_token:
            return feedback  # the same form arrived twice: the first one counted
        raise AlreadyGiven("You have already given feedback on this response.")
    if not give and not (worked or consider or chosen):
        raise InvalidFeedback("There is nothing to save yet.")
    if feedback is None:
        feedback = Feedback(cohort_id=response.cohort_id, response_id=response.id, reviewer_id=reviewer_id)
        db.session.add(feedback)
    feedback.what_worked, feedback.what_worked_html = worked, render_markdown(worked) if worked else ""
    feedback.to_consider = consider or None
    feedback.to_consider_html = render_markdown(consider) if consider else None
    feedback.ratings, feedback.updated_at, feedback.client_token = chosen, utcnow(), client_token or None
    if give:
        feedback.status, feedback.given_at = "given", utcnow()
        if reason := holding.safety_reason(worked, consider):  # waits for a facilitator; alerted at once
            holding.hold(feedback, reason)
            holding.alert_for(feedback, "feedback", reviewer_id)
    db.session.execute(delete(Draft).where(Draft.user_id == reviewer_id, Draft.cohort_id == response.cohort_id,
                                           Draft.key == draft_key(response.id)))
    try:
        if give and not feedback.is_held:  # held feedback tells its author once a facilitator releases it
            db.session.flush()
            notify("feedback_received", response.cohort_id, None if exercise.anonymous_reviewers else reviewer_id,
                   "feedback", feedback.id)
        db.session.commit()
    except IntegrityError:  # the same first save arrived twice at once: the other request made it
        db.session.rollback()
        existing = own_feedback(reviewer_id, response.id)
        if existing is None:
            raise
        return existing
    return feedback


def own_feedback(reviewer_id: int, response_id: int) -> Feedback | None:
    return db.session.scalars(select(Feedback).where(Feedback.response_id == response_id,
                                                     Feedback.reviewer_id == reviewer_id)).first()


def feedback_draft_spent(user_id: int, response_id: int) -> bool:
    """For the discussions' autosave: once feedback is given, a late autosave never brings it back."""
    feedback = own_feedback(user_id, response_id)
    return feedback is not None and feedback.is_given


def is_allocated(reviewer_id: int, response_id: int) -> bool:
    return db.session.scalar(select(ReviewAllocation.id).where(ReviewAllocation.response_id == response_id,
                                                               ReviewAllocation.reviewer_id == reviewer_id)) is not None


def allocate_reviewers(cohort_id: int, exercise: Exercise) -> Allocation:
    """(Re)allocate reviewers among the active learners who have submitted a response (a facilitator's
    "Allocate reviewers"). Pairs whose feedback has begun, and a facilitator's own choices, stay as they are."""
    result, _taken_off = place_reviewers(cohort_id, exercise)
    db.session.commit()
    return result


def release_response_feedback(response: ExerciseResponse) -> None:
    """"Give before you get": let this response's author read its feedback now."""
    if response.feedback_released_at is None:
        response.feedback_released_at = utcnow()
        db.session.commit()


def release_exercise_feedback(cohort_id: int, exercise: Exercise) -> None:
    """"Give before you get": let every author in the cohort read the feedback on their response now."""
    setting = db.session.scalars(select(CohortExerciseSetting).where(
        CohortExerciseSetting.cohort_id == cohort_id, CohortExerciseSetting.exercise_id == exercise.id)).first()
    if setting is None:  # no mode of its own: the exercise file's mode still applies
        setting = CohortExerciseSetting(cohort_id=cohort_id, exercise_id=exercise.id, mode=None)
        db.session.add(setting)
    if setting.feedback_released_at is None:
        setting.feedback_released_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # released twice at once: the other request did it
        db.session.rollback()
