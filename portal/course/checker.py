"""Checking content files: one loop over a folder of Markdown files with front matter, for every feature.

A feature declares its kind of file (`ContentKind`: its folder, the fields it may have, how to read one);
the course loader (loader.py) reads each kind with `read_folder`, which owns what they all share: parsing,
unknown fields, slugs used twice, and a file whose values are of a surprising type, which becomes a problem
naming the file instead of an error. Every problem names the file and, where it can, the line and field.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from portal.course.lines import Where, front_matter_lines, line_of

log = logging.getLogger(__name__)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Checker:
    """Collects every problem in one pass, so an author can fix them all at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []

    def read(self, path: Path) -> tuple[dict[str, Any], str] | None:
        name = self.name(path)
        try:
            post = frontmatter.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            self.problems.append(f"{name}: is not UTF-8 text")
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            self.problems.append(f"{name}: front matter is not valid YAML{where}")
        except (TypeError, ValueError):  # e.g. a field named by a number: `1: text`
            self.problems.append(f"{name}: front matter must be lines of `name: value`, each name in words")
        else:
            if not isinstance(post.metadata, dict) or not post.metadata:
                self.problems.append(f"{name}: has no front matter between --- lines")
                return None
            return post.metadata, post.content
        return None

    def name(self, path: Path) -> str:
        return str(path.relative_to(self.root.parent))

    def field_problem(self, path: Path, key: str, message: str) -> None:
        self.problems.append(f"{self.name(path)}: {message}")

    def text(self, path: Path, meta: dict, key: str, limit: int) -> str:
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            self.field_problem(path, key, f"field '{key}' must be non-empty text")
            return ""
        if len(value) > limit:
            self.field_problem(path, key, f"field '{key}' is longer than {limit} characters")
        return value.strip()

    def slug(self, path: Path, meta: dict) -> str:
        value = self.text(path, meta, "slug", 80)
        if value and not SLUG.match(value):
            self.field_problem(path, "slug", "field 'slug' must be lowercase words joined by hyphens")
        return value

    def texts(self, path: Path, meta: dict, key: str, limit: int, *, required: bool = True) -> list[str]:
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.field_problem(path, key, f"field '{key}' must be a list of text items")
            return []
        if required and not value:
            self.field_problem(path, key, f"field '{key}' needs at least one item")
        if any(len(v) > limit for v in value):
            self.field_problem(path, key, f"an item in '{key}' is longer than {limit} characters")
        return [v.strip() for v in value]

    def prompts(self, path: Path, meta: dict) -> list[dict[str, str]]:
        value = meta.get("discussion_prompts", [])
        ok = isinstance(value, list) and all(
            isinstance(p, dict) and set(p) == {"title", "body"}
            and all(isinstance(p[k], str) and p[k].strip() for k in ("title", "body")) for p in value)
        if not ok:
            self.field_problem(path, "discussion_prompts", "field 'discussion_prompts' must be a list of "
                                                           "items each with a 'title' and a 'body'")
            return []
        if any(len(p["title"]) > 120 or len(p["body"]) > 600 for p in value):
            self.field_problem(path, "discussion_prompts", "a discussion prompt is too long "
                                                           "(title 120, body 600 characters at most)")
        return [{"title": p["title"].strip(), "body": p["body"].strip()} for p in value]


class FileCheck(Checker):
    """The checker for one file: the same checks, each problem placed at the line of its field."""

    def __init__(self, check: Checker, path: Path) -> None:
        self.root, self.problems, self.path = check.root, check.problems, path  # one list for the whole run
        self.file = check.name(path)
        self.lines = front_matter_lines(path.read_text(encoding="utf-8"))

    def problem(self, where: Where, message: str) -> None:
        """A problem at `where` (a path of keys and positions, e.g. ("questions", 1, "kind"))."""
        line = line_of(self.lines, where)
        self.problems.append(f"{self.file}{f', line {line}' if line else ''}: {message}")

    def field_problem(self, path: Path, key: str, message: str) -> None:
        self.problem((key,), message)


@dataclass(frozen=True)
class ContentKind:
    """A kind of content file a feature declares: the folder under content/, the front-matter fields a file
    may have, and `read(file_check, meta, body, *context)`, which returns what the file says (a dict) and
    reports each problem with `file_check.problem((field, ...), message)`."""

    folder: str
    fields: frozenset[str]
    read: Callable[..., dict[str, Any]]
    unique: str = "slug"  # no two files may share this field's value


def read_folder(check: Checker, kind: ContentKind, *context) -> list[dict[str, Any]]:
    """Every *.md file of the kind's folder, read and checked, in file name order; problems go to `check`."""
    folder = check.root / kind.folder
    found: list[dict[str, Any]] = []
    seen: dict[Any, str] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        parsed = check.read(path)
        if parsed is None:
            continue
        meta, body = parsed
        file = FileCheck(check, path)
        unknown = sorted(str(key) for key in meta if key not in kind.fields)
        if unknown:
            file.problem((unknown[0],), f"unknown field(s) {', '.join(unknown)}")
        try:
            item = kind.read(file, meta, body, *context)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError):
            log.warning("Content file %s could not be read", file.file, exc_info=True)
            file.problem((), "a value in this file is of a kind it can't hold (a list or a set of fields where "
                             "a word or a number belongs?). Please compare it with the other files")
            continue
        value = item.get(kind.unique)
        if isinstance(value, str) and value in seen:
            file.problem((kind.unique,), f"{kind.unique} '{value}' is also used by {seen[value]}")
        if isinstance(value, str) and value:
            seen.setdefault(value, file.file)
        found.append(item)
    return found
