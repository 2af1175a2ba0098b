"""The mail outbox: the transactional record of every message, written with what caused it."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db


def new_message_id() -> str:
    """A Message-ID chosen once, when the message is written: every attempt sends the same one, so a
    receiving server (or a test) can tell a repeat from a new message."""
    return f"<{uuid.uuid4().hex}@cohort-portal>"


class QueuedMail(db.Model):
    __tablename__ = "queued_mail"
    __table_args__ = (Index("ix_queued_mail_waiting", "sent_at", "id"),
                      Index("ix_queued_mail_due", "sent_at", "failed_at", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True, default=new_message_id)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict | None] = mapped_column(JSON)  # added headers (List-Unsubscribe, ...), checked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set only once the server accepted it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # A worker's claim: until then nobody else sends it; a worker killed mid-delivery lets it lapse.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: due now
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last allowed attempt failed
