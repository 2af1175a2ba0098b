"""Evaluation forms for tests, without reading content/."""
from __future__ import annotations

from portal.evaluation.models import EvaluationForm, EvaluationQuestion
from portal.extensions import db

QUESTIONS = [("useful", "scale", "How useful was it?", ["Not useful", "A little useful", "Useful", "Very useful"]),
             ("pace", "choice", "How was the pace?", ["Too slow", "About right", "Too fast"]),
             ("keep", "text", "One thing to keep", []),
             ("change", "text", "One thing to change", [])]
FIELDS = [f"q_{key}" for key, *_ in QUESTIONS]


def add_form(sessions=(1, 2, 3), slug="after-session", title="How was this session?") -> EvaluationForm:
    form = EvaluationForm(slug=slug, title=title, intro_html="<p>A few questions.</p>", sessions=list(sessions))
    db.session.add(form)
    db.session.flush()
    for position, (key, kind, prompt, options) in enumerate(QUESTIONS, start=1):
        db.session.add(EvaluationQuestion(form_id=form.id, key=key, position=position, kind=kind, prompt=prompt,
                                          hint="", options=options))
    db.session.commit()
    return form


def answer(cohort, form, user, number=1, **values) -> None:
    """Answer as `user` through the service (values by question key: choice index or text)."""
    from portal.cohorts.models import Membership
    from portal.evaluation import services

    membership = db.session.scalars(db.select(Membership).filter_by(cohort_id=cohort.id, user_id=user.id)).one()
    page = services.load_form(cohort, form.id, number, user.id)
    services.submit_evaluation(membership, cohort, page, values)
