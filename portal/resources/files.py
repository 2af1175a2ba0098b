"""Checking a facilitator's handout: PDF, DOCX, ODT or PPTX, judged from its bytes by the shared checker
(portal/uploads.py), in words for facilitators."""
from __future__ import annotations

from pathlib import Path

from portal.uploads import MIME_TYPES, FileRefused, Wording, clean_name, document_kind

__all__ = ["KINDS", "MAX_BYTES", "FileRefused", "download_name", "human_size", "judge", "kind_label"]

MAX_BYTES = 20 * 1024 * 1024
KINDS = {**MIME_TYPES, "md": "text/markdown; charset=utf-8"}  # markdown: the course's own handouts only
UPLOADED = ("pdf", "docx", "odt", "pptx")
NOT_A_HANDOUT = ("That file doesn't look like a PDF, Word (.docx), OpenDocument (.odt) or PowerPoint (.pptx) "
                 "file. Please save the handout in one of those formats and try again.")
WORDING = Wording(
    empty="That file is empty. Please choose the file with the handout in it.",
    not_allowed=NOT_A_HANDOUT,
    too_big_inside="That file is far larger inside than a handout can be, so it wasn't stored. "
                   "Please save it again and upload the new copy.",
    damaged="That file seems to be damaged or incomplete. Please save it again and upload the new copy.")


def judge(path: Path, size: int) -> str:
    """The kind of the file at `path` ('pdf', 'docx', 'odt' or 'pptx'), from its content; FileRefused otherwise."""
    return document_kind(path, size, UPLOADED, WORDING)


def download_name(name: str | None, kind: str) -> str:
    return clean_name(name, kind, fallback="handout")


LABELS = {"pdf": "PDF", "docx": "Word document", "odt": "OpenDocument text", "pptx": "PowerPoint slides",
          "md": "Text handout"}


def kind_label(kind: str | None) -> str:
    return LABELS.get(kind or "", "File")


def human_size(size: int | None) -> str:
    size = size or 0
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
