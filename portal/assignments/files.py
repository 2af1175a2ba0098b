"""Checking an uploaded piece of work: PDF, DOCX or ODT, judged from its bytes by the shared checker
(portal/uploads.py), in words for learners."""
from __future__ import annotations

from pathlib import Path

from portal.uploads import MIME_TYPES, FileRefused, Wording, clean_name, document_kind

__all__ = ["KINDS", "MAX_BYTES", "FileRefused", "clean_name", "judge"]

MAX_BYTES = 10 * 1024 * 1024
KINDS = {kind: MIME_TYPES[kind] for kind in ("pdf", "docx", "odt")}
NOT_A_DOCUMENT = ("That file doesn't look like a PDF, Word (.docx) or OpenDocument (.odt) document. "
                  "Please save your work in one of those formats and try again.")
WORDING = Wording(
    empty="That file is empty. Please choose the file with your work in it.",
    not_allowed=NOT_A_DOCUMENT,
    too_big_inside="That document is far larger inside than a written piece of work can be, so it wasn't stored. "
                   "Please save it again and upload the new copy.",
    damaged="That document seems to be damaged or incomplete. Please save it again and upload the new copy.")


def judge(path: Path, size: int) -> str:
    """The kind of the file at `path` ('pdf', 'docx' or 'odt'), from its content; FileRefused otherwise."""
    return document_kind(path, size, tuple(KINDS), WORDING)
