"""One check for uploaded documents, judged from their bytes, never from their names: a PDF, or a ZIP-based
office document (DOCX, ODT, PPTX) opened with limits (entries, size inside, compression ratio) and recognised
by the members its kind must have. Nothing in a ZIP is unpacked but a few bytes of ODT's `mimetype`.

Each feature says which kinds it takes and words the refusals for its people (`Wording`); storing the file
is `portal/storage.py`'s (`save_stream(..., inspect=...)` calls the check before the file takes its place).
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import filetype

from portal.errors import InvalidInput

MIME_TYPES = {"pdf": "application/pdf",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "odt": "application/vnd.oasis.opendocument.text",
              "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
ODT_MIME = b"application/vnd.oasis.opendocument.text"
MAX_ENTRIES = 2_000  # a real document has a few dozen; 100,000 is a trap
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100  # deflated XML and pictures stay far below this; a zip bomb is in the thousands
RATIO_FROM = 1024 * 1024  # small members (an empty one compresses "infinitely") are never a bomb
INCOMPLETE_PDF = ("That PDF seems to be incomplete (it may have been cut off while copying). "
                  "Please save it again and upload the new copy.")


class FileRefused(InvalidInput):
    """The file was not stored; the message says why, plainly."""


@dataclass(frozen=True)
class Wording:
    """How a feature tells its people why a file was refused."""

    empty: str
    not_allowed: str  # not one of the kinds this feature takes (whatever its name said)
    too_big_inside: str  # too many members, too large unpacked, or packed like a zip bomb
    damaged: str


def document_kind(path: Path, size: int, kinds: tuple[str, ...], wording: Wording) -> str:
    """The kind of the file at `path`, one of `kinds` ('pdf', 'docx', 'odt', 'pptx'); FileRefused otherwise."""
    if size == 0:
        raise FileRefused(wording.empty)
    with path.open("rb") as f:
        guess = filetype.guess(f.read(8192))
    if guess is not None and guess.extension == "pdf":
        kind = "pdf"
        check_pdf_end(path, size)
    elif guess is not None and guess.extension in ("zip", "docx", "odt", "pptx"):
        kind = office_kind(path, wording)
    else:
        kind = None
    if kind not in kinds:
        raise FileRefused(wording.not_allowed)
    return kind


def check_pdf_end(path: Path, size: int) -> None:
    """A PDF ends with %%EOF: one cut off while copying does not."""
    with path.open("rb") as f:
        f.seek(max(0, size - 1024))
        if b"%%EOF" not in f.read():
            raise FileRefused(INCOMPLETE_PDF)


def office_kind(path: Path, wording: Wording) -> str | None:
    """'docx', 'pptx' or 'odt' for a ZIP holding what that kind must hold, None for any other ZIP. Refuses a
    damaged ZIP and one too large inside (or compressed like a bomb) before looking at any member."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            check_zip_limits(entries, wording)
            names = {e.filename for e in entries}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
                return "pptx"
            if "content.xml" in names and "mimetype" in names:
                with archive.open("mimetype") as f:
                    return "odt" if f.read(len(ODT_MIME) + 8).strip() == ODT_MIME else None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
        # broken or cut-off archives, unknown compression, encrypted members (a full disk is not their fault)
        raise FileRefused(wording.damaged) from None
    return None


def check_zip_limits(entries: list[zipfile.ZipInfo], wording: Wording) -> None:
    """Refuse a ZIP with too many members, too much inside, or a member packed suspiciously tightly."""
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
        raise FileRefused(wording.too_big_inside)
    if any(e.file_size > RATIO_FROM and e.file_size > MAX_RATIO * max(e.compress_size, 1) for e in entries):
        raise FileRefused(wording.too_big_inside)


def clean_name(name: str | None, kind: str, fallback: str = "submission") -> str:
    """A safe name to offer on download: no folders, no control characters, short, with the right ending."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    stem = re.sub(r"[^\w .()-]", "", base.rsplit(".", 1)[0], flags=re.UNICODE).strip(" .")[:80]
    return f"{stem or fallback}.{kind}"
