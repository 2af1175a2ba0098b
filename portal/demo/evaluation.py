"""Demo evaluations in cohort A: five learners answered session 2's form, enough to show its results."""
from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.evaluation.models import EvaluationAnswer, EvaluationForm, EvaluationQuestion, EvaluationReceipt
from portal.extensions import db

FORM = "after-each-session"
# One person's answers each (scale steps counted from 0); nothing in the stored rows says whose they were.
ANSWERS = [
    {"useful": 3, "safe": 3, "keep": "Hearing how different recovery looks for each of us.",
     "change": "A few more minutes for the last exercise."},
    {"useful": 2, "safe": 3, "keep": "The quiet minute at the start to settle in."},
    {"useful": 3, "safe": 2, "change": "Fewer slides, more talking in pairs."},
    {"useful": 2, "safe": 2, "keep": "Being asked, not told, what recovery means to me."},
    {"useful": 1, "safe": 3},
]


def seed_evaluations(cohort: Cohort, users: dict[str, User]) -> int:
    """Once, in Demo cohort A only: receipts for learner1 to learner5, and their answers kept apart."""
    form = db.session.scalars(select(EvaluationForm).where(EvaluationForm.slug == FORM)).first()
    if cohort.name != "Demo cohort A" or form is None or db.session.scalar(
            select(EvaluationReceipt.user_id).where(EvaluationReceipt.cohort_id == cohort.id).limit(1)) is not None:
        return 0
    questions = {q.key: q.id for q in db.session.scalars(EvaluationQuestion.select_for(form.id))}
    for n, given in enumerate(ANSWERS, start=1):
        user = users.get(f"learner{n}@example.org")
        if user is None:
            continue
        db.session.add(EvaluationReceipt(cohort_id=cohort.id, form_id=form.id, session_number=2, user_id=user.id))
        for key, value in given.items():
            if key in questions:
                kind = {"choice": value} if isinstance(value, int) else {"text": value}
                db.session.add(EvaluationAnswer(cohort_id=cohort.id, form_id=form.id, session_number=2,
                                                question_id=questions[key], **kind))
    db.session.flush()
    return len(ANSWERS)
