"""Moderation level per session: after posting (the default) or before posting (each post held for a
facilitator). The course sets it in content/ (`moderation: before`); a cohort's facilitators may choose
otherwise for their cohort (cohort_sessions.moderation), recorded in the audit log."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import func, select

from portal.cohorts.models import CohortSession
from portal.course.models import CourseSession
from portal.errors import InvalidInput, NotFound
from portal.extensions import db

LEVELS = {"after": "Posts show at once; facilitators read them after", "before": "A facilitator reads each post "
          "before others see it"}


@dataclass(frozen=True)
class SessionModeration:
    level: str  # 'after' | 'before'
    warning_required: bool  # the course asks for a content warning on every post in this session

    @property
    def before(self) -> bool:
        return self.level == "before"


AFTER = SessionModeration("after", False)


def level_sql():
    """SQL: the effective level for a row of CohortSession joined with its CourseSession."""
    return func.coalesce(CohortSession.moderation, CourseSession.moderation)


def remember_levels(cohort_id: int, levels: dict[int, tuple[str | None, bool | None]]) -> None:
    """Keep the cohort's levels for this request, read with its session openings (one query fewer per post)."""
    if has_request_context():
        g.setdefault("session_levels", {})[cohort_id] = {
            sid: SessionModeration(level or "after", bool(warning)) for sid, (level, warning) in levels.items()}


def session_moderation(cohort_id: int, course_session_id: int | None) -> SessionModeration:
    """The level of a space: the general space is always moderated after posting."""
    if course_session_id is None:
        return AFTER
    known = g.get("session_levels", {}).get(cohort_id) if has_request_context() else None
    if known is not None and course_session_id in known:
        return known[course_session_id]
    row = db.session.execute(
        select(level_sql(), CourseSession.content_warning_required)
        .join(CourseSession, CourseSession.id == CohortSession.course_session_id)
        .where(CohortSession.cohort_id == cohort_id, CohortSession.course_session_id == course_session_id)).first()
    return SessionModeration(row[0], bool(row[1])) if row else AFTER


def of_slot(entry: CohortSession, session: CourseSession) -> SessionModeration:
    """The level of a timetable row already loaded (no query)."""
    return SessionModeration(entry.moderation or session.moderation or "after", bool(session.content_warning_required))


def set_session_moderation(actor, cohort, course_session_id: int, level: str) -> bool:
    """A facilitator's choice for their cohort; the course's level is kept as None. Audited. Returns changed."""
    from portal.audit.services import record
    if level not in LEVELS:
        raise InvalidInput("Choose when a facilitator reads posts in this session. Nothing has been changed.")
    row = db.session.execute(
        select(CohortSession, CourseSession).join(CourseSession, CourseSession.id == CohortSession.course_session_id)
        .where(CohortSession.cohort_id == cohort.id, CohortSession.course_session_id == course_session_id)).first()
    if row is None:
        raise NotFound("There is no such session in this cohort.")
    entry, session = row
    before = entry.moderation or session.moderation
    if before == level:
        return False
    entry.moderation = None if level == session.moderation else level
    record(actor, "session.moderation_changed", subject=entry, cohort=cohort,
           detail=f"Session {session.number}: {before} -> {level} posting")
    db.session.commit()
    return True
