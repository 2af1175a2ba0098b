"""Due dates, extensions, submissions (every version kept) and marking of the assignments in content/."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

SLUG_MAX = 80
FILE_TYPES = ("pdf", "docx", "odt")
MARK_STATES = ("draft", "awaiting moderation", "released")


class AssignmentDue(db.Model):
    """A cohort's due date for one assignment, set by its facilitators."""

    __tablename__ = "assignment_dues"
    __table_args__ = (UniqueConstraint("cohort_id", "assignment_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    assignment_slug: Mapped[str] = mapped_column(String(SLUG_MAX))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AssignmentExtension(db.Model):
    """One learner's own later due date (the latest one given counts)."""

    __tablename__ = "assignment_extensions"
    __table_args__ = (UniqueConstraint("cohort_id", "assignment_slug", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    assignment_slug: Mapped[str] = mapped_column(String(SLUG_MAX))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Submission(db.Model):
    """One version handed in: text and/or one file. Never changed or deleted once made."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("cohort_id", "assignment_slug", "user_id", "version"),
                      one_of("file_type", FILE_TYPES, "file_type"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    assignment_slug: Mapped[str] = mapped_column(String(SLUG_MAX))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    text_sha256: Mapped[str] = mapped_column(String(64))
    file_key: Mapped[str | None] = mapped_column(String(60))  # portal/storage.py's key
    file_name: Mapped[str | None] = mapped_column(String(120))  # cleaned, for the download only
    file_type: Mapped[str | None] = mapped_column(String(8))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    is_late: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Marking(db.Model):
    """A facilitator's feedback and outcome on one submission; the learner sees it once released."""

    __tablename__ = "assignment_markings"
    __table_args__ = (one_of("state", MARK_STATES, "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), unique=True)
    marker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    feedback: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
