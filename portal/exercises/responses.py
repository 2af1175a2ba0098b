"""Writing, submitting, editing and reopening exercise responses; due dates; the private self-check."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.dates import local_today, utcnow
from portal.discussions.models import Draft
from portal.discussions.text import clean_body
from portal.errors import NotFound, RuleViolation
from portal.exercises import allocating
from portal.exercises.models import CohortExerciseSetting, Exercise
from portal.exercises.response_models import ANSWER_MAX, RESPONSE_MAX, ExerciseResponse, ResponseRevision, SelfCheck
from portal.extensions import db
from portal.markdown import render_markdown
from portal.moderation import holding


class InvalidResponse(RuleViolation):
    status = 422


class EditConflict(RuleViolation):
    status = 409


class ResponseLocked(RuleViolation):
    status = 409


@dataclass(frozen=True)
class Dues:
    responses: date | None  # None: the session has no date yet ("date to be confirmed")
    feedback: date | None


def draft_key(exercise_id: int) -> str:
    """The key of the autosaved draft of a response (the discussions' draft machinery)."""
    return f"response:{exercise_id}"


def due_dates(exercise: Exercise, session_day: date | None) -> Dues:
    if session_day is None:
        return Dues(None, None)
    return Dues(session_day + timedelta(days=exercise.responses_due_days),
                session_day + timedelta(days=exercise.feedback_due_days))


def is_overdue(due: date | None, today: date | None = None) -> bool:
    """Past the end of the due day, in the course's zone."""
    return due is not None and (today or local_today()) > due


def feedback_has_begun(response: ExerciseResponse) -> bool:
    """Whether anyone has started feedback on this response (a saved draft or given): it then stops
    being editable."""
    from portal.exercises.feedback_models import Feedback
    return response.id is not None and db.session.scalar(
        select(Feedback.id).where(Feedback.response_id == response.id).limit(1)) is not None


def lock_reason(response: ExerciseResponse, due: date | None) -> str | None:
    """Why a submitted response can't be changed now, in plain words; None while it can."""
    if not response.is_submitted or response.reopened:
        return None
    if feedback_has_begun(response):
        return "Feedback on your response has begun, so it can't be changed now. Your facilitator can reopen it."
    if is_overdue(due):
        return "The date for responses has passed, so your response can't be changed now. Your facilitator can reopen it."
    return None


def effective_mode(cohort_id: int, exercise: Exercise) -> str:
    chosen = db.session.scalar(select(CohortExerciseSetting.mode).where(
        CohortExerciseSetting.cohort_id == cohort_id, CohortExerciseSetting.exercise_id == exercise.id))
    return chosen or exercise.mode


def check_response_body(text: str | None) -> str:
    body = clean_body(text)
    if not body:
        raise InvalidResponse("Write your response before saving it.")
    if len(body) > RESPONSE_MAX:
        raise InvalidResponse(f"Your response is {len(body):,} characters long. Responses can be up to "
                              f"{RESPONSE_MAX:,} characters: please shorten it. Your text is kept below.")
    return body


def version_token(response: ExerciseResponse | None) -> str:
    """What the editor carries: the version it opened (0 before there is a response)."""
    return str(response.version) if response is not None else "0"


def save_response(author_id: int, cohort_id: int, exercise: Exercise, body: str, content_warning: str | None,
                  seen_version: str, *, submit: bool, due: date | None) -> ExerciseResponse:
    """Save the author's response as a draft, or submit it (or save changes to a submitted one).

    A resend of the same form (same version seen, same words) changes nothing; another version seen means
    the response was changed elsewhere: refused, the words stay in the form."""
    body = check_response_body(body)
    response = _own(author_id, cohort_id, exercise.id)
    if submit and exercise.self_check and (response is None or not response.is_submitted):
        raise InvalidResponse("Please answer the private questions before you share your response.")
    if response is None:
        if seen_version != "0":
            raise EditConflict("Your response was changed somewhere else after you opened this page.")
        response = ExerciseResponse(cohort_id=cohort_id, exercise_id=exercise.id, author_id=author_id, version=0)
        db.session.add(response)
    elif seen_version != version_token(response):
        if response.body_source == body and (response.is_submitted or not submit):
            return response  # the same form arrived twice: the first one counted
        raise EditConflict("Your response was changed somewhere else after you opened this page.")
    if (reason := lock_reason(response, due)) is not None:
        raise ResponseLocked(reason)
    _write(response, body, content_warning, submit)
    if submit:
        _hold_if_worrying(response, author_id)
    return _commit(response, author_id, cohort_id, exercise)


def _hold_if_worrying(response: ExerciseResponse, author_id: int) -> None:
    """On submit: a response the safety matcher holds waits for a facilitator; the alert commits with it."""
    if response.is_submitted and (reason := holding.safety_reason(response.body_source)) and not response.is_held:
        holding.hold(response, reason)
        holding.alert_for(response, "response", author_id)


def _write(response: ExerciseResponse, body: str, content_warning: str | None, submit: bool) -> None:
    changed = response.version == 0 or body != response.body_source or content_warning != response.content_warning
    if response.is_submitted and changed:  # an edit of a shared response keeps what it said before
        db.session.add(ResponseRevision(response_id=response.id, version=response.version,
                                        body_source=response.body_source, body_html=response.body_html,
                                        content_warning=response.content_warning, created_at=response.updated_at))
    now = utcnow()
    if changed or (submit and not response.is_submitted):
        response.body_source, response.body_html = body, render_markdown(body)
        response.content_warning, response.updated_at = content_warning, now
        response.version += 1
        response.moderator_edited_at = None  # the author's own words again
    if submit:
        if not response.is_submitted:
            response.status, response.submitted_at = "submitted", now
        response.reopened = False  # a reopened response closes again once its author has saved it


def _commit(response: ExerciseResponse, author_id: int, cohort_id: int, exercise: Exercise) -> ExerciseResponse:
    """Save, and in allocated mode allocate reviewers once it is shared: one commit for both."""
    db.session.execute(delete(Draft).where(Draft.user_id == author_id, Draft.cohort_id == cohort_id,
                                           Draft.key == draft_key(exercise.id)))
    try:
        db.session.flush()
        _allocate_if_shared(response, cohort_id, exercise)
        db.session.commit()
    except IntegrityError:  # the same first save arrived twice at once: the other request made it
        db.session.rollback()
        existing = _own(author_id, cohort_id, exercise.id)
        if existing is None or (response.is_submitted and not existing.is_submitted):
            raise
        return existing
    return response


def _allocate_if_shared(response: ExerciseResponse, cohort_id: int, exercise: Exercise) -> None:
    """Allocated mode: a shared (or changed shared) response gets its reviewers in the same unit of work."""
    if response.is_submitted and effective_mode(cohort_id, exercise) == "allocated":
        allocating.place_reviewers(cohort_id, exercise)


def submit_with_self_check(author_id: int, cohort_id: int, exercise: Exercise, answers: list[str],
                           seen_version: str) -> ExerciseResponse:
    """The self-check step: keep the private answers, then submit the saved draft."""
    response = _own(author_id, cohort_id, exercise.id)
    if response is None:
        raise NotFound("There is no saved response to share yet.")
    if response.is_submitted:
        return response  # a resend after it was shared
    if seen_version != version_token(response):
        raise EditConflict("Your response was changed somewhere else after you opened this page.")
    questions = exercise.self_check_questions
    cleaned = [clean_body(a)[:ANSWER_MAX] for a in answers[:len(questions)]]
    cleaned += [""] * (len(questions) - len(cleaned))
    check = db.session.scalars(select(SelfCheck).where(SelfCheck.response_id == response.id)).first()
    if check is None:
        check = SelfCheck(response_id=response.id, author_id=author_id)
        db.session.add(check)
    check.answers = [{"question": q, "answer": a} for q, a in zip(questions, cleaned)]
    check.updated_at = utcnow()
    response.status, response.submitted_at = "submitted", utcnow()
    response.version += 1
    _hold_if_worrying(response, author_id)
    _allocate_if_shared(response, cohort_id, exercise)
    db.session.commit()
    return response


def own_self_check(author_id: int, response: ExerciseResponse) -> SelfCheck | None:
    """The self-check answers, for their author only: anyone else gets None."""
    if response.author_id != author_id:
        return None
    return db.session.scalars(select(SelfCheck).where(SelfCheck.response_id == response.id,
                                                      SelfCheck.author_id == author_id)).first()


def reopen_response(response: ExerciseResponse) -> None:
    """A facilitator opens a submitted response for changes again (after its date, or once feedback began)."""
    if not response.is_submitted:
        raise RuleViolation("This response hasn't been shared yet, so it is still open for changes.")
    response.reopened = True
    db.session.commit()


def _own(author_id: int, cohort_id: int, exercise_id: int) -> ExerciseResponse | None:
    return db.session.scalars(select(ExerciseResponse).where(
        ExerciseResponse.cohort_id == cohort_id, ExerciseResponse.exercise_id == exercise_id,
        ExerciseResponse.author_id == author_id)).first()


def response_draft_spent(user_id: int, cohort_id: int, exercise_id: int, token: str) -> bool:
    """For the discussions' autosave: a draft typed against an older version of the response is stale."""
    return version_token(_own(user_id, cohort_id, exercise_id)) != token
