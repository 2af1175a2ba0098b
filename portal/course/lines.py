"""Which line of a YAML text each field is on, so a problem can say where to look."""
from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

Where = tuple  # a path of keys and list positions, e.g. ("criteria", 1, "description")
FRONT_MATTER = re.compile(r"\A-{3,}[ \t]*\r?\n(.*?)^-{3,}[ \t]*$", re.S | re.M)


def front_matter_lines(text: str) -> dict[Where, int]:
    """Lines (from 1, in the whole file) of every field in a Markdown file's front matter."""
    match = FRONT_MATTER.match(text)
    return yaml_lines(match.group(1), first_line=2) if match else {}


def yaml_lines(text: str, first_line: int = 1) -> dict[Where, int]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}  # the YAML error itself is reported with its line elsewhere
    lines: dict[Where, int] = {}

    def walk(node: Node, path: Where) -> None:
        if isinstance(node, MappingNode):
            for key, value in node.value:
                here = (*path, key.value)
                lines[here] = key.start_mark.line + first_line
                walk(value, here)
        elif isinstance(node, SequenceNode):
            for i, value in enumerate(node.value):
                here = (*path, i)
                lines[here] = value.start_mark.line + first_line
                walk(value, here)

    if root is not None:
        walk(root, ())
    return lines


def line_of(lines: dict[Where, int], where: Where) -> int | None:
    """The line of the field, or of the nearest enclosing one when the field itself is missing."""
    for end in range(len(where), 0, -1):
        if where[:end] in lines:
            return lines[where[:end]]
    return None
