"""The editable lists behind the composer's hints: content/lists/recovery-language.yml and first-names.txt.

The YAML file is checked like every other content file (each problem names the file and its line; a bad
file loads nothing). While the portal runs, an edit that breaks it keeps the last good list and logs why:
hints are a kindness, never worth a failed page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app

from portal.content_files import last_good, read_text, read_when_changed
from portal.course.loader import ContentError

RELATIVE = Path("lists") / "recovery-language.yml"
NAMES = Path("lists") / "first-names.txt"
FIELDS = {"phrases", "suggestions", "reason"}
PHRASE = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")  # words of letters, joined by spaces, hyphens, apostrophes


@dataclass(frozen=True)
class Wording:
    phrases: tuple[str, ...]
    suggestions: tuple[str, ...]
    reason: str

    @property
    def key(self) -> str:
        """How the entry is named when carried from one request to the next."""
        return self.phrases[0].lower()


def read_recovery_language(root: Path) -> tuple[Wording, ...]:
    """Parse and check the list under `root` (the content folder); raise ContentError naming each problem."""
    name, text = read_text(root, RELATIVE, "the recovery-language hints shown while writing")
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes keep their line numbers
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ContentError([f"{name}: is not valid YAML" + (f" (line {mark.line + 1})" if mark else "")]) from None
    items = _hint_nodes(document)
    if items is None:
        raise ContentError([f"{name}: needs a list called 'hints' (see the comments at the top of the file)"])
    problems: list[str] = []
    entries = tuple(_entry(node, f"{name}: line {node.start_mark.line + 1}", problems) for node in items)
    seen: dict[str, str] = {}
    for node, entry in zip(items, entries):
        for phrase in entry.phrases:
            where = f"{name}: line {node.start_mark.line + 1}"
            if phrase.lower() in seen:
                problems.append(f"{where}: the phrase '{phrase}' is also listed at {seen[phrase.lower()]}")
            seen.setdefault(phrase.lower(), f"line {node.start_mark.line + 1}")
    if problems:
        raise ContentError(problems)
    return entries


def _hint_nodes(document) -> list | None:
    if not isinstance(document, yaml.MappingNode):
        return None
    for key, value in document.value:
        if key.value == "hints":
            return value.value if isinstance(value, yaml.SequenceNode) else None
    return None


def _texts(node, key: str, where: str, problems: list[str], limit: int) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value or not all(
            isinstance(n, yaml.ScalarNode) and str(n.value).strip() for n in node.value):
        problems.append(f"{where}: '{key}' must be a list of one or more pieces of text, like [lives with]")
        return ()
    values = tuple(" ".join(str(n.value).split()) for n in node.value)
    if any(len(v) > limit for v in values):
        problems.append(f"{where}: an item in '{key}' is longer than {limit} characters")
    return values


def _entry(node, where: str, problems: list[str]) -> Wording:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{where}: each hint needs phrases, suggestions and a reason")
        return Wording((), (), "")
    fields = {key.value: value for key, value in node.value}
    if unknown := set(fields) - FIELDS:
        problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    phrases = _texts(fields.get("phrases"), "phrases", where, problems, 60)
    for phrase in phrases:
        if not PHRASE.match(phrase):
            problems.append(f"{where}: the phrase '{phrase}' can hold only letters, spaces, hyphens and apostrophes")
    suggestions = _texts(fields.get("suggestions"), "suggestions", where, problems, 120)
    reason_node = fields.get("reason")
    reason = " ".join(str(reason_node.value).split()) if isinstance(reason_node, yaml.ScalarNode) else ""
    if not reason:
        problems.append(f"{where}: 'reason' must be one line of text")
    elif len(reason) > 200:
        problems.append(f"{where}: 'reason' is longer than 200 characters: keep it to one line")
    return Wording(phrases, suggestions, reason)


def read_first_names(root: Path) -> frozenset[str]:
    """Common first names, one a line (# starts a comment); an absent file means no name reminders."""
    try:
        lines = (root / NAMES).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(s for line in lines if (s := line.split("#", 1)[0].strip()))


def recovery_language() -> tuple[Wording, ...]:
    """The deployment's list, re-read when it changes; the last good one if an edit broke it."""
    root = Path(current_app.config["CONTENT_DIR"])
    return last_good(root / RELATIVE, lambda: read_recovery_language(root), "Recovery-language hints", ())


def first_names() -> frozenset[str]:
    root = Path(current_app.config["CONTENT_DIR"])
    return read_when_changed(root / NAMES, lambda: read_first_names(root))
