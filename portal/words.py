"""Counts in people's words: the one place that decides "1 person", "7 people", "0 sessions"."""
from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 session', '2 sessions', '0 sessions'; irregular words pass their plural: plural(n, 'person', 'people')."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
