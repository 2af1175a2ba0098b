"""The safety-word list site admins edit: saved in the database (every version kept, newest wins; a version
with no text means "the default list in content/"), audited, and used by the matcher from then on.

Fast on the posting path: each process keeps the compiled list, and asks the database for the newest version
number at most every SAFETY_PHRASES_RECHECK_SECONDS (default 5; one small query), so a save in one process
reaches the others within seconds. With the setting None (tests), only saves in this process count."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.audit.services import record
from portal.content_files import read_text
from portal.course.loader import ContentError
from portal.errors import DomainError
from portal.extensions import db
from portal.safeguarding.models import SafetyPhraseList

_lock = threading.Lock()


@dataclass
class _State:
    version: int | None = None  # the newest saved version's id, None: nothing saved
    matcher: object | None = None  # its compiled list; None: the default file
    checked_at: float | None = None


_state = _State()


class InvalidPhraseList(DomainError):
    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The list was not saved: " + " ".join(problems))
        self.problems = problems


def _compile(text: str | None):
    from portal.moderation.safety import compile_phrases

    return compile_phrases(text) if text is not None else None


def saved_matcher():
    """The saved list's Matcher, or None for the default file. At most one query every few seconds."""
    interval = current_app.config.get("SAFETY_PHRASES_RECHECK_SECONDS", 5)
    state = _state
    if interval is None or (state.checked_at is not None and time.monotonic() - state.checked_at < interval):
        return state.matcher
    try:
        # Its own connection: what others committed, and a failure can't spoil the caller's transaction.
        with db.engine.connect() as conn:
            version = conn.scalar(select(func.max(SafetyPhraseList.id)))
            text = (conn.scalar(select(SafetyPhraseList.text).where(SafetyPhraseList.id == version))
                    if version != state.version else None)
    except SQLAlchemyError as e:  # e.g. a database not migrated yet: posts are still checked, with what we had
        current_app.logger.error("Saved safety-word list not checked: %s", e)
        state.checked_at = time.monotonic()
        return state.matcher
    if version == state.version:
        state.checked_at = time.monotonic()
        return state.matcher
    try:
        _remember(version, _compile(text))
    except ContentError as e:  # validated when saved, so not expected: keep checking posts with the last good
        current_app.logger.error("Saved safety-word list %s not used: %s", version, "; ".join(e.problems))
        state.checked_at = time.monotonic()
    return _state.matcher


def _remember(version: int | None, matcher) -> None:
    global _state
    with _lock:
        _state = _State(version, matcher, time.monotonic())


def forget_saved() -> None:
    """Back to "nothing known": the next check asks the database (tests use it between tests)."""
    global _state
    with _lock:
        _state = _State()


def save_phrase_list(admin, text: str) -> SafetyPhraseList:
    """Save a new version after checking every line; InvalidPhraseList names each bad line."""
    from portal.moderation.safety import validate_phrases

    text = (text or "").replace("\r\n", "\n").replace("\x00", "")
    problems = validate_phrases(text)
    if problems:
        raise InvalidPhraseList(problems)
    return _save(admin, text, "safety_words.saved")


def restore_default(admin) -> SafetyPhraseList:
    """Go back to the list in content/ (a new version with no text: the earlier ones stay)."""
    return _save(admin, None, "safety_words.restored")


def _save(admin, text: str | None, action: str) -> SafetyPhraseList:
    version = SafetyPhraseList(text=text, saved_by_id=admin.id)
    db.session.add(version)
    record(admin, action, subject=version)
    db.session.commit()
    _remember(version.id, _compile(text))
    return version


@dataclass(frozen=True)
class Current:
    text: str
    is_default: bool
    history: list[tuple[SafetyPhraseList, str | None]]


def current_list(history: int = 20) -> Current:
    """The list in use, as text for the edit page, and the latest versions with who saved them."""
    from portal.auth.models import User

    rows = db.session.execute(
        select(SafetyPhraseList, User.display_name).outerjoin(User, User.id == SafetyPhraseList.saved_by_id)
        .order_by(SafetyPhraseList.id.desc()).limit(history)).all()
    if rows and rows[0][0].text is not None:
        return Current(rows[0][0].text, False, [tuple(r) for r in rows])
    return Current(default_text(), True, [tuple(r) for r in rows])


def default_text() -> str:
    from portal.moderation.safety import RELATIVE

    return read_text(Path(current_app.config["CONTENT_DIR"]), RELATIVE, "the default safety phrases")[1]
