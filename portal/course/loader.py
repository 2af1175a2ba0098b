"""Read the course from content/, check all of it, then upsert it in one transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from portal.course.checker import Checker, read_folder
from portal.course.models import Course, CourseSession
from portal.dates import utcnow
from portal.extensions import db
from portal.markdown import render_markdown

REQUIRED_AGREEMENT = "confidentiality"
SESSION_FIELDS = ("number", "slug", "title", "summary", "aims", "key_concepts", "discussion_prompts", "moderation",
                  "content_warning_required")
MODERATION_LEVELS = ("after", "before")  # when a facilitator reads a session's posts: after or before others


class ContentError(Exception):
    """Content files that cannot be loaded; each problem names its file and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)


@dataclass
class LoadReport(Counts):
    renewed_agreements: int = 0  # cohorts asked to accept a changed confidentiality agreement
    exercises: Counts = field(default_factory=Counts)  # counted apart from the course's own files
    resources: Counts = field(default_factory=Counts)


@dataclass
class Content:
    course: dict[str, Any]
    sessions: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    exercises: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    evaluations: list[dict[str, Any]] = field(default_factory=list)


def read_content(root: Path) -> Content:
    """Parse and check the course, its sessions and agreements; raise ContentError listing every problem."""
    check = Checker(root)
    course: dict[str, Any] = {}
    course_file = root / "course.md"
    if not course_file.is_file():
        check.problems.append(f"{check.name(course_file)}: file is missing")
    elif (parsed := check.read(course_file)) is not None:
        meta, body = parsed
        course = {"slug": check.slug(course_file, meta), "title": check.text(course_file, meta, "title", 200),
                  "summary": check.text(course_file, meta, "summary", 500), "intro_source": body}

    sessions = []
    files = sorted((root / "sessions").glob("*.md"))
    if not files:
        check.problems.append(f"{check.name(root / 'sessions')}: no session files (*.md) found")
    for path in files:
        parsed = check.read(path)
        if parsed is None:
            continue
        meta, body = parsed
        unknown = set(meta) - set(SESSION_FIELDS)
        if unknown:
            check.problems.append(f"{check.name(path)}: unknown field(s) {', '.join(sorted(unknown))}")
        number = meta.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            check.problems.append(f"{check.name(path)}: field 'number' must be a whole number from 1")
        sessions.append({
            "file": check.name(path), "number": number, "slug": check.slug(path, meta),
            "title": check.text(path, meta, "title", 200), "summary": check.text(path, meta, "summary", 500),
            "aims": check.texts(path, meta, "aims", 300),
            "key_concepts": check.texts(path, meta, "key_concepts", 120),
            "discussion_prompts": check.prompts(path, meta), "body_source": body,
            **_moderation(check, path, meta),
        })
    _check_sequence(check, sessions)
    agreements = _read_agreements(check, root / "agreements")
    _check_other_files(check, root)
    exercises = _read_exercises(check, root, {s["number"] for s in sessions if isinstance(s["number"], int)})
    from portal.assignments.content import ASSIGNMENTS  # here: the features import this module
    from portal.evaluation.content import EVALUATIONS
    from portal.resources.content import read_resources

    numbers = {s["number"] for s in sessions if isinstance(s["number"], int)}
    assignments = read_folder(check, ASSIGNMENTS)
    resources = read_resources(check, root / "resources", numbers)
    evaluations = read_folder(check, EVALUATIONS, numbers)
    if check.problems:
        raise ContentError(check.problems)
    return Content(course, sessions, agreements, exercises, assignments, resources, evaluations)


def _moderation(check: Checker, path: Path, meta: dict) -> dict[str, Any]:
    """`moderation: before` holds every post for a facilitator; `content_warning_required: true` asks for a
    content warning on each post (both optional: after posting, no warning asked)."""
    level = meta.get("moderation", "after")
    if level not in MODERATION_LEVELS:
        check.problems.append(f"{check.name(path)}: field 'moderation' must be 'after' or 'before'")
        level = "after"
    required = meta.get("content_warning_required", False)
    if not isinstance(required, bool):
        check.problems.append(f"{check.name(path)}: field 'content_warning_required' must be true or false")
        required = False
    return {"moderation": level, "content_warning_required": required}


def _read_exercises(check: Checker, root: Path, session_numbers: set[int]) -> list[dict[str, Any]]:
    from portal.exercises.checks import read_exercises  # imported here: the exercises import this module

    return read_exercises(check, root / "exercises", session_numbers)


def _read_agreements(check: Checker, folder: Path) -> list[dict[str, Any]]:
    agreements = []
    for path in sorted(folder.glob("*.md")):
        parsed = check.read(path)
        if parsed is None:
            continue
        meta, body = parsed
        if not body.strip():
            check.problems.append(f"{check.name(path)}: the agreement has no text below the front matter")
        agreements.append({"slug": check.slug(path, meta), "title": check.text(path, meta, "title", 200),
                           "body_source": body})
    if REQUIRED_AGREEMENT not in {a["slug"] for a in agreements}:
        check.problems.append(f"{check.name(folder)}: needs the confidentiality agreement "
                              f"(a file with slug '{REQUIRED_AGREEMENT}')")
    return agreements


