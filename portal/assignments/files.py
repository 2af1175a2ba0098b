"""Checking an uploaded file: PDF, DOCX or ODT judged from its bytes (filetype), zips opened with limits."""
from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import filetype

from portal.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 2_000  # a real essay has a few dozen; 100,000 is a trap
MAX_UNCOMPRESSED = 100 * 1024 * 1024
KINDS = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "odt": "application/vnd.oasis.opendocument.text"}
ODT_MIME = b"application/vnd.oasis.opendocument.text"


class FileRefused(InvalidInput):
    """The file was not stored; the message says why, plainly."""


NOT_A_DOCUMENT = ("That file doesn't look like a PDF, Word (.docx) or OpenDocument (.odt) document. "
                  "Please save your work in one of those formats and try again.")


def judge(path: Path, size: int) -> str:
    """The kind of the file at `path` ('pdf', 'docx' or 'odt'), from its content; FileRefused otherwise."""
    if size == 0:
        raise FileRefused("That file is empty. Please choose the file with your work in it.")
    with path.open("rb") as f:
        head = f.read(8192)
    guess = filetype.guess(head)
    if guess is not None and guess.extension == "pdf":
        _check_pdf(path, size)
        return "pdf"
    if guess is None or guess.extension not in ("zip", "docx", "odt"):
        raise FileRefused(NOT_A_DOCUMENT)
    return _check_zip(path)


def _check_pdf(path: Path, size: int) -> None:
    with path.open("rb") as f:
        f.seek(max(0, size - 1024))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise FileRefused("That PDF seems to be incomplete (it may have been cut off while copying). "
                          "Please save it again and upload the new copy.")


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
                raise FileRefused("That document is far larger inside than a written piece of work can be, "
                                  "so it wasn't stored. Please save it again and upload the new copy.")
            names = {e.filename for e in entries}
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "mimetype" in names and "content.xml" in names and archive.read("mimetype").strip() == ODT_MIME:
                return "odt"
    except zipfile.BadZipFile:
        raise FileRefused("That document seems to be damaged or incomplete. "
                          "Please save it again and upload the new copy.") from None
    raise FileRefused(NOT_A_DOCUMENT)


def clean_name(name: str | None, kind: str) -> str:
    """A safe name to offer on download: no folders, no control characters, short, with the right ending."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    stem = re.sub(r"[^\w .()-]", "", base.rsplit(".", 1)[0], flags=re.UNICODE).strip(" .")[:80]
    return f"{stem or 'submission'}.{kind}"
