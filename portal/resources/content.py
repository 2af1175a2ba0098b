"""The course's own resources, written in content/resources/resources.yml (files beside it in files/).

Each item: `session` (its number), `slug`, `title`, `description`, and either `link` (http or https) or
`file` (a PDF or Markdown file in content/resources/files/). Checked with the rest of the course by
`flask content load`, then upserted by slug; items gone from the file are retired, never deleted (who opened
them is kept).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from portal.dates import utcnow
from portal.extensions import db
from portal.resources.links import link_host
from portal.resources.models import DESCRIPTION_MAX, TITLE_MAX, URL_MAX, Resource

FIELDS = {"session", "slug", "title", "description", "link", "file"}
FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.(pdf|md)$")
FILE_MAX = 2 * 1024 * 1024  # the course's own files are small handouts
LIST_FILE = "resources.yml"


def files_folder(content_root: Path) -> Path:
    return content_root / "resources" / "files"


def read_resources(check, folder: Path, session_numbers: set[int]) -> list[dict[str, Any]]:
    """Check content/resources/resources.yml; every problem goes to `check`, named by file and item."""
    path = folder / LIST_FILE
    if not path.is_file():
        return []
    name = check.name(path)
    try:
        items = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        mark = getattr(e, "problem_mark", None)
        check.problems.append(f"{name}: is not valid YAML text{f' (line {mark.line + 1})' if mark else ''}")
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        check.problems.append(f"{name}: must be a list of resources, each with 'session', 'slug' and 'title'")
        return []
    found, seen = [], set()
    for n, item in enumerate(items, start=1):
        where = f"{name}: resource {n}"
        found.append(_item(check, folder, where, item, session_numbers, seen))
    return [f for f in found if f is not None]


def _item(check, folder: Path, where: str, item: dict, numbers: set[int], seen: set[str]) -> dict | None:
    problems = check.problems
    before = len(problems)
    unknown = set(item) - FIELDS
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    session, slug = item.get("session"), item.get("slug")
    if not isinstance(session, int) or isinstance(session, bool) or session not in numbers:
        problems.append(f"{where}: field 'session' must be the number of a session of the course")
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or len(slug) > 80:
        problems.append(f"{where}: field 'slug' must be lowercase words joined by hyphens")
    elif slug in seen:
        problems.append(f"{where}: slug '{slug}' is used twice")
    seen.add(slug if isinstance(slug, str) else "")
    texts = {}
    for key, limit, required in (("title", TITLE_MAX, True), ("description", DESCRIPTION_MAX, False)):
        value = item.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
            problems.append(f"{where}: field '{key}' must be text of at most {limit} characters")
        texts[key] = value.strip() if isinstance(value, str) else ""
    link, file = item.get("link"), item.get("file")
    if (link is None) == (file is None):
        problems.append(f"{where}: give either a 'link' or a 'file', not both")
    elif link is not None and (not isinstance(link, str) or len(link) > URL_MAX or link_host(link) is None):
        problems.append(f"{where}: field 'link' must be an http or https address")
    elif file is not None and (problem := _file_problem(folder, file)):
        problems.append(f"{where}: {problem}")
    if len(problems) > before:
        return None
    kind = "link" if link is not None else "file"
    return {"session": session, "slug": slug, **texts, "kind": kind, "url": link,
            "content_file": file, "file_type": file.rsplit(".", 1)[1] if file else None,
            "file_size": (folder / "files" / file).stat().st_size if file else None}


def _file_problem(folder: Path, file) -> str | None:
    if not isinstance(file, str) or not FILE_NAME.match(file):
        return "field 'file' must be the name of a .pdf or .md file in resources/files/ (lowercase, hyphens)"
    path = folder / "files" / file
    if not path.is_file():
        return f"the file resources/files/{file} is missing"
    if path.stat().st_size > FILE_MAX:
        return f"the file resources/files/{file} is larger than 2 MB"
    head = path.read_bytes()[:5]
    if file.endswith(".pdf") and head != b"%PDF-":
        return f"the file resources/files/{file} is not a PDF"
    if file.endswith(".md"):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return f"the file resources/files/{file} is not UTF-8 text"
    return None


def load_resources(course_id: int, session_ids: dict[int, int], items: list[dict[str, Any]], report) -> None:
    """Upsert the course's own resources by slug, in the file's order; retire those no longer listed."""
    existing = {r.slug: r for r in db.session.scalars(select(Resource).where(
        Resource.course_id == course_id, Resource.cohort_id.is_(None)))}
    for position, data in enumerate(items):
        row = existing.pop(data["slug"], None)
        if row is None:
            row = Resource(course_id=course_id, slug=data["slug"])
            db.session.add(row)
            report.created += 1
        values = {"course_session_id": session_ids[data["session"]], "title": data["title"],
                  "description": data["description"], "kind": data["kind"], "url": data["url"],
                  "content_file": data["content_file"], "file_type": data["file_type"],
                  "file_size": data["file_size"], "position": position, "retired_at": None,
                  "file_name": data["content_file"]}
        changed = any(getattr(row, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(row, key, value)
        if row.id is not None:
            report.updated += changed
            report.unchanged += not changed
    for gone in existing.values():
        if gone.retired_at is None:
            gone.retired_at = utcnow()
            report.retired.append(gone.slug)
