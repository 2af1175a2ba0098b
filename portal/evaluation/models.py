"""Course evaluation: forms from content/, anonymous answers, and a separate note that someone has answered.

Anonymous by design: an answer row holds no person, no time and no id that counts up. The receipt says
only that a person has answered a form for a session (so they are not asked twice) and holds nothing that
joins it to an answer. Neither table has a time column. On SQLite both are WITHOUT ROWID tables, so even
their physical order follows their keys (random for answers), not the order people answered in.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime
from portal.extensions import db

KINDS = ("scale", "choice", "text")


def random_id() -> str:
    """A random id: unlike a counter, it says nothing about which answer came first."""
    return uuid.uuid4().hex


class EvaluationForm(db.Model):
    """A form from content/evaluation/, asked after each of its sessions."""

    __tablename__ = "evaluation_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro_html: Mapped[str] = mapped_column(Text, default="")
    sessions: Mapped[list[int]] = mapped_column(JSON, default=list)  # session numbers it is asked after
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # gone from content/: kept, not asked

    @staticmethod
    def select_live():
        return select(EvaluationForm).where(EvaluationForm.retired_at.is_(None)).order_by(EvaluationForm.id)


class EvaluationQuestion(db.Model):
    __tablename__ = "evaluation_questions"
    __table_args__ = (UniqueConstraint("form_id", "key"), one_of("kind", KINDS, "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str] = mapped_column(String(300))
    hint: Mapped[str] = mapped_column(String(300), default="")
    options: Mapped[list[str]] = mapped_column(JSON, default=list)  # scale steps (in words) or choices, in order
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @staticmethod
    def select_for(form_id):
        return (select(EvaluationQuestion)
                .where(EvaluationQuestion.form_id == form_id, EvaluationQuestion.retired_at.is_(None))
                .order_by(EvaluationQuestion.position))


class EvaluationAnswer(db.Model):
    """One answer to one question: no person, no time, a random id; shown only as totals or shuffled."""

    __tablename__ = "evaluation_answers"
    __table_args__ = (Index("ix_evaluation_answers_slice", "cohort_id", "form_id", "session_number"),
                      {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"))
    session_number: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(ForeignKey("evaluation_questions.id", ondelete="CASCADE"), index=True)
    choice: Mapped[int | None] = mapped_column(Integer)  # index into the question's options
    text: Mapped[str | None] = mapped_column(Text)


class EvaluationReceipt(db.Model):
    """That someone has answered a form for a session: no answer, no time, nothing pointing at an answer."""

    __tablename__ = "evaluation_receipts"
    __table_args__ = ({"sqlite_with_rowid": False},)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"), primary_key=True)
    session_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
