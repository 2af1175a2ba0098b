"""A site administrator's recorded, time-limited opening of one cohort to read its members' words."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

REASON_MAX = 500
MINUTES_MIN, MINUTES_MAX = 5, 60  # short on purpose: open again, with a new reason, if more is needed


class CohortOpening(db.Model):
    """Open from `opened_at` until `expires_at` (or `ended_at`, if ended early). Rows are kept: they are
    the record the cohort's facilitators see of who read their cohort, why and until when."""

    __tablename__ = "cohort_openings"
    __table_args__ = (Index("ix_cohort_openings_cohort_expires", "cohort_id", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_open_at(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at
