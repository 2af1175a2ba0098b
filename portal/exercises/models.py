"""Practice exercises as loaded from content/exercises/, and a cohort's own choice of feedback mode."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint,
                        select)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cohorts.models import one_of
from portal.course.models import CourseSession
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

# open: anyone in the cohort may give feedback; allocated: each response gets k reviewers;
# facilitator-only: only the cohort's facilitators read and answer.
MODES = ("open", "allocated", "facilitator-only")
MIN_REVIEWERS, MAX_REVIEWERS, DEFAULT_REVIEWERS = 1, 4, 2
STEPS = 4  # every criterion is rated on four described steps; peers only ever see the words


class Exercise(db.Model):
    """One exercise of a session.

    Criteria live as JSON on the exercise: they are authored with it, always read and shown together,
    and never queried one by one. Each is {"key", "name", "description", "steps": [{"label",
    "sentence"} x4]}; feedback will refer to a criterion by its key and a step by its label.
    """

    __tablename__ = "exercises"
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        one_of("mode", MODES, "mode"),
        CheckConstraint(f"reviewers_per_response IS NULL OR reviewers_per_response BETWEEN "
                        f"{MIN_REVIEWERS} AND {MAX_REVIEWERS}", name="reviewers_per_response"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    course_session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="RESTRICT"),
                                                   index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the session (file order)
    prompt_source: Mapped[str] = mapped_column(Text, default="")
    prompt_html: Mapped[str] = mapped_column(Text, default="")
    guidance_source: Mapped[str] = mapped_column(Text, default="")
    guidance_html: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(20))
    reviewers_per_response: Mapped[int | None] = mapped_column(Integer)  # allocated mode only
    anonymous_reviewers: Mapped[bool] = mapped_column(Boolean, default=False)
    give_before_get: Mapped[bool] = mapped_column(Boolean, default=False)
    # Days after the session's date (negative: before it).
    responses_due_days: Mapped[int] = mapped_column(Integer)
    feedback_due_days: Mapped[int] = mapped_column(Integer)
    # Asked privately before submitting, for exercises about sharing one's own experience.
    self_check: Mapped[bool] = mapped_column(Boolean, default=False)
    self_check_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    criteria: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # A made-up response to practise on, with the reference feedback (see example_checks.py):
    # {"what_worked": {"source", "html"}, "ratings": {criterion key: step label}, "why": {criterion key:
    # one line}, "to_consider": {"source", "html"} or None}.
    example_response_source: Mapped[str | None] = mapped_column(Text)
    example_response_html: Mapped[str | None] = mapped_column(Text)
    example_feedback: Mapped[dict | None] = mapped_column(JSON)
    # Set when the exercise disappears from content/: kept for the responses that refer to it.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course_session: Mapped[CourseSession] = relationship(lazy="raise")

    @property
    def has_example(self) -> bool:
        # An example loaded before its reference feedback had this shape waits for the next content load.
        return self.example_response_source is not None and "what_worked" in (self.example_feedback or {})

    @staticmethod
    def select_live(course_session_id: int):
        return (select(Exercise)
                .where(Exercise.course_session_id == course_session_id, Exercise.retired_at.is_(None))
                .order_by(Exercise.position, Exercise.id))


class CohortExerciseSetting(db.Model):
    """A cohort's facilitators may choose another feedback mode for one exercise (none: the file's)."""

    __tablename__ = "cohort_exercise_settings"
    __table_args__ = (UniqueConstraint("cohort_id", "exercise_id"), one_of("mode", MODES, "mode"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str | None] = mapped_column(String(20))
    # "Give before you get": a facilitator let every author read their feedback for this exercise.
    feedback_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
