"""Upsert the checked exercises with the course, in its transaction; gone ones are retired, never deleted."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.course.loader import _assign
from portal.dates import utcnow
from portal.exercises.models import Exercise
from portal.extensions import db
from portal.markdown import render_markdown


def load_exercises(course_id: int, session_ids: dict[int, int], exercises: list[dict[str, Any]], counts) -> None:
    """session_ids maps a session number to its row's id; counts gets created/updated/unchanged/retired."""
    existing = {e.slug: e for e in db.session.scalars(select(Exercise).where(Exercise.course_id == course_id))}
    for data in exercises:
        row = existing.pop(data["slug"], None)
        if row is None:
            row = Exercise(course_id=course_id, slug=data["slug"])
            db.session.add(row)
        values = {k: v for k, v in data.items() if k not in ("file", "session", "example_feedback")}
        values.update(
            course_session_id=session_ids[data["session"]],
            prompt_html=render_markdown(data["prompt_source"]),
            guidance_html=render_markdown(data["guidance_source"]),
            example_response_html=_render_or_none(data["example_response_source"]),
            example_feedback=_feedback(data["example_feedback"]),
            retired_at=None,
        )
        _assign(row, values, counts)
    for gone in existing.values():
        if gone.retired_at is None:
            gone.retired_at = utcnow()
            counts.retired.append(gone.slug)
    db.session.flush()


def _render_or_none(source: str | None) -> str | None:
    return None if source is None else render_markdown(source)


def _feedback(feedback: dict | None) -> dict | None:
    """The reference feedback as the practice page shows it: Markdown rendered once, the why lines as plain text."""
    if feedback is None:
        return None
    consider = feedback["to_consider"]
    return {"what_worked": {"source": feedback["what_worked"], "html": render_markdown(feedback["what_worked"])},
            "ratings": feedback["ratings"], "why": feedback["why"],
            "to_consider": None if consider is None else {"source": consider, "html": render_markdown(consider)}}
