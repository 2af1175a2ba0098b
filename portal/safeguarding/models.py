"""Safeguarding concerns, check-in conversations and the site admins' saved safety-word lists."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db
from portal.moderation.models import SUBJECT_KINDS

SUMMARY_MAX = 200
DETAILS_MAX = 4000
NOTE_MAX = 4000
OUTCOME_MAX = 2000
MESSAGE_MAX = 4000
PHRASE_LIST_MAX = 100_000
CONCERN_STATUSES = ("open", "closed")


class Concern(db.Model):
    """A facilitator's worry about one member of their cohort: what raised it, what was done, what came of it."""

    __tablename__ = "concerns"
    __table_args__ = (Index("ix_concerns_due", "status", "follow_up_on"),
                      Index("ix_concerns_cohort", "cohort_id", "status"),
                      UniqueConstraint("opened_by_id", "client_token"),
                      one_of("status", CONCERN_STATUSES, "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    follow_up_on: Mapped[date | None] = mapped_column(Date)  # the next follow-up, while open
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_token: Mapped[str | None] = mapped_column(String(64))  # a resent form finds the concern it made

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class ConcernItem(db.Model):
    """Something in the cohort that raised the concern (a post, thread, response or piece of feedback)."""

    __tablename__ = "concern_items"
    __table_args__ = (UniqueConstraint("concern_id", "subject_kind", "subject_id"),
                      one_of("subject_kind", SUBJECT_KINDS, "subject_kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)


class ConcernAction(db.Model):
    """A dated note of what was done (or the outcome on closing, or a reopening), with the next follow-up."""

    __tablename__ = "concern_actions"
    __table_args__ = (Index("ix_concern_actions_concern", "concern_id", "id"),
                      UniqueConstraint("author_id", "client_token"),
                      one_of("kind", ("action", "closed", "reopened"), "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default="action")
    done_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_token: Mapped[str | None] = mapped_column(String(64))


# Check-ins are the portal's ONLY private messages, and only ever between a cohort's facilitators and one
# member: peers never message each other privately (the course's boundaries guidance for a training group).
class CheckinConversation(db.Model):
    """The one private conversation between a cohort's facilitators (all of them) and one member."""

    __tablename__ = "checkin_conversations"
    __table_args__ = (UniqueConstraint("cohort_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the facilitators last wrote, and when the member last read: the member's unread marker.
    facilitators_wrote_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    member_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the member last wrote, and when a facilitator last read: the facilitators' unread marker.
    member_wrote_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    facilitators_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unread_by_member(self) -> bool:
        return self.facilitators_wrote_at is not None and (
            self.member_read_at is None or self.member_read_at < self.facilitators_wrote_at)

    @property
    def unread_by_facilitators(self) -> bool:
        return self.member_wrote_at is not None and (
            self.facilitators_read_at is None or self.facilitators_read_at < self.member_wrote_at)


class CheckinMessage(db.Model):
    __tablename__ = "checkin_messages"
    __table_args__ = (Index("ix_checkin_messages_conversation", "conversation_id", "id"),
                      UniqueConstraint("author_id", "client_token"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("checkin_conversations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_facilitator: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_token: Mapped[str | None] = mapped_column(String(64))


class SafetyPhraseList(db.Model):
    """A version of the safety-word list saved by a site admin. The newest wins; `text` None means
    "the default list in content/" (a restore). Earlier versions are kept, with who saved them and when."""

    __tablename__ = "safety_phrase_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str | None] = mapped_column(Text)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
