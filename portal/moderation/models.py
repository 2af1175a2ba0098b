"""Alerts that call a cohort's facilitators to something that needs them (held content, safety flags)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

# What can be moderated: a table's rows named the same way in flags, alerts, the queue and the audit log.
SUBJECT_KINDS = ("post", "thread", "response", "feedback")
# Why the facilitators are called. Safety first in the queue: these two come before anything else.
SAFETY_REASONS = ("safety_words", "safety_flag")
ALERT_REASONS = SAFETY_REASONS + ("pre_moderation", "flag_threshold")


class ModerationAlert(db.Model):
    """One call to a cohort's facilitators about one item; open until a facilitator handles it."""

    __tablename__ = "moderation_alerts"
    __table_args__ = (Index("ix_moderation_alerts_open", "cohort_id", "handled_at", "created_at"),
                      Index("ix_moderation_alerts_subject", "subject_kind", "subject_id"),
                      one_of("reason", ALERT_REASONS, "reason"),
                      one_of("subject_kind", SUBJECT_KINDS, "subject_kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    # Whose words these are, and who raised it (a flagger; none when the portal held it itself).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_safety(self) -> bool:
        return self.reason in SAFETY_REASONS
