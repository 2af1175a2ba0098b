"""Messages waiting for the worker."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db


class QueuedMail(db.Model):
    __tablename__ = "queued_mail"
    __table_args__ = (Index("ix_queued_mail_waiting", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict | None] = mapped_column(JSON)  # added headers (List-Unsubscribe, ...), checked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
