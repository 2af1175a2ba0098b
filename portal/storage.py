"""Stored files (uploads), kept under one folder that every app process shares: PORTAL_STORAGE_PATH.

On one machine it is instance/storage. With several app servers it must be one shared folder (a network
mount or a synced volume), like the database. Three rules keep it safe with many processes:
- names are made here, never taken from the person uploading, so no path can leave the folder;
- a file is written under a temporary name and renamed into place, so no process reads half a file;
- files are owner-only (0600 in 0700 folders): what people upload here is about their mental health.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from flask import current_app

from portal.errors import InvalidInput, NotFound

_KEY = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{30})\.([a-z0-9]{1,8})$")
MAX_BYTES = 10 * 1024 * 1024


class StorageError(InvalidInput):
    """What was given can't be stored (too large, or a suffix that isn't a plain extension)."""


def storage_root() -> Path:
    root = Path(current_app.config["STORAGE_PATH"])
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def save(data: bytes, suffix: str) -> str:
    """Store the bytes and return their key (for the database), e.g. '3f/9c…e1.pdf'."""
    suffix = suffix.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,8}", suffix):
        raise StorageError("That kind of file can't be stored.")
    if len(data) > MAX_BYTES:
        raise StorageError(f"Files can be up to {MAX_BYTES // (1024 * 1024)} MB.")
    name = secrets.token_hex(16)
    key = f"{name[:2]}/{name[2:]}.{suffix}"
    folder = storage_root() / name[:2]
    folder.mkdir(exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")  # created 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / f"{name[2:]}.{suffix}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return key


def save_stream(stream, suffix: str, *, inspect=None, max_bytes: int = MAX_BYTES) -> tuple[str, int, str]:
    """Store what a stream holds, chunk by chunk (never all in memory), and return (key, size, SHA-256).

    `inspect(path)` may look at the written file before it takes its place, and refuse it by raising: then,
    as on any error (a full disk), the partial file is removed and nothing is stored.
    """
    suffix = suffix.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,8}", suffix):
        raise StorageError("That kind of file can't be stored.")
    name = secrets.token_hex(16)
    folder = storage_root() / name[:2]
    folder.mkdir(exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise StorageError(f"Files can be up to {max_bytes // (1024 * 1024)} MB.")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if inspect is not None:
            inspect(Path(temporary), size)
        os.replace(temporary, folder / f"{name[2:]}.{suffix}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return f"{name[:2]}/{name[2:]}.{suffix}", size, digest.hexdigest()


def path_of(key: str) -> Path:
    """Where a stored file is; NotFound for a key this module did not make, or a file that is gone."""
    match = _KEY.fullmatch(key or "")
    if match is None:
        raise NotFound("That file isn't here.")
    path = storage_root() / match.group(1) / f"{match.group(2)}.{match.group(3)}"
    if not path.is_file():
        raise NotFound("That file isn't here.")
    return path


def read(key: str) -> bytes:
    return path_of(key).read_bytes()


def delete(key: str) -> None:
    try:
        path_of(key).unlink()
    except NotFound:
        return
