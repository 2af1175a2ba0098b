"""The course as loaded from content/: one course, its sessions in order."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    intro_source: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", order_by="CourseSession.number", lazy="raise")

    @staticmethod
    def select_current():
        """The course shown on the course page: the first one loaded."""
        return select(Course).order_by(Course.id).limit(1)


class CourseSession(db.Model):
    """One of the course's numbered sessions (not a login session)."""

    __tablename__ = "course_sessions"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    aims: Mapped[list[str]] = mapped_column(JSON, default=list)
    key_concepts: Mapped[list[str]] = mapped_column(JSON, default=list)
    discussion_prompts: Mapped[list[dict]] = mapped_column(JSON, default=list)
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # Set when the session disappears from content/: kept for what refers to it, hidden from lists.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 'after': posts show at once (moderated after posting); 'before': each is held for a facilitator.
    moderation: Mapped[str] = mapped_column(String(10), default="after", server_default="after")
    content_warning_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="sessions", lazy="raise")

    @staticmethod
    def select_live(course_id: int):
        return (select(CourseSession)
                .where(CourseSession.course_id == course_id, CourseSession.retired_at.is_(None))
                .order_by(CourseSession.number))
