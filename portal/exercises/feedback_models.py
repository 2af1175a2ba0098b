"""Feedback on exercise responses, and who is asked to give it in "allocated" mode."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db
from portal.moderation.held_models import HeldMixin

FEEDBACK_STATUSES = ("draft", "given")
WORKED_MAX = 5_000  # "What worked well"
CONSIDER_MAX = 5_000  # "Something to consider"
REASON_MAX = 500  # a facilitator's reason for hiding feedback
TAKE_FORWARD_MAX = 2_000  # the author's "what I will take forward" note
# How the feedback landed, told by the author to the reviewer: three quick answers.
LANDED_QUESTIONS = (("strengths_first", "Did it start with strengths?"), ("respectful", "Was it respectful?"),
                    ("useful", "Was it useful?"))
LANDED_ANSWERS = ("yes", "partly", "no")


class Feedback(HeldMixin, db.Model):
    """One reviewer's feedback on one response (one row each: a double submit can't make two)."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("response_id", "reviewer_id"),
                      one_of("status", FEEDBACK_STATUSES, "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("exercise_responses.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_worked_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised once, on write
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # {criterion key: step label}: words only
    to_consider: Mapped[str | None] = mapped_column(Text)
    to_consider_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    client_token: Mapped[str | None] = mapped_column(String(64))  # the form it was given from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The author's answers {question key: yes/partly/no}: seen by this reviewer and facilitators only.
    landed: Mapped[dict | None] = mapped_column(JSON)
    landed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_given(self) -> bool:
        return self.status == "given"


class ReviewAllocation(db.Model):
    """In allocated mode: this reviewer is asked to give feedback on this response."""

    __tablename__ = "review_allocations"
    __table_args__ = (UniqueConstraint("response_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("exercise_responses.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    manual: Mapped[bool] = mapped_column(Boolean, default=False)  # a facilitator's choice: allocation keeps it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExamplePractice(db.Model):
    """A learner's practice on an exercise's example, before their first feedback: once per exercise and
    cohort (a double submit can't make two). Seen only by the learner, beside the reference feedback."""

    __tablename__ = "example_practice"
    __table_args__ = (UniqueConstraint("cohort_id", "exercise_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # {criterion key: step label}, like Feedback
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_worked_html: Mapped[str] = mapped_column(Text, default="")
    to_consider: Mapped[str | None] = mapped_column(Text)
    to_consider_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
