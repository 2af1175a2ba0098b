"""An announcement from a cohort's facilitators, and each member's dismissal of it from their cohort home."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

TITLE_MAX = 120
BODY_MAX = 5000


class Announcement(db.Model):
    """The facilitators' words to their whole cohort: rendered once on write. A withdrawn one is shown to
    nobody and mailed to nobody (the row stays, as the audit log refers to it)."""

    __tablename__ = "announcements"
    __table_args__ = (UniqueConstraint("cohort_id", "client_token"),  # one form sent twice posts once
                      Index("ix_announcements_cohort", "cohort_id", "withdrawn_at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    client_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AnnouncementDismissal(db.Model):
    """A member closed the announcement on their cohort home (it stays on the cohort's list of announcements)."""

    __tablename__ = "announcement_dismissals"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"),
                                                 primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
