"""Results, only ever as totals: counts per answer, free text shuffled, and nothing at all for a slice
(a cohort's form for one session) fewer than EVALUATION_MIN_ANSWERS people have answered. Every view,
slice and export goes through `_slice` or `compare_cohorts`, so the threshold can't be forgotten."""
from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from portal.cohorts.models import Cohort
from portal.evaluation.models import EvaluationAnswer, EvaluationForm, EvaluationQuestion, EvaluationReceipt
from portal.extensions import db


def least() -> int:
    return current_app.config["EVALUATION_MIN_ANSWERS"]


@dataclass
class QuestionResult:
    question: EvaluationQuestion
    counts: list[tuple[str, int]] = field(default_factory=list)  # (answer in words, how many), scale order
    texts: list[str] = field(default_factory=list)  # in a fresh random order each time

    @property
    def answered(self) -> int:
        return sum(n for _, n in self.counts) if self.question.kind != "text" else len(self.texts)


@dataclass
class SliceResult:
    respondents: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.respondents >= least()


def _shuffled(items: list) -> list:
    items = list(items)
    secrets.SystemRandom().shuffle(items)
    return items


def respondents_by_slice(cohort_id: int) -> dict[tuple[int, int], int]:
    """(form id, session number) -> how many have answered, in one query."""
    rows = db.session.execute(
        select(EvaluationReceipt.form_id, EvaluationReceipt.session_number, func.count())
        .where(EvaluationReceipt.cohort_id == cohort_id)
        .group_by(EvaluationReceipt.form_id, EvaluationReceipt.session_number))
    return {(f, n): c for f, n, c in rows}


def load_slice(cohort_id: int, form: EvaluationForm, number: int) -> SliceResult:
    """One cohort's answers to one form for one session: totals and shuffled text, or nothing below the
    threshold (not even the counts of a scale)."""
    respondents = db.session.scalar(select(func.count()).select_from(EvaluationReceipt).where(
        EvaluationReceipt.cohort_id == cohort_id, EvaluationReceipt.form_id == form.id,
        EvaluationReceipt.session_number == number)) or 0
    questions = list(db.session.scalars(EvaluationQuestion.select_for(form.id)))
    return _slice(cohort_id, form.id, number, respondents, questions)


def _slice(cohort_id: int, form_id: int, number: int, respondents: int,
           questions: list[EvaluationQuestion]) -> SliceResult:
    if respondents < least():
        return SliceResult(respondents, [])
    where = (EvaluationAnswer.cohort_id == cohort_id, EvaluationAnswer.form_id == form_id,
             EvaluationAnswer.session_number == number)
    counts = defaultdict(int)
    for question_id, choice, n in db.session.execute(
            select(EvaluationAnswer.question_id, EvaluationAnswer.choice, func.count())
            .where(*where, EvaluationAnswer.choice.is_not(None))
            .group_by(EvaluationAnswer.question_id, EvaluationAnswer.choice)):
        counts[question_id, choice] = n
    texts = defaultdict(list)
    # Only text is read row by row; it is shuffled below, so neither key nor storage order reaches anyone.
    for question_id, text in db.session.execute(
            select(EvaluationAnswer.question_id, EvaluationAnswer.text).where(*where, EvaluationAnswer.text.is_not(None))):
        texts[question_id].append(text)
    return SliceResult(respondents, [
        QuestionResult(q, [(o, counts[q.id, i]) for i, o in enumerate(q.options)], _shuffled(texts[q.id]))
        for q in questions])


@dataclass
class CohortRow:
    cohort: Cohort
    respondents: int
    counts: dict[int, list[int]]  # question id -> count per option (only when shown)

    @property
    def shown(self) -> bool:
        return self.respondents >= least()


@dataclass
class Comparison:
    form: EvaluationForm
    number: int
    questions: list[EvaluationQuestion]  # scales and choices only: free text stays with its cohort
    rows: list[CohortRow]
    total: CohortRow | None  # the shown cohorts added up (hidden ones left out, so nothing can be subtracted)


def compare_cohorts(form: EvaluationForm, number: int) -> Comparison:
    """Every cohort that has answers for this form and session, each slice held to the same threshold."""
    questions = [q for q in db.session.scalars(EvaluationQuestion.select_for(form.id)) if q.kind != "text"]
    counted = db.session.execute(
        select(Cohort, func.count()).join(EvaluationReceipt, EvaluationReceipt.cohort_id == Cohort.id)
        .where(EvaluationReceipt.form_id == form.id, EvaluationReceipt.session_number == number)
        .group_by(Cohort.id).order_by(Cohort.name, Cohort.id)).all()
    shown_ids = [c.id for c, n in counted if n >= least()]
    per = defaultdict(int)
    if shown_ids:
        for cohort_id, question_id, choice, n in db.session.execute(
                select(EvaluationAnswer.cohort_id, EvaluationAnswer.question_id, EvaluationAnswer.choice, func.count())
                .where(EvaluationAnswer.form_id == form.id, EvaluationAnswer.session_number == number,
                       EvaluationAnswer.cohort_id.in_(shown_ids), EvaluationAnswer.choice.is_not(None))
                .group_by(EvaluationAnswer.cohort_id, EvaluationAnswer.question_id, EvaluationAnswer.choice)):
            per[cohort_id, question_id, choice] = n
    rows = []
    for cohort, n in counted:
        counts = {q.id: [per[cohort.id, q.id, i] for i in range(len(q.options))] for q in questions} \
            if n >= least() else {}
        rows.append(CohortRow(cohort, n, counts))
    shown = [r for r in rows if r.shown]
    total = None
    if shown:
        total = CohortRow(None, sum(r.respondents for r in shown),
                          {q.id: [sum(r.counts[q.id][i] for r in shown) for i in range(len(q.options))]
                           for q in questions})
    return Comparison(form, number, questions, rows, total)


def export_rows(cohort_id: int) -> list[list[object]]:
    """The cohort's results for a CSV: every slice, each held to the threshold; free text shuffled."""
    forms = {f.id: f for f in db.session.scalars(select(EvaluationForm))}
    questions = defaultdict(list)
    for q in db.session.scalars(select(EvaluationQuestion).where(EvaluationQuestion.retired_at.is_(None))
                                .order_by(EvaluationQuestion.position)):
        questions[q.form_id].append(q)
    rows: list[list[object]] = []
    for (form_id, number), respondents in sorted(respondents_by_slice(cohort_id).items(), key=lambda kv: kv[0][::-1]):
        form = forms[form_id]
        result = _slice(cohort_id, form_id, number, respondents, questions[form_id])
        if not result.shown:
            rows.append([number, form.title, "", f"Fewer than {least()} people have answered: not shown", ""])
            continue
        rows.append([number, form.title, "People who answered", "", respondents])
        for qr in result.questions:
            rows.extend([number, form.title, qr.question.prompt, option, n] for option, n in qr.counts)
            rows.extend([number, form.title, qr.question.prompt, text, ""] for text in qr.texts)
    return rows
