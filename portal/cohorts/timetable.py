"""Reading a cohort's timetable: what is open, what is next, what opened since a visit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, select

from portal.cohorts.models import CohortSession
from portal.course.models import CourseSession
from portal.dates import from_local, local_today, utcnow
from portal.extensions import db


@dataclass(frozen=True)
class Slot:
    """One row of a timetable as people see it."""

    entry: CohortSession
    session: CourseSession
    is_open: bool
    opened_at: datetime | None  # when it opened (or will open), for "new since your last visit"

    @property
    def number(self) -> int:
        return self.session.number


def _is_open(day: date | None, released_at: datetime | None, today: date) -> bool:
    """Open from the start of its day in the course's zone, or earlier when a facilitator released it."""
    return released_at is not None or (day is not None and day <= today)


def _slot(entry: CohortSession, session: CourseSession, today: date) -> Slot:
    opens = []
    if entry.released_at is not None:
        opens.append(entry.released_at)
    if entry.day is not None:
        opens.append(from_local(entry.day, None))
    opened_at = min(opens) if opens else None
    return Slot(entry, session, _is_open(entry.day, entry.released_at, today), opened_at)


@cache
def _openings_statement():
    from portal.moderation.levels import level_sql

    return (select(CohortSession.course_session_id, CohortSession.day, CohortSession.released_at, level_sql(),
                   CourseSession.content_warning_required)
            .join(CourseSession, CourseSession.id == CohortSession.course_session_id)
            .where(CohortSession.cohort_id == bindparam("cohort_id"), CourseSession.retired_at.is_(None)))


def session_openings(cohort_id: int) -> dict[int, bool]:
    """Course session id -> open today, for every live session of the cohort. Runs on every discussion
    page, so it reads a few columns rather than each session's content. The same row carries each
    session's moderation level, kept for this request (`levels.session_moderation` reads it: no query)."""
    from portal.moderation.levels import remember_levels

    today = local_today()
    rows = db.session.execute(_openings_statement(), {"cohort_id": cohort_id}).all()
    remember_levels(cohort_id, {sid: (level, warning) for sid, _day, _released, level, warning in rows})
    return {sid: _is_open(day, released, today) for sid, day, released, _level, _warning in rows}


def load_timetable(cohort_id: int) -> list[Slot]:
    today = local_today()
    return [_slot(e, s, today) for e, s in db.session.execute(_timetable_statement(), {"cohort": cohort_id})]


@cache
def _timetable_statement():
    """Built once: every cohort page reads its timetable, and building the statement cost more than a
    small query (make bench)."""
    return CohortSession.select_timetable(bindparam("cohort"))


def load_timetables(cohort_ids: list[int]) -> dict[int, list[Slot]]:
    """Timetables of several cohorts in one query (the home page)."""
    today = local_today()
    result: dict[int, list[Slot]] = {cid: [] for cid in cohort_ids}
    if not cohort_ids:
        return result
    rows = db.session.execute(
        select(CohortSession, CourseSession)
        .join(CourseSession, CourseSession.id == CohortSession.course_session_id)
        .where(CohortSession.cohort_id.in_(cohort_ids), CourseSession.retired_at.is_(None))
        .order_by(CohortSession.cohort_id, CourseSession.number))
    for entry, session in rows:
        result[entry.cohort_id].append(_slot(entry, session, today))
    return result


def next_slot(slots: list[Slot]) -> Slot | None:
    """The next meeting that has not started yet (one dated today with no time yet still counts)."""
    now, today = utcnow(), local_today()
    upcoming = [s for s in slots if s.entry.day is not None and (
        s.entry.day > today or (s.entry.day == today and (s.entry.start_time is None or s.entry.starts_at >= now)))]
    return min(upcoming, key=lambda s: s.entry.starts_at) if upcoming else None


def opened_since(slots: list[Slot], since: datetime | None) -> list[Slot]:
    if since is None:
        return []
    return [s for s in slots if s.is_open and s.opened_at is not None and s.opened_at > since]
