"""The assignments, written in content/assignments/: read and checked with the course, shown from the files.

They are read from the files (not copied into the database): submissions refer to an assignment by its slug,
so a reworded brief reaches every cohort at once and a submission never loses what it answered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app

from portal.course.checker import ContentKind
from portal.markdown import render_markdown

FIELDS = {"slug", "title", "opens_after_session", "min_words", "max_words", "late_policy", "outcomes"}
LATE_POLICIES = ("mark late", "refuse")
_SECTION = re.compile(r"^## (Brief|Guidance)\s*$", re.M)


@dataclass(frozen=True)
class Assignment:
    slug: str
    title: str
    opens_after_session: int
    min_words: int
    max_words: int
    late_policy: str
    outcomes: tuple[str, ...]
    brief_html: str
    guidance_html: str

    @property
    def refuses_late(self) -> bool:
        return self.late_policy == "refuse"


def read_assignment(file, meta: dict, body: str) -> dict[str, Any]:
    """One assignment file; problems go to `file` (the course loader's checker), placed at their field."""
    path = file.path
    slug, title = file.slug(path, meta), file.text(path, meta, "title", 200)
    numbers = {k: meta.get(k) for k in ("opens_after_session", "min_words", "max_words")}
    for key, value in numbers.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            file.problem((key,), f"field '{key}' must be a whole number from 1")
    if all(isinstance(v, int) for v in numbers.values()) and numbers["min_words"] > numbers["max_words"]:
        file.problem(("min_words",), "'min_words' is more than 'max_words'")
    if meta.get("late_policy") not in LATE_POLICIES:
        file.problem(("late_policy",), "field 'late_policy' must be 'mark late' or 'refuse'")
    outcomes = file.texts(path, meta, "outcomes", 80)
    if outcomes and len(outcomes) < 2:
        file.problem(("outcomes",), "field 'outcomes' needs at least two choices")
    sections = _sections(body)
    for part in ("Brief", "Guidance"):
        if not sections.get(part, "").strip():
            file.problem((), f"needs a '## {part}' section with some text")
    return {"slug": slug, "title": title, **numbers, "late_policy": meta.get("late_policy"),
            "outcomes": tuple(outcomes), "brief": sections.get("Brief", ""), "guidance": sections.get("Guidance", "")}


ASSIGNMENTS = ContentKind("assignments", frozenset(FIELDS), read_assignment)


def _sections(body: str) -> dict[str, str]:
    parts = _SECTION.split(body)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@lru_cache(maxsize=4)
def _load(root: str) -> dict[str, Assignment]:
    from portal.course.loader import ContentError, read_content

    try:
        content = read_content(Path(root))
    except ContentError:
        current_app.logger.error("Content in %s has problems: no assignments shown until they are fixed", root)
        return {}
    return {a["slug"]: Assignment(
        slug=a["slug"], title=a["title"], opens_after_session=a["opens_after_session"], min_words=a["min_words"],
        max_words=a["max_words"], late_policy=a["late_policy"], outcomes=a["outcomes"],
        brief_html=render_markdown(a["brief"]), guidance_html=render_markdown(a["guidance"]))
        for a in content.assignments}


def all_assignments() -> list[Assignment]:
    return list(_load(str(current_app.config["CONTENT_DIR"])).values())


def assignment(slug: str) -> Assignment | None:
    return _load(str(current_app.config["CONTENT_DIR"])).get(slug)
