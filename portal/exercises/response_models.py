"""Learners' responses to exercises, their earlier versions, and their private self-check answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.discussions.models import BODY_MAX, HIDDEN_REASON_MAX, WARNING_MAX
from portal.extensions import db
from portal.moderation.held_models import HeldMixin

STATUSES = ("draft", "submitted")
RESPONSE_MAX = BODY_MAX  # the same limit as a post
ANSWER_MAX = 2_000  # one self-check answer


class ExerciseResponse(HeldMixin, db.Model):
    """One learner's response to one exercise in one cohort (one row each: double submits can't make two)."""

    __tablename__ = "exercise_responses"
    __table_args__ = (UniqueConstraint("cohort_id", "exercise_id", "author_id"),
                      one_of("status", STATUSES, "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"), index=True)
    # Special-category data: a response goes with its author's account.
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised once, on write
    content_warning: Mapped[str | None] = mapped_column(String(WARNING_MAX))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Counts saved changes: the editor carries the version it opened, so a resend or a clash is noticed.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A facilitator opened it for changes after it locked; cleared when the author next saves it.
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    # "Give before you get": a facilitator let the author read feedback before giving their own.
    feedback_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After feedback: what the author will take forward. Private to the author and the facilitators.
    take_forward: Mapped[str | None] = mapped_column(Text)
    take_forward_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the author last read the feedback on it: later feedback is "waiting to be read".
    feedback_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hidden by a facilitator (or by enough flags): others see a placeholder, the author the reason.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(HIDDEN_REASON_MAX))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A facilitator edited it last (shown as "edited by a facilitator"); cleared when the author edits.
    moderator_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    withdrawn_at = None  # read like a post by `post_body`; responses are not withdrawn

    @property
    def is_submitted(self) -> bool:
        return self.status == "submitted"


class ResponseRevision(db.Model):
    """The text a submitted response had before an edit."""

    __tablename__ = "response_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("exercise_responses.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_warning: Mapped[str | None] = mapped_column(String(WARNING_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when this text was written

    withdrawn_at = None


class SelfCheck(db.Model):
    """The author's private answers before sharing. Read only for its author: never on any other page."""

    __tablename__ = "response_self_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("exercise_responses.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answers: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{"question", "answer"}]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
