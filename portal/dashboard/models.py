"""The dashboard's snapshot of a cohort's members × sessions counts (snapshot.py keeps it fresh)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime
from portal.extensions import db


class DashboardSnapshot(db.Model):
    """One cohort's activity counts as they were at `taken_at`: counts only, never anyone's words. Replaced
    whenever it is refreshed; deleted with the cohort's content (retention) and recomputed on demand."""

    __tablename__ = "dashboard_snapshots"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    since_day: Mapped[date] = mapped_column(Date)  # the quiet-days cut-off its "recent" counts were taken from
    # {"cells": [[user id, course session id or null, attended, posted, responded, feedback], ...],
    #  "recent": [[user id, activity since the cut-off], ...]}
    figures: Mapped[dict] = mapped_column(JSON)
