"""Answering an evaluation: when a form is open, and writing the answers and the receipt together.

When: a form for a session opens with the session (on its date, or when a facilitator opens it early) and
closes at the end of the day EVALUATION_OPEN_DAYS after the session's date (14 by default), so people
have two weeks and facilitators know when results settle. A session opened early with no date yet stays
open until a date is set. An archived cohort takes no answers (it is read-only).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.cohorts.models import Cohort, CohortSession, Membership
from portal.cohorts.timetable import Slot, load_timetable
from portal.dates import local_today
from portal.errors import InvalidInput, NotFound, RuleViolation
from portal.evaluation.models import EvaluationAnswer, EvaluationForm, EvaluationQuestion, EvaluationReceipt
from portal.extensions import db

TEXT_LIMIT = 2000  # characters in one free-text answer


class AlreadyAnswered(RuleViolation):
    """Answered before (or a second click of the same submit): the first answers stand."""


class EvaluationClosed(RuleViolation):
    """Not open yet, or closed."""


@dataclass(frozen=True)
class Window:
    opened: bool
    closes_on: date | None  # the last day answers are taken; None while the session has no date

    @property
    def is_open(self) -> bool:
        return self.opened and (self.closes_on is None or local_today() <= self.closes_on)

    @property
    def is_closed(self) -> bool:
        return self.opened and not self.is_open


def window_of(slot: Slot) -> Window:
    entry: CohortSession = slot.entry
    days = current_app.config["EVALUATION_OPEN_DAYS"]
    return Window(slot.is_open, entry.day + timedelta(days=days) if entry.day else None)


@dataclass(frozen=True)
class Asked:
    """One form for one session, as a member's list shows it."""

    form: EvaluationForm
    slot: Slot
    window: Window
    answered: bool


def list_evaluations(cohort: Cohort, user_id: int | None) -> list[Asked]:
    """Every form for every session that has opened, in session order, marked answered by `user_id`."""
    slots = [s for s in load_timetable(cohort.id) if s.is_open]
    forms = list(db.session.scalars(EvaluationForm.select_live()))
    answered = set()
    if user_id is not None:
        answered = set(db.session.execute(select(EvaluationReceipt.form_id, EvaluationReceipt.session_number).where(
            EvaluationReceipt.cohort_id == cohort.id, EvaluationReceipt.user_id == user_id)).all())
    return [Asked(f, s, window_of(s), (f.id, s.number) in answered)
            for s in slots for f in forms if s.number in f.sessions]


@dataclass(frozen=True)
class AnswerPage:
    form: EvaluationForm
    questions: list[EvaluationQuestion]
    slot: Slot
    window: Window
    answered: bool


def load_form(cohort: Cohort, form_id: int, number: int, user_id: int | None) -> AnswerPage:
    """The form for a session that has opened to members; anything else (forged ids, not yet open) is 404."""
    form = db.session.get(EvaluationForm, form_id)
    slot = next((s for s in load_timetable(cohort.id) if s.number == number), None)
    if form is None or form.retired_at is not None or number not in form.sessions or slot is None \
            or not slot.is_open:
        raise NotFound("There is no such evaluation.")
    questions = list(db.session.scalars(EvaluationQuestion.select_for(form.id)))
    answered = user_id is not None and db.session.get(
        EvaluationReceipt, (cohort.id, form.id, number, user_id)) is not None
    return AnswerPage(form, questions, slot, window_of(slot), answered)


def can_answer(membership: Membership | None) -> bool:
    """Learners answer; facilitators and site admins read the results instead."""
    return membership is not None and membership.role == "learner" and membership.status == "active"


def submit_evaluation(membership: Membership, cohort: Cohort, page: AnswerPage, values: dict[str, object]) -> None:
    """Store the answers (no person, no time) and the receipt in one transaction. A second submit, even at
    the same moment, meets the receipt's primary key and stores nothing."""
    if not can_answer(membership):
        raise NotFound("Only learners answer course evaluations.")
    if page.answered:
        raise AlreadyAnswered("You have already answered this one. Thank you: your first answers are kept.")
    if not page.window.is_open:
        raise EvaluationClosed("This evaluation has closed, so it can't take answers any more. "
                               "Thank you for wanting to share your thoughts.")
    rows = [EvaluationAnswer(cohort_id=cohort.id, form_id=page.form.id, session_number=page.slot.number,
                             question_id=q.id, **_value(q, values.get(q.key)))
            for q in page.questions if values.get(q.key) not in (None, "")]
    db.session.add(EvaluationReceipt(cohort_id=cohort.id, form_id=page.form.id, session_number=page.slot.number,
                                     user_id=membership.user_id))
    db.session.add_all(rows)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered("You have already answered this one. Thank you: your first answers are kept.") \
            from None


def _value(question: EvaluationQuestion, value: object) -> dict[str, object]:
    if question.kind == "text":
        if not isinstance(value, str) or len(value) > TEXT_LIMIT:
            raise InvalidInput(f"Please keep each written answer to {TEXT_LIMIT} characters.")
        return {"text": value}
    if not isinstance(value, int) or not 0 <= value < len(question.options):
        raise InvalidInput("Please choose one of the answers shown.")
    return {"choice": value}
