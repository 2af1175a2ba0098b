"""Timetable changes announce themselves: when a session that had a date moves (its date or time changes, or
its date is taken away), each member is told, once per session per save. Setting a date for the first time is
planning, not news, and corrections to sessions already past say nothing. The fan-out merges a person's unread
notices about the same session into the newest (notify.for_timetable), and each notice reads the session's
date as it is now, so a quick run of corrections never leaves a wrong date in anyone's list."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from portal.dates import local_today
from portal.extensions import db
from portal.notifications.events import record as notify
from portal.notifications.models import NotificationEvent

Before = dict[int, tuple[date | None, time | None]]


def snapshot(rows) -> Before:
    """Each timetable row's date and time before an edit."""
    return {row.id: (row.day, row.start_time) for row in rows}


def _moved(before: tuple, row, today: date) -> bool:
    old_day, old_time = before
    if old_day is None or (old_day, old_time) == (row.day, row.start_time):
        return False
    return not (old_day < today and row.day is not None and row.day < today)


def record_changes(cohort, rows, before: Before, actor_id: int | None) -> int:
    """In the caller's transaction: one event per session that moved, unless one about it is still waiting to
    go out (it will read the newest date anyway). Returns how many were recorded."""
    if cohort.is_closed:
        return 0
    today = local_today()
    moved = [row.id for row in rows if row.id in before and _moved(before[row.id], row, today)]
    if not moved:
        return 0
    waiting = set(db.session.scalars(select(NotificationEvent.subject_id).where(
        NotificationEvent.kind == "timetable_changed", NotificationEvent.subject_kind == "timetable_session",
        NotificationEvent.subject_id.in_(moved), NotificationEvent.fanned_out_at.is_(None))))
    for entry_id in moved:
        if entry_id not in waiting:
            notify("timetable_changed", cohort.id, actor_id, "timetable_session", entry_id)
    return len(moved) - len(waiting)
