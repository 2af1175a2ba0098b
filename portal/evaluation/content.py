"""Evaluation forms in content/evaluation/*.md: checked with the course, then loaded by `flask content load`.

Front matter: slug, title, sessions (the session numbers it is asked after) and questions, each with a
key, a kind (scale: steps in words, in order; choice: options; text: free text), a prompt, an optional
hint and, for scale and choice, its options. Every question is optional for the learner. The body is a
short introduction. Questions taken out of a file are retired, never deleted: answers keep their meaning.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.course.checker import ContentKind
from portal.dates import utcnow
from portal.evaluation.models import KINDS, EvaluationForm, EvaluationQuestion
from portal.extensions import db
from portal.markdown import render_markdown

FORM_FIELDS = {"slug", "title", "sessions", "questions"}
QUESTION_FIELDS = {"key", "kind", "prompt", "hint", "options"}


def read_evaluation(file, meta: dict, body: str, session_numbers: set[int]) -> dict[str, Any]:
    """One form file; problems go to `file` (the course loader's checker), placed at their field."""
    slug, title = file.slug(file.path, meta), file.text(file.path, meta, "title", 200)
    sessions = meta.get("sessions")
    # A number the course doesn't have (a session file taken out) is simply not asked after.
    if (not isinstance(sessions, list) or not sessions
            or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 99 for n in sessions)):
        file.problem(("sessions",), "field 'sessions' must be a list of session numbers (1, 2, 3 …)")
        sessions = []
    elif not set(sessions) & session_numbers:
        file.problem(("sessions",), "'sessions' names no session the course has")
    return {"slug": slug, "title": title, "sessions": sorted(set(sessions)), "intro": body.strip(),
            "questions": _questions(file, meta.get("questions"))}


def _questions(file, value) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value or not all(isinstance(q, dict) for q in value):
        file.problem(("questions",), "field 'questions' must be a list of questions")
        return []
    questions, keys = [], set()
    for n, q in enumerate(value, start=1):
        def problem(field: str, message: str, n=n) -> None:
            file.problem(("questions", n - 1, field), f"question {n}: {message}")
        unknown = sorted(str(k) for k in q if k not in QUESTION_FIELDS)
        if unknown:
            problem(unknown[0], f"unknown field(s) {', '.join(unknown)}")
        key, kind, prompt, hint = q.get("key"), q.get("kind"), q.get("prompt"), q.get("hint", "")
        if not isinstance(key, str) or not key.isidentifier() or len(key) > 40:
            problem("key", "'key' must be a short name of letters, digits and _")
        elif key in keys:
            problem("key", f"key '{key}' is used twice")
        else:
            keys.add(key)
        if kind not in KINDS:
            problem("kind", f"'kind' must be one of {', '.join(KINDS)}")
        if not isinstance(prompt, str) or not prompt.strip() or len(prompt) > 300:
            problem("prompt", "'prompt' must be text of at most 300 characters")
        if not isinstance(hint, str) or len(hint) > 300:
            problem("hint", "'hint' must be text of at most 300 characters")
        options = q.get("options", [])
        if kind == "text" and options:
            problem("options", "a text question has no 'options'")
        if kind in ("scale", "choice") and (
                not isinstance(options, list) or not 2 <= len(options) <= 7
                or not all(isinstance(o, str) and o.strip() and len(o) <= 80 for o in options)
                or len(set(options)) != len(options)):
            problem("options", "'options' must be 2 to 7 different answers in words (80 characters at most)")
        questions.append({"key": key, "kind": kind, "prompt": str(prompt).strip(), "hint": str(hint).strip(),
                          "options": [str(o).strip() for o in options] if isinstance(options, list) else []})
    return questions


EVALUATIONS = ContentKind("evaluation", frozenset(FORM_FIELDS), read_evaluation)


def load_evaluations(forms: list[dict[str, Any]]) -> None:
    """Upsert the checked forms; forms and questions gone from the files are retired (answers keep them)."""
    existing = {f.slug: f for f in db.session.scalars(select(EvaluationForm))}
    now = utcnow()
    for data in forms:
        form = existing.pop(data["slug"], None)
        if form is None:
            form = EvaluationForm(slug=data["slug"])
            db.session.add(form)
        form.title, form.sessions, form.retired_at = data["title"], data["sessions"], None
        form.intro_html = render_markdown(data["intro"]) if data["intro"] else ""
        db.session.flush()
        questions = {q.key: q for q in db.session.scalars(
            select(EvaluationQuestion).where(EvaluationQuestion.form_id == form.id))}
        for position, q in enumerate(data["questions"], start=1):
            row = questions.pop(q["key"], None)
            if row is None:
                row = EvaluationQuestion(form_id=form.id, key=q["key"])
                db.session.add(row)
            row.position, row.kind, row.prompt, row.hint = position, q["kind"], q["prompt"], q["hint"]
            row.options, row.retired_at = q["options"], None
        for gone in questions.values():
            gone.retired_at = gone.retired_at or now
    for gone in existing.values():
        gone.retired_at = gone.retired_at or now
