"""Cleaning what people type into posts, and the content warnings they can choose from."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import current_app

from portal.discussions.models import BODY_MAX
from portal.errors import DomainError


class InvalidText(DomainError):
    status = 422


def clean_body(text: str | None) -> str:
    """Keep line breaks and tabs, drop other control characters, normalise line endings."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")).strip()


def check_body(text: str) -> str:
    body = clean_body(text)
    if not body:
        raise InvalidText("Write something before posting.")
    if len(body) > BODY_MAX:
        raise InvalidText(f"Your post is {len(body):,} characters long. Posts can be up to {BODY_MAX:,} "
                          "characters: please shorten it or split it into two posts. Your text is kept below.")
    return body


@lru_cache(maxsize=4)
def _read_warnings(path: str) -> tuple[str, ...]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def content_warning_choices() -> tuple[str, ...]:
    """The list in content/lists/content-warnings.txt."""
    return _read_warnings(str(Path(current_app.config["CONTENT_DIR"]) / "lists" / "content-warnings.txt"))
