"""Cohorts and who belongs to them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.course.models import Course
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

COHORT_STATUSES = ("planned", "running", "finished", "archived")
ROLES = ("learner", "facilitator")
MEMBERSHIP_STATUSES = ("active", "suspended")


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


class Cohort(db.Model):
    __tablename__ = "cohorts"
    __table_args__ = (_one_of("status", COHORT_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    start_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(lazy="raise")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        _one_of("role", ROLES, "role"),
        _one_of("status", MEMBERSHIP_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="learner")
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    @staticmethod
    def select_for_user(user_id: int):
        """A person's memberships with their cohorts, newest cohort first, in one query."""
        return (select(Membership, Cohort)
                .join(Cohort, Cohort.id == Membership.cohort_id)
                .where(Membership.user_id == user_id)
                .order_by(Cohort.start_date.desc(), Cohort.id.desc()))
