"""A member's requests about their own data: a "my data" export (a ZIP built in the background) and erasure."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

EXPORT_STATES = ("queued", "building", "ready", "failed")
ERASURE_STATES = ("pending", "done", "withdrawn")


class DataExport(db.Model):
    """One ZIP of everything the portal holds about one person; its file is deleted when it expires."""

    __tablename__ = "data_exports"
    __table_args__ = (one_of("status", EXPORT_STATES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_key: Mapped[str | None] = mapped_column(String(60))  # portal/storage.py's key
    file_size: Mapped[int | None] = mapped_column(Integer)


class ErasureRequest(db.Model):
    """A member's request to be erased; a site administrator confirms it (recorded in the audit log)."""

    __tablename__ = "erasure_requests"
    __table_args__ = (one_of("status", ERASURE_STATES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
