"""Session released: when a facilitator releases a session early (recorded with the release), or when a
session's day comes (the sweep records it once)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, exists, select

from portal.cohorts.models import Cohort, CohortSession
from portal.dates import local_today
from portal.extensions import db
from portal.notifications.events import record
from portal.notifications.models import NotificationEvent

RUNNING = ("running",)


def _recorded(entry_id_column):
    return exists().where(NotificationEvent.kind == "session_released",
                          NotificationEvent.subject_kind == "cohort_session",
                          NotificationEvent.subject_id == entry_id_column)


def record_release(entry: CohortSession, actor_id: int | None) -> None:
    """In the caller's transaction (a facilitator's early release)."""
    if not db.session.scalar(select(_recorded(entry.id))):
        record("session_released", entry.cohort_id, actor_id, "cohort_session", entry.id)


def record_opened_sessions() -> int:
    """Sessions of running cohorts whose day is today or yesterday (a missed run catches up) and that nobody
    has been told about yet. Older ones are left alone: a new install doesn't announce the past."""
    today = local_today()
    ids = db.session.execute(select(CohortSession.id, CohortSession.cohort_id)
                             .join(Cohort, Cohort.id == CohortSession.cohort_id)
                             .where(Cohort.status.in_(RUNNING), CohortSession.released_at.is_(None),
                                    and_(CohortSession.day <= today, CohortSession.day >= today - timedelta(days=1)),
                                    ~_recorded(CohortSession.id))).all()
    for entry_id, cohort_id in ids:
        record("session_released", cohort_id, None, "cohort_session", entry_id)
    db.session.commit()
    return len(ids)
