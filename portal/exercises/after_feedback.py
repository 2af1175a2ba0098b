"""After feedback: the author tells each reviewer how it landed, and notes what they will take forward.

How it landed is seen by that reviewer and the facilitators only; the note by the author and facilitators."""
from __future__ import annotations

from portal.dates import utcnow
from portal.discussions.text import clean_body
from portal.errors import NotFound, RuleViolation
from portal.exercises.feedback_models import LANDED_ANSWERS, LANDED_QUESTIONS, TAKE_FORWARD_MAX, Feedback
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.notifications.events import record as notify


class InvalidAnswer(RuleViolation):
    status = 422


def tell_how_it_landed(author_id: int, response: ExerciseResponse, feedback: Feedback,
                       answers: dict[str, str]) -> None:
    """The author's three quick answers about one piece of feedback they have read."""
    if response.author_id != author_id or feedback.response_id != response.id or not feedback.is_given \
            or feedback.hidden_at is not None or feedback.is_held:
        raise NotFound("That feedback isn't here.")
    chosen = {key: answers.get(key, "") for key, _question in LANDED_QUESTIONS}
    if any(value not in LANDED_ANSWERS for value in chosen.values()):
        raise InvalidAnswer("Please choose yes, partly or no for each of the three questions.")
    if feedback.landed_at is None:  # told once: changing one's answers later doesn't tell the reviewer again
        notify("feedback_rated", response.cohort_id, None, "landed", feedback.id)
    feedback.landed, feedback.landed_at = chosen, utcnow()
    db.session.commit()


def save_take_forward(author_id: int, response: ExerciseResponse, text: str | None) -> None:
    """The author's short note of what they will take forward from this exercise (empty: removed)."""
    if response.author_id != author_id or not response.is_submitted:
        raise NotFound("That response isn't here.")
    note = clean_body(text)
    if len(note) > TAKE_FORWARD_MAX:
        raise InvalidAnswer(f"Your note can be up to {TAKE_FORWARD_MAX:,} characters. Please shorten it. "
                            "Your words are kept below.")
    if note == (response.take_forward or ""):
        return  # unchanged (or sent twice)
    response.take_forward, response.take_forward_at = note or None, utcnow()
    db.session.commit()
