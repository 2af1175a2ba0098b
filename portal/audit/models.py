"""One row per thing someone did that others may need to account for later."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

ACTION_MAX = 60
SUBJECT_TYPE_MAX = 40
DETAIL_MAX = 2000


class AuditEvent(db.Model):
    """Who did what to which thing, when, in which cohort, and the reason they gave."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),
                      Index("ix_audit_events_subject", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept when the person or cohort goes: the event stays, the link becomes empty.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(ACTION_MAX))  # "account.deactivated", later "post.hidden"
    subject_type: Mapped[str | None] = mapped_column(String(SUBJECT_TYPE_MAX))  # a table name: "users"
    subject_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)  # the reason given, or what changed


class AppendOnly(RuntimeError):
    pass


def guard_append_only() -> None:
    """Refuse, in the ORM, any change to or removal of an event once written."""
    if event.contains(Session, "before_flush", _refuse_changes):
        return
    event.listen(Session, "before_flush", _refuse_changes)


def _refuse_changes(session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnly("Audit events are never changed or removed.")
