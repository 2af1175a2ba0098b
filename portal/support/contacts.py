"""Crisis contacts from content/support/crisis-contacts.yml: each deployment lists its own services.

The file is checked like every other content file (each problem names the file and its line; a bad
file loads nothing). `crisis_contacts()` gives the contacts to any template: it re-reads the file when
it changes, and if an edit breaks it while the portal runs, it keeps the last good contacts and logs
why, so the page people turn to in a crisis never fails.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml
from flask import current_app

from portal.content_files import last_good, read_text, read_when_changed
from portal.course.loader import ContentError

RELATIVE = Path("support") / "crisis-contacts.yml"
LEVELS = ("emergency", "urgent")
FIELDS = {"name", "level", "call", "text", "keyword", "note"}
NUMBER = re.compile(r"^\+?[0-9][0-9 ]{0,18}[0-9]$")
KEYWORD = re.compile(r"^[A-Za-z0-9]{1,20}$")


@dataclass(frozen=True)
class Contact:
    name: str
    level: str  # emergency | urgent
    action: str  # call | text
    number: str  # as people write it: "116 123"
    note: str
    keyword: str | None = None  # the word to text

    @property
    def href(self) -> str:
        digits = re.sub(r"[^0-9+]", "", self.number)
        if self.action == "call":
            return f"tel:{digits}"
        return f"sms:{digits}?body={quote(self.keyword or '')}"  # RFC 5724


def read_crisis_contacts(root: Path) -> tuple[Contact, ...]:
    """Parse and check the file under `root` (the content folder); raise ContentError naming each problem."""
    name, text = read_text(root, RELATIVE, "the crisis contacts shown on the 'Need help now?' page")
    try:
        # Nodes, not values: they keep each item's line and numbers exactly as written ("0800 …").
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ContentError([f"{name}: is not valid YAML" + (f" (line {mark.line + 1})" if mark else "")]) from None
    items = _contact_nodes(document)
    if items is None:
        raise ContentError([f"{name}: needs a list called 'contacts' (see the comments in the default file)"])
    if not items:
        raise ContentError([f"{name}: needs at least one contact"])
    problems: list[str] = []
    contacts = tuple(_contact(node, f"{name}: line {node.start_mark.line + 1}", problems) for node in items)
    if problems:
        raise ContentError(problems)
    return contacts


def _contact_nodes(document) -> list | None:
    if not isinstance(document, yaml.MappingNode):
        return None
    for key, value in document.value:
        if key.value == "contacts":
            return value.value if isinstance(value, yaml.SequenceNode) else None
    return None


def _contact(node, where: str, problems: list[str]) -> Contact:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{where}: each contact needs a name, level, call or text, and note")
        return Contact("", "", "", "", "")
    fields = {key.value: value for key, value in node.value}
    raw = {k: v.value.strip() if isinstance(v, yaml.ScalarNode) and isinstance(v.value, str) else None
           for k, v in fields.items()}
    if unknown := set(fields) - FIELDS:
        problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key, limit in (("name", 80), ("note", 300)):
        if not raw.get(key):
            problems.append(f"{where}: '{key}' must be non-empty text")
        elif len(raw[key]) > limit:
            problems.append(f"{where}: '{key}' is longer than {limit} characters")
    if raw.get("level") not in LEVELS:
        problems.append(f"{where}: 'level' must be emergency or urgent")
    actions = [k for k in ("call", "text") if k in fields]
    if len(actions) != 1:
        problems.append(f"{where}: give either 'call' or 'text' (one of them)")
        return Contact("", "", "", "", "")
    action = actions[0]
    number, keyword = raw.get(action) or "", raw.get("keyword")
    if not NUMBER.match(number):
        problems.append(f"{where}: '{action}' must be a phone number (digits and spaces, "
                        "perhaps starting with +)")
    if action == "text" and not (keyword and KEYWORD.match(keyword)):
        problems.append(f"{where}: 'keyword' is needed with 'text': one word, letters or digits")
    if action == "call" and "keyword" in fields:
        problems.append(f"{where}: 'keyword' is only for 'text' contacts")
    return Contact(raw.get("name") or "", raw.get("level") or "", action, number, raw.get("note") or "",
                   keyword if action == "text" else None)


def load_crisis_contacts(root: Path) -> tuple[Contact, ...]:
    """Read the file if it changed since last time; raise ContentError if it is bad."""
    return read_when_changed(root / RELATIVE, lambda: read_crisis_contacts(root))


def crisis_contacts() -> tuple[Contact, ...]:
    """The deployment's crisis contacts, for any template (see the module docstring)."""
    root = Path(current_app.config["CONTENT_DIR"])
    return last_good(root / RELATIVE, lambda: read_crisis_contacts(root), "Crisis contacts", ())
