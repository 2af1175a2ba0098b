"""Journal entries. Special-category data: only the author reads an entry, unless they share it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.discussions.models import BODY_MAX, TITLE_MAX
from portal.extensions import db

ENTRY_MAX = BODY_MAX  # the same limit as a post
REPLY_MAX = 20_000


class JournalEntry(db.Model):
    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("author_id", "client_token"),
                      Index("ix_journal_entries_author_cohort", "author_id", "cohort_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # The entry goes with its author's account.
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_session_id: Mapped[int | None] = mapped_column(ForeignKey("course_sessions.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    client_token: Mapped[str | None] = mapped_column(String(64))  # a resent form makes no second entry
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Shared with the cohort's facilitators while set; revoking clears it (the reply stays for the author).
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reply_source: Mapped[str | None] = mapped_column(Text)
    reply_html: Mapped[str | None] = mapped_column(Text)
    reply_author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def version(self) -> str:
        return self.updated_at.isoformat()
