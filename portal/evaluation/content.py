"""Evaluation forms in content/evaluation/*.md: checked with the course, then loaded by `flask content load`.

Front matter: slug, title, sessions (the session numbers it is asked after) and questions, each with a
key, a kind (scale: steps in words, in order; choice: options; text: free text), a prompt, an optional
hint and, for scale and choice, its options. Every question is optional for the learner. The body is a
short introduction. Questions taken out of a file are retired, never deleted: answers keep their meaning.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from portal.dates import utcnow
from portal.evaluation.models import KINDS, EvaluationForm, EvaluationQuestion
from portal.extensions import db
from portal.markdown import render_markdown

FORM_FIELDS = {"slug", "title", "sessions", "questions"}
QUESTION_FIELDS = {"key", "kind", "prompt", "hint", "options"}


def read_evaluations(check, folder: Path, session_numbers: set[int]) -> list[dict[str, Any]]:
    """Check every form file; problems go to the course loader's checker, named by file."""
    found: list[dict[str, Any]] = []
    if not folder.is_dir():
        return found
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        parsed = check.read(path)
        if parsed is None:
            continue
        meta, body = parsed
        name = check.name(path)
        unknown = set(meta) - FORM_FIELDS
        if unknown:
            check.problems.append(f"{name}: unknown field(s) {', '.join(sorted(unknown))}")
        slug, title = check.slug(path, meta), check.text(path, meta, "title", 200)
        sessions = meta.get("sessions")
        # A number the course doesn't have (a session file taken out) is simply not asked after.
        if (not isinstance(sessions, list) or not sessions
                or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 99 for n in sessions)):
            check.problems.append(f"{name}: field 'sessions' must be a list of session numbers (1, 2, 3 …)")
            sessions = []
        elif not set(sessions) & session_numbers:
            check.problems.append(f"{name}: 'sessions' names no session the course has")
        if slug in seen:
            check.problems.append(f"{name}: slug '{slug}' is also used by {seen[slug]}")
        seen[slug] = name
        found.append({"slug": slug, "title": title, "sessions": sorted(set(sessions)), "intro": body.strip(),
                      "questions": _questions(check, name, meta.get("questions"))})
    return found


def _questions(check, name: str, value) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value or not all(isinstance(q, dict) for q in value):
        check.problems.append(f"{name}: field 'questions' must be a list of questions")
        return []
    questions, keys = [], set()
    for n, q in enumerate(value, start=1):
        where = f"{name}: question {n}"
        unknown = set(q) - QUESTION_FIELDS
        if unknown:
            check.problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        key, kind, prompt, hint = q.get("key"), q.get("kind"), q.get("prompt"), q.get("hint", "")
        if not isinstance(key, str) or not key.isidentifier() or len(key) > 40:
            check.problems.append(f"{where}: 'key' must be a short name of letters, digits and _")
        elif key in keys:
            check.problems.append(f"{where}: key '{key}' is used twice")
        keys.add(key)
        if kind not in KINDS:
            check.problems.append(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        if not isinstance(prompt, str) or not prompt.strip() or len(prompt) > 300:
            check.problems.append(f"{where}: 'prompt' must be text of at most 300 characters")
        if not isinstance(hint, str) or len(hint) > 300:
            check.problems.append(f"{where}: 'hint' must be text of at most 300 characters")
        options = q.get("options", [])
        if kind == "text" and options:
            check.problems.append(f"{where}: a text question has no 'options'")
        if kind in ("scale", "choice") and (
                not isinstance(options, list) or not 2 <= len(options) <= 7
                or not all(isinstance(o, str) and o.strip() and len(o) <= 80 for o in options)
                or len(set(options)) != len(options)):
            check.problems.append(f"{where}: 'options' must be 2 to 7 different answers in words "
                                  "(80 characters at most)")
        questions.append({"key": key, "kind": kind, "prompt": str(prompt).strip(), "hint": str(hint).strip(),
                          "options": [str(o).strip() for o in options] if isinstance(options, list) else []})
    return questions


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
