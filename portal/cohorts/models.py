"""Cohorts, who belongs to them, and their timetable."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, Time, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.course.models import Course, CourseSession
from portal.dates import UTCDateTime, from_local, to_local, utcnow
from portal.extensions import db

COHORT_STATUSES = ("planned", "running", "finished", "archived")
ROLES = ("learner", "facilitator")
# suspended: can read, cannot write. removed (by a facilitator) and left (by themselves): no access.
MEMBERSHIP_STATUSES = ("active", "suspended", "removed", "left")
CURRENT_STATUSES = ("active", "suspended")
COHORT_NAME_MAX = 120
LOCATION_MAX = 300


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


class Cohort(db.Model):
    __tablename__ = "cohorts"
    __table_args__ = (one_of("status", COHORT_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(COHORT_NAME_MAX))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    start_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the facilitators are usually around and what happens outside those hours (their words).
    usual_hours: Mapped[str | None] = mapped_column(Text)

    course: Mapped[Course] = relationship(lazy="raise")

    @property
    def is_archived(self) -> bool:
        return self.status == "archived"

    @property
    def is_closed(self) -> bool:
        """Finished or archived: nobody new joins, and its links and invitations stop working."""
        return self.status in ("finished", "archived")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        one_of("role", ROLES, "role"),
        one_of("status", MEMBERSHIP_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="learner")
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the member last opened the cohort's home page: "new since your last visit".
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Left while paused: like a removal, only a facilitator can let them back (leaving can't undo a pause).
    left_while_paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Moderation (portal/moderation/restrictions.py): muted members read but don't write; suspended ones
    # can't open the cohort. Both end by themselves when the time passes (compared on every request).
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def held_out(self) -> bool:
        """Removed by a facilitator, or left while paused: no link or invitation brings them back."""
        return self.status == "removed" or (self.status == "left" and self.left_while_paused)

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator" and self.status == "active"

    @staticmethod
    def select_for_user(user_id: int):
        """A person's current memberships with their cohorts, newest cohort first, in one query."""
        return (select(Membership, Cohort)
                .join(Cohort, Cohort.id == Membership.cohort_id)
                .where(Membership.user_id == user_id, Membership.status.in_(CURRENT_STATUSES))
                .order_by(Cohort.start_date.desc(), Cohort.id.desc()))

    @staticmethod
    def select_roster(cohort_id: int):
        """Everyone who has been in the cohort, with their accounts, facilitators first."""
        return (select(Membership, User).join(User, User.id == Membership.user_id)
                .where(Membership.cohort_id == cohort_id)
                .order_by(Membership.role.desc(), User.display_name, User.id))


class CohortSession(db.Model):
    """One course session in a cohort's timetable: when and where it meets, and whether it is open."""

    __tablename__ = "cohort_sessions"
    __table_args__ = (UniqueConstraint("cohort_id", "course_session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    course_session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="RESTRICT"))
    # The day and the time are kept apart, as typed in the course's zone: a session can have a date before
    # its time is settled (or keep its time while the date moves), and neither is ever guessed.
    day: Mapped[date | None] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    location: Mapped[str | None] = mapped_column(String(LOCATION_MAX))
    # Set when a facilitator opens the session by hand before its date.
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The facilitators' choice of moderation level for this cohort ('after' | 'before'); None: the course's.
    moderation: Mapped[str | None] = mapped_column(String(10))

    course_session: Mapped[CourseSession] = relationship(lazy="raise")

    @property
    def starts_at(self) -> datetime | None:
        """When it starts, as aware UTC: the start of its day while the time is not known. For ordering
        and comparing only; pages show `day` and `start_time` (see timetable.session_when)."""
        return from_local(self.day, self.start_time) if self.day else None

    @starts_at.setter
    def starts_at(self, value: datetime | None) -> None:
        local = to_local(value) if value is not None else None
        self.day = local.date() if local else None
        self.start_time = local.time().replace(second=0, microsecond=0) if local else None

    @staticmethod
    def select_timetable(cohort_id: int):
        """The cohort's sessions with their course content, in course order, in one query."""
        return (select(CohortSession, CourseSession)
                .join(CourseSession, CourseSession.id == CohortSession.course_session_id)
                .where(CohortSession.cohort_id == cohort_id, CourseSession.retired_at.is_(None))
                .order_by(CourseSession.number))
