"""Session resources: the course's own (from content/, no cohort) and each cohort's (added by its facilitators)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

KINDS = ("link", "file")
FILE_TYPES = ("pdf", "docx", "odt", "pptx", "md")
TITLE_MAX = 120
DESCRIPTION_MAX = 300
URL_MAX = 2000


class Resource(db.Model):
    """A link or a file for one session. `cohort_id` is empty for the course's own resources, which every
    cohort of the course sees; a cohort's own are seen only inside that cohort."""

    __tablename__ = "resources"
    __table_args__ = (UniqueConstraint("course_id", "slug"), UniqueConstraint("cohort_id", "client_token"),
                      one_of("kind", KINDS, "kind"), one_of("file_type", FILE_TYPES, "file_type"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    course_session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"),
                                                   index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str | None] = mapped_column(String(80))  # the course's own only: how content/ names it
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX), default="")
    url: Mapped[str | None] = mapped_column(String(URL_MAX))
    file_key: Mapped[str | None] = mapped_column(String(60))  # a cohort's upload: portal/storage.py's key
    content_file: Mapped[str | None] = mapped_column(String(120))  # a course file in content/resources/files/
    file_name: Mapped[str | None] = mapped_column(String(120))  # cleaned, offered on download
    file_type: Mapped[str | None] = mapped_column(String(8))
    file_size: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    client_token: Mapped[str | None] = mapped_column(String(64))  # one form sent twice adds one resource
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # gone from content/: kept, hidden

    @property
    def is_course_own(self) -> bool:
        return self.cohort_id is None


class ResourceOpened(db.Model):
    """That a member has opened a resource (downloaded it or followed its link through the portal)."""

    __tablename__ = "resource_opens"
    __table_args__ = (UniqueConstraint("resource_id", "cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
