"""Attendance use cases: the register for a session, saving it in one go, and the totals."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.attendance.models import ATTENDANCE_STATUSES, Attendance
from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Cohort, CohortSession, Membership
from portal.course.models import CourseSession
from portal.dates import human_day, local_today
from portal.errors import NotFound, RuleViolation
from portal.extensions import db

NOT_LEARNERS = ("Some of the people in this form are not learners in this cohort, so nothing has been saved. "
                "Refresh the page and try again.")
NOT_A_CHOICE = "Choose Present, Sent apologies or Absent for each person you mark. Nothing has been saved yet."
NOT_RECORDED = "unrecorded"  # the answer that takes a mark back


def not_yet_held(entry: CohortSession) -> bool:
    """A session dated after today: there is nothing to record yet. (Undated sessions may have been held.)"""
    return entry.day is not None and entry.day > local_today()


def not_yet_held_message(entry: CohortSession) -> str:
    return (f"This session has not happened yet: it is on {human_day(entry.day)}. "
            "You can record who came from that day.")


class AttendanceRefused(RuleViolation):
    """Nothing was saved; `invalid` holds the memberships whose answer was not one of the choices."""

    status = 422

    def __init__(self, message: str, invalid: frozenset[int] = frozenset()) -> None:
        super().__init__(message)
        self.invalid = invalid


def _current_learners(cohort_id: int) -> tuple:
    """Who is on the register: learners whose place is active or paused."""
    return (Membership.cohort_id == cohort_id, Membership.role == "learner",
            Membership.status.in_(CURRENT_STATUSES))


def load_learners(cohort_id: int) -> list[tuple[Membership, User]]:
    """The cohort's current learners with their accounts, by name, in one query."""
    return db.session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(*_current_learners(cohort_id))
        .order_by(User.display_name, User.id)).all()


def find_session(cohort_id: int, number: int) -> tuple[CohortSession, CourseSession] | None:
    """The cohort's timetable row for a session number, with its content, or None."""
    return db.session.execute(
        CohortSession.select_timetable(cohort_id).where(CourseSession.number == number)).first()


def recorded_statuses(cohort_session_id: int) -> dict[int, str]:
    """What is recorded for a session so far: {membership id: status}."""
    return dict(db.session.execute(
        select(Attendance.membership_id, Attendance.status)
        .where(Attendance.cohort_session_id == cohort_session_id)).all())


def record_attendance(actor: User, cohort: Cohort, cohort_session: CohortSession, statuses: dict[int, str]) -> int:
    """Save a session's register at once (upsert); one forged or unknown answer and nothing is saved.

    Learners missing from `statuses` keep whatever they had (nothing, the first time); NOT_RECORDED takes
    a mark back. Returns how many records were added, changed or cleared.
    """
    if cohort_session.cohort_id != cohort.id:
        raise NotFound("That session is not part of this cohort.")
    if cohort.is_archived:
        raise RuleViolation("This cohort has been archived, so its attendance can no longer be changed.")
    if not_yet_held(cohort_session):
        raise AttendanceRefused(not_yet_held_message(cohort_session))
    learner_ids = set(db.session.scalars(select(Membership.id).where(*_current_learners(cohort.id))))
    if not set(statuses) <= learner_ids:
        raise AttendanceRefused(NOT_LEARNERS)
    invalid = frozenset(m for m, status in statuses.items() if status not in (*ATTENDANCE_STATUSES, NOT_RECORDED))
    if invalid:
        raise AttendanceRefused(NOT_A_CHOICE, invalid)
    existing = {m: (row_id, status) for m, row_id, status in db.session.execute(
        select(Attendance.membership_id, Attendance.id, Attendance.status)
        .where(Attendance.cohort_session_id == cohort_session.id))}
    marks = {m: status for m, status in statuses.items() if status != NOT_RECORDED}
    new = [{"cohort_session_id": cohort_session.id, "membership_id": m, "status": status, "recorded_by_id": actor.id}
           for m, status in marks.items() if m not in existing]
    changed = [{"id": existing[m][0], "status": status, "recorded_by_id": actor.id}
               for m, status in marks.items() if m in existing and existing[m][1] != status]
    cleared = [existing[m][0] for m, status in statuses.items() if status == NOT_RECORDED and m in existing]
    # Bulk statements: one INSERT and one UPDATE whatever the size of the cohort.
    if new:
        db.session.execute(insert(Attendance), new)
    if changed:
        db.session.execute(update(Attendance), changed)
    if cleared:
        db.session.execute(delete(Attendance).where(Attendance.id.in_(cleared)))
    try:
        db.session.commit()
    except IntegrityError:
        # Two people saved the same session at the same moment: theirs stands, ours is not half-saved.
        db.session.rollback()
        raise RuleViolation("Someone else saved attendance for this session at the same moment. "
                            "Check the register and save it again.") from None
    return len(new) + len(changed) + len(cleared)


@dataclass(frozen=True)
class SessionRow:
    entry: CohortSession
    session: CourseSession
    counts: Counter  # status → how many learners; "unrecorded" for the rest

    @property
    def not_yet_held(self) -> bool:
        return not_yet_held(self.entry)


@dataclass(frozen=True)
class LearnerRow:
    membership: Membership
    user: User
    counts: Counter  # status → how many sessions


@dataclass(frozen=True)
class Overview:
    sessions: list[SessionRow]
    learners: list[LearnerRow]


def load_overview(cohort_id: int) -> Overview:
    """Each session's summary and each current learner's totals, in three queries whatever the size."""
    timetable = db.session.execute(CohortSession.select_timetable(cohort_id)).all()
    learners = load_learners(cohort_id)
    # Every learner's records, former ones too: removing someone doesn't rewrite the cohort's history.
    records = db.session.execute(
        select(Attendance.cohort_session_id, Attendance.membership_id, Attendance.status)
        .join(Membership, Membership.id == Attendance.membership_id)
        .join(CohortSession, CohortSession.id == Attendance.cohort_session_id)
        .where(CohortSession.cohort_id == cohort_id, Membership.role == "learner")).all()
    by_session = {entry.id: Counter() for entry, _ in timetable}
    by_learner = {membership.id: Counter() for membership, _ in learners}
    on_register = Counter()
    for session_id, membership_id, status in records:
        if session_id in by_session:  # a retired session's records are kept but not counted
            by_session[session_id][status] += 1
            if membership_id in by_learner:
                by_learner[membership_id][status] += 1
                on_register[session_id] += 1
    for session_id, counts in by_session.items():
        counts[NOT_RECORDED] = len(learners) - on_register[session_id]
    return Overview([SessionRow(e, s, by_session[e.id]) for e, s in timetable],
                    [LearnerRow(m, u, by_learner[m.id]) for m, u in learners])


def load_own_record(membership: Membership) -> list[tuple[CohortSession, CourseSession, str | None]]:
    """One member's record for each session of their cohort (None where nothing is recorded), in two queries."""
    timetable = db.session.execute(CohortSession.select_timetable(membership.cohort_id)).all()
    mine = dict(db.session.execute(
        select(Attendance.cohort_session_id, Attendance.status)
        .where(Attendance.membership_id == membership.id)).all())
    return [(entry, session, mine.get(entry.id)) for entry, session in timetable]
