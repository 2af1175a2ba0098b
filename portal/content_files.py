"""Files that features read from content/ while the portal runs (crisis contacts, word lists): read again
when they change, and the last good version kept when an edit breaks one, so a typo never takes a page
down. One cache for all of them, keyed by the file's path."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, has_app_context

from portal.course.loader import ContentError

T = TypeVar("T")
NO_FALLBACK: Any = object()  # last_good raises when the file has never been read well
_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], Any]] = {}


def read_text(root: Path, relative: Path | str, what: str) -> tuple[str, str]:
    """(the file's name as people see it, its text) for `relative` under the content folder `root`; a missing
    or non-UTF-8 file is a ContentError that names it and says `what` it holds."""
    path = root / relative
    name = str(path.relative_to(root.parent))
    try:
        return name, path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ContentError([f"{name}: file is missing ({what})"]) from None
    except UnicodeDecodeError:
        raise ContentError([f"{name}: is not UTF-8 text"]) from None


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return 0, -1
    return stat.st_mtime_ns, stat.st_size


def read_when_changed(path: Path, read: Callable[[], T]) -> T:
    """`read()` again only when the file's time or size has changed; its ContentError is raised."""
    key, stamp = str(path), _stamp(path)
    cached = _cache.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    with _lock:
        value = read()
        _cache[key] = (stamp, value)
    return value


def last_good(path: Path, read: Callable[[], T], what: str, fallback: T = NO_FALLBACK) -> T:
    """As read_when_changed, but a file an edit broke keeps its last good version (and the problem is
    logged); `fallback` when it was never read well, or the ContentError when there is none."""
    try:
        return read_when_changed(path, read)
    except ContentError as e:
        cached = _cache.get(str(path))
        if cached is None and fallback is NO_FALLBACK:
            raise
        if has_app_context():
            current_app.logger.error("%s not reloaded, keeping the last good version: %s", what,
                                     "; ".join(e.problems))
        return cached[1] if cached else fallback
