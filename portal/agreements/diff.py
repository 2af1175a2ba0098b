"""What changed between two versions of the agreement, line by line and word by word, for reading.

Lines come out labelled (added, removed, changed, same) so the page can say so in words; changed lines
carry word pieces for <ins>/<del>. Long unchanged stretches are left out, with a marker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser

CONTEXT = 2  # unchanged lines kept around each change
_TOKENS = re.compile(r"\s+|[^\s]+")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div", "blockquote", "tr", "pre"}


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "changed", or "skip" (unchanged lines left out)
    pieces: list[Piece] = field(default_factory=list)


def diff_text(old: str, new: str) -> list[DiffLine]:
    """The changed lines of `new` against `old`, with a little context; empty when nothing changed."""
    old_lines, new_lines = _lines(old), _lines(new)
    if old_lines == new_lines:
        return []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    out: list[DiffLine] = []
    shown_to = 0  # lines of `new` shown or skipped so far
    for group in matcher.get_grouped_opcodes(CONTEXT):
        if group[0][3] > shown_to:
            out.append(DiffLine("skip"))
        for tag, i1, i2, j1, j2 in group:
            out.extend(_opcode_lines(tag, old_lines[i1:i2], new_lines[j1:j2]))
        shown_to = group[-1][4]
    if shown_to < len(new_lines):
        out.append(DiffLine("skip"))
    return out


def _opcode_lines(tag: str, old: list[str], new: list[str]) -> list[DiffLine]:
    if tag == "equal":
        return [DiffLine("same", [Piece("same", line)]) for line in new]
    if tag == "delete":
        return [DiffLine("removed", [Piece("removed", line)]) for line in old]
    if tag == "insert":
        return [DiffLine("added", [Piece("added", line)]) for line in new]
    paired = [DiffLine("changed", diff_words(a, b)) for a, b in zip(old, new)]
    paired += [DiffLine("removed", [Piece("removed", line)]) for line in old[len(new):]]
    paired += [DiffLine("added", [Piece("added", line)]) for line in new[len(old):]]
    return paired


def diff_words(old: str, new: str) -> list[Piece]:
    """One line against another, word by word (spaces kept, so the pieces read as the line)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _add(pieces, "same", "".join(b[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            _add(pieces, "removed", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _add(pieces, "added", "".join(b[j1:j2]))
    return pieces


def _add(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in (text or "").strip().splitlines() if line.strip()]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(" ".join(data.split("\n")))


def html_text(html: str) -> str:
    """Readable text of rendered HTML, one block per line: for comparing the confidentiality text."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return "\n".join(" ".join(line.split()) for line in "".join(parser.parts).splitlines() if line.strip())
