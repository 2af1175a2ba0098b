"""The dashboard's members × sessions counts, kept as a per-cohort snapshot a few minutes old at most.

Counting a cohort's activity reads every one of its posts (3,000 in the bench) and was half of the page's
time; the snapshot is one small row. The page reads it with its other counts (no query of its own) and says
how old its figures are ("Figures as of 10:42am"). When there is none, or it is older than
`PORTAL_DASHBOARD_SNAPSHOT_SECONDS` (default 300; 0: always count live), or it was taken for another quiet-days
cut-off, the page counts live (exact) and a queue task stores a new one after the response. A facilitator's
"Refresh the figures" button takes one at once. Counts only, never anyone's words; deleted with the cohort's
content (privacy/retention.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app, has_request_context
from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.dashboard.activity import Activity, Counts, load_activity
from portal.dashboard.models import DashboardSnapshot
from portal.dates import from_local, local_today, utcnow
from portal.extensions import db
from portal.queue import task

SECONDS_DEFAULT = 300


def snapshot_seconds() -> int:
    """How old the figures may be before the page counts again (0 to 3600 seconds; default 300)."""
    try:
        seconds = int(current_app.config.get("DASHBOARD_SNAPSHOT_SECONDS", SECONDS_DEFAULT))
    except (TypeError, ValueError):
        return SECONDS_DEFAULT
    return seconds if 0 <= seconds <= 3600 else SECONDS_DEFAULT


def to_figures(activity: Activity) -> dict:
    """As JSON: plain ints (PostgreSQL's sums are decimals)."""
    return {"cells": [[uid, sid, int(c.attended), int(c.posted), int(c.responded), int(c.feedback)]
                      for (uid, sid), c in activity.cells.items()],
            "recent": [[uid, int(n)] for uid, n in activity.recent.items()]}


def from_figures(figures: dict) -> Activity:
    return Activity({(uid, sid): Counts(a, p, r, f) for uid, sid, a, p, r, f in figures["cells"]},
                    {uid: n for uid, n in figures["recent"]})


def usable(taken_at: datetime | None, since_day: date | None, wanted_since: date, now: datetime) -> bool:
    seconds = snapshot_seconds()
    return (taken_at is not None and since_day == wanted_since and seconds > 0
            and timedelta(0) <= now - taken_at <= timedelta(seconds=seconds))


def dashboard_activity(cohort_id: int, since: datetime, since_day: date, stored: tuple) -> tuple[Activity, datetime]:
    """The activity to show and the time its figures are from. `stored`: the snapshot's (taken_at, since_day,
    figures), read with the page's other counts, or Nones."""
    taken_at, snap_since, figures = stored
    now = utcnow()
    if figures is not None and usable(taken_at, snap_since, since_day, now):
        return from_figures(figures), taken_at
    activity = load_activity(cohort_id, since=since, since_day=since_day)
    if has_request_context() and snapshot_seconds() > 0:
        from portal.deferred import after_response

        after_response(refresh_later, cohort_id)  # never a write in the page's own (read-only) request
    return activity, now


def refresh_later(cohort_id: int) -> None:
    refresh_snapshot_task(cohort_id)


@task()
def refresh_snapshot_task(cohort_id: int) -> None:
    refresh_snapshot(cohort_id)


def refresh_snapshot(cohort_id: int) -> datetime:
    """Count the cohort's activity now and keep it as its snapshot (replacing the last one). Commits."""
    from portal.dashboard.queries import quiet_days

    since_day = local_today() - timedelta(days=quiet_days())
    activity = load_activity(cohort_id, since=from_local(since_day, None), since_day=since_day)
    taken_at = utcnow()
    db.session.execute(_upsert(db.session.get_bind().dialect.name),
                       {"cohort_id": cohort_id, "taken_at": taken_at, "since_day": since_day,
                        "figures": to_figures(activity)})
    db.session.commit()
    return taken_at


@cache
def _upsert(dialect: str):
    """One statement: two refreshes at once (the queue and the button) can't collide."""
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert_(DashboardSnapshot.__table__).values(
        cohort_id=bindparam("cohort_id"), taken_at=bindparam("taken_at"), since_day=bindparam("since_day"),
        figures=bindparam("figures", type_=DashboardSnapshot.__table__.c.figures.type))
    return stmt.on_conflict_do_update(
        index_elements=["cohort_id"],
        set_={"taken_at": stmt.excluded.taken_at, "since_day": stmt.excluded.since_day,
              "figures": stmt.excluded.figures})
