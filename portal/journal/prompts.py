"""The journal's optional prompts, from content/journal/prompts.yml (re-read when the file changes)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app

from portal.content_files import last_good, read_text
from portal.course.loader import ContentError

RELATIVE = Path("journal") / "prompts.yml"
WHAT = "the journal's prompts"


@dataclass(frozen=True)
class Prompt:
    heading: str
    hint: str


def parse_prompts(name: str, text: str) -> tuple[Prompt, ...]:
    """Prompts from the file's text; problems name the file and line."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ContentError([f"{name}{line}: is not valid YAML ({getattr(e, 'problem', e)})"]) from None
    if node is None or not isinstance(node, yaml.SequenceNode):
        raise ContentError([f"{name}:1: should be a list of prompts, each with a heading and a hint"])
    problems, prompts = [], []
    for item in node.value:
        where = f"{name}:{item.start_mark.line + 1}"
        data = yaml.safe_load(yaml.serialize(item)) if isinstance(item, yaml.MappingNode) else None
        if not isinstance(data, dict) or set(data) - {"heading", "hint"}:
            problems.append(f"{where}: a prompt has only 'heading' and 'hint'")
            continue
        heading, hint = data.get("heading"), data.get("hint", "")
        if not isinstance(heading, str) or not heading.strip() or len(heading) > 100:
            problems.append(f"{where}: 'heading' must be text of 1 to 100 characters")
        elif not isinstance(hint, str) or len(hint) > 300:
            problems.append(f"{where}: 'hint' must be text of at most 300 characters")
        else:
            prompts.append(Prompt(" ".join(heading.split()), " ".join(hint.split())))
    if problems:
        raise ContentError(problems)
    return tuple(prompts)


def load_prompts() -> tuple[Prompt, ...]:
    """The prompts; a broken edit keeps the last good version, and no file at all means no prompts."""
    root = Path(current_app.config["CONTENT_DIR"])

    def read():
        return parse_prompts(*read_text(root, RELATIVE, WHAT))

    return last_good(root / RELATIVE, read, WHAT, fallback=())


def prompts_body(prompts: tuple[Prompt, ...]) -> str:
    """A body to start from: each prompt as a heading, with room to write under it."""
    return "\n\n".join(f"## {p.heading}\n\n" for p in prompts).rstrip() + "\n"
