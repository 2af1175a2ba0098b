"""Checking a facilitator's handout: PDF, DOCX, ODT or PPTX, judged from its bytes (filetype), zips opened with
limits. The assignments' checks, with presentations added."""
from __future__ import annotations

import zipfile
from pathlib import Path

import filetype

from portal.assignments.files import MAX_ENTRIES, MAX_UNCOMPRESSED, ODT_MIME, FileRefused, clean_name

MAX_BYTES = 20 * 1024 * 1024
KINDS = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "odt": "application/vnd.oasis.opendocument.text",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "md": "text/markdown; charset=utf-8"}
NOT_A_HANDOUT = ("That file doesn't look like a PDF, Word (.docx), OpenDocument (.odt) or PowerPoint (.pptx) "
                 "file. Please save the handout in one of those formats and try again.")


def judge(path: Path, size: int) -> str:
    """The kind of the file at `path` ('pdf', 'docx', 'odt' or 'pptx'), from its content; FileRefused otherwise."""
    if size == 0:
        raise FileRefused("That file is empty. Please choose the file with the handout in it.")
    with path.open("rb") as f:
        head = f.read(8192)
    guess = filetype.guess(head)
    if guess is not None and guess.extension == "pdf":
        with path.open("rb") as f:
            f.seek(max(0, size - 1024))
            if b"%%EOF" not in f.read():
                raise FileRefused("That PDF seems to be incomplete (it may have been cut off while copying). "
                                  "Please save it again and upload the new copy.")
        return "pdf"
    if guess is None or guess.extension not in ("zip", "docx", "odt", "pptx"):
        raise FileRefused(NOT_A_HANDOUT)
    return _zip_kind(path)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
                raise FileRefused("That file is far larger inside than a handout can be, so it wasn't stored. "
                                  "Please save it again and upload the new copy.")
            names = {e.filename for e in entries}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
                return "pptx"
            if "mimetype" in names and "content.xml" in names and archive.read("mimetype").strip() == ODT_MIME:
                return "odt"
    except zipfile.BadZipFile:
        raise FileRefused("That file seems to be damaged or incomplete. "
                          "Please save it again and upload the new copy.") from None
    raise FileRefused(NOT_A_HANDOUT)


def download_name(name: str | None, kind: str) -> str:
    stem = clean_name(name, kind)
    return "handout." + kind if stem == f"submission.{kind}" else stem


LABELS = {"pdf": "PDF", "docx": "Word document", "odt": "OpenDocument text", "pptx": "PowerPoint slides",
          "md": "Text handout"}


def kind_label(kind: str | None) -> str:
    return LABELS.get(kind or "", "File")


def human_size(size: int | None) -> str:
    size = size or 0
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
