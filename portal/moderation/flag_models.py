"""Flags: a member telling the facilitators that something here worries them, and why."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db
from portal.moderation.models import SUBJECT_KINDS

# The reasons follow the course's guidance on confidentiality, boundaries and risk, in its words.
FLAG_REASONS = {
    "confidential": "It shares something confidential or identifies someone",
    "boundary": "It crosses a boundary",
    "safety": "I am worried about someone's safety",
    "unsupportive": "It uses unsupportive or stigmatising language",
    "other": "Something else",
}
SAFETY_FLAG = "safety"
NOTE_MAX = 1000
# What became of a flag: a facilitator dismissed it, or acted on the item (hid, edited, ...).
OUTCOMES = ("dismissed", "acted")


class Flag(db.Model):
    """One member's flag on one item; one per member and item, so flagging twice changes nothing."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", "flagger_id"),
                      Index("ix_flags_open", "cohort_id", "resolved_at", "created_at"),
                      one_of("subject_kind", SUBJECT_KINDS, "subject_kind"),
                      one_of("reason", tuple(FLAG_REASONS), "reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    flagger_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Whose words were flagged, kept so the queue can show earlier flags on the same person cheaply.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(20))

    @property
    def reason_label(self) -> str:
        return FLAG_REASONS.get(self.reason, self.reason)


def flagged_by(user_id, kind: str, subject_id_column):
    """SQL: this person has flagged the row's item (for "You flagged this", inside the page's own query)."""
    from sqlalchemy import exists

    return exists().where(Flag.subject_kind == kind, Flag.subject_id == subject_id_column, Flag.flagger_id == user_id)