def _check_other_files(check: Checker, root: Path) -> None:
    """Files that other features read from content/, each checked by its own reader (they reuse ContentError)."""
    from portal.moderation.safety import read_safety_phrases
    from portal.moderation.wording import read_recovery_language
    from portal.support.contacts import read_crisis_contacts

    for read in (read_crisis_contacts, read_recovery_language, read_safety_phrases):
        try:
            read(root)
        except ContentError as e:
            check.problems.extend(e.problems)


def _check_sequence(check: Checker, sessions: list[dict[str, Any]]) -> None:
    numbers = [s["number"] for s in sessions if isinstance(s["number"], int)]
    if len(numbers) == len(sessions) and sorted(numbers) != list(range(1, len(sessions) + 1)):
        check.problems.append("content/sessions: session numbers must run 1, 2, 3 … with none missing "
                              f"or repeated (found {sorted(numbers)})")
    seen: dict[str, str] = {}
    for s in sessions:
        if s["slug"] and s["slug"] in seen:
            check.problems.append(f"{s['file']}: slug '{s['slug']}' is also used by {seen[s['slug']]}")
        seen.setdefault(s["slug"], s["file"])


def load_content(root: Path) -> LoadReport:
    """Check everything, then upsert; sessions no longer in the files are retired, never deleted."""
    content = read_content(root)
    course_data, sessions_data = content.course, content.sessions
    report = LoadReport()
    course = db.session.scalars(select(Course).where(Course.slug == course_data["slug"])).first()
    if course is None:
        course = Course(slug=course_data["slug"])
        db.session.add(course)
    _assign(course, {**course_data, "intro_html": render_markdown(course_data["intro_source"])}, report)
    db.session.flush()

    existing = {s.slug: s for s in db.session.scalars(select(CourseSession).where(
        CourseSession.course_id == course.id))}
    for data in sessions_data:
        row = existing.pop(data["slug"], None)
        if row is None:
            row = CourseSession(course_id=course.id, slug=data["slug"])
            db.session.add(row)
        values = {k: v for k, v in data.items() if k != "file"}
        values["body_html"] = render_markdown(values["body_source"])
        values["retired_at"] = None
        _assign(row, values, report)
    for gone in existing.values():
        if gone.retired_at is None:
            gone.retired_at = utcnow()
            report.retired.append(gone.slug)
    _load_exercises(course.id, content.exercises, report)
    _load_resources(course.id, content.resources, report)
    _load_agreements(content.agreements, report)
    from portal.evaluation.content import load_evaluations

    load_evaluations(content.evaluations)
    _open_starter_threads()
    db.session.commit()
    return report


def _load_exercises(course_id: int, exercises: list[dict[str, Any]], report: LoadReport) -> None:
    from portal.exercises.loader import load_exercises

    db.session.flush()
    session_ids = {s.number: s.id for s in db.session.scalars(select(CourseSession).where(
        CourseSession.course_id == course_id, CourseSession.retired_at.is_(None)))}
    load_exercises(course_id, session_ids, exercises, report.exercises)


def _load_resources(course_id: int, resources: list[dict[str, Any]], report: LoadReport) -> None:
    from portal.resources.content import load_resources

    session_ids = {s.number: s.id for s in db.session.scalars(select(CourseSession).where(
        CourseSession.course_id == course_id, CourseSession.retired_at.is_(None)))}
    load_resources(course_id, session_ids, resources, report.resources)


def _open_starter_threads() -> None:
    """New or added discussion prompts become starter threads in every cohort of the course."""
    from portal.cohorts.models import Cohort
    from portal.discussions.services import ensure_starter_threads

    for cohort in db.session.scalars(select(Cohort).where(Cohort.status != "archived")):
        ensure_starter_threads(cohort)


def _load_agreements(agreements: list[dict[str, Any]], report: LoadReport) -> None:
    """Upsert agreement texts; a changed confidentiality text asks every cohort to agree again."""
    from portal.agreements.models import Agreement
    from portal.agreements.services import renew_all_for_new_text

    existing = {a.slug: a for a in db.session.scalars(select(Agreement))}
    renew = False
    for data in agreements:
        row = existing.get(data["slug"])
        if row is None:
            row = Agreement(slug=data["slug"])
            db.session.add(row)
        before = row.body_source
        _assign(row, {**data, "body_html": render_markdown(data["body_source"])}, report)
        renew = renew or (data["slug"] == REQUIRED_AGREEMENT and before is not None
                          and before != data["body_source"])
    db.session.flush()
    if renew:
        report.renewed_agreements = renew_all_for_new_text()


def _assign(row, values: dict[str, Any], report: LoadReport) -> None:
    is_new = row.id is None
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if is_new:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
