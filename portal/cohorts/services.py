"""Cohort use cases: create and schedule cohorts, release sessions, look after memberships."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from portal.agreements.services import add_version
from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession, Membership
from portal.course.models import Course, CourseSession
from portal.dates import local_today, utcnow
from portal.discussions.services import ensure_starter_threads
from portal.errors import RuleViolation
from portal.exercises.allocating import rebalance_for_member
from portal.extensions import db


def session_is_open(entry: CohortSession, today: date | None = None) -> bool:
    """Open to learners on its scheduled date, or from when a facilitator released it by hand."""
    if entry.released_at is not None:
        return True
    if entry.day is None:
        return False
    return entry.day <= (today or local_today())


def create_cohort(actor: User, course: Course, name: str, start_date: date | None, status: str = "planned") -> Cohort:
    """A cohort with an empty timetable for every session and version 1 of its group agreement."""
    cohort = Cohort(course_id=course.id, name=name.strip(), start_date=start_date, status=status)
    db.session.add(cohort)
    db.session.flush()
    for session in db.session.scalars(CourseSession.select_live(course.id)):
        db.session.add(CohortSession(cohort_id=cohort.id, course_session_id=session.id))
    add_version(cohort, actor=actor)
    ensure_starter_threads(cohort)
    db.session.commit()
    return cohort


def update_cohort(cohort: Cohort, name: str, start_date: date | None, status: str) -> None:
    cohort.name, cohort.start_date, cohort.status = name.strip(), start_date, status
    db.session.commit()


def add_facilitator(cohort: Cohort, user: User) -> Membership:
    """Make someone a facilitator of the cohort, whatever their place in it before."""
    membership = _membership(cohort.id, user.id)
    if membership is None:
        membership = Membership(cohort_id=cohort.id, user_id=user.id)
        db.session.add(membership)
    membership.role, membership.status, membership.status_changed_at = "facilitator", "active", utcnow()
    db.session.commit()
    return membership


@dataclass
class TimetableEntry:
    entry_id: int
    day: date | None
    at: time | None
    location: str | None


def save_timetable(cohort: Cohort, entries: list[TimetableEntry], actor_id: int | None = None) -> list[str]:
    """Save dates, times and places; returns gentle warnings (gaps, dates out of order), never blocks.
    A session that moves is announced to the cohort, in the same transaction."""
    from portal.announcements import timetable_changes

    rows = {e.id: e for e in db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id))}
    before = timetable_changes.snapshot(rows.values())
    for entry in entries:
        row = rows.get(entry.entry_id)
        if row is None:  # an id from another cohort, or forged
            raise RuleViolation("That timetable does not belong to this cohort.")
        row.day, row.start_time = entry.day, entry.at  # kept apart: clearing one never loses the other
        row.location = (entry.location or "").strip() or None
    timetable_changes.record_changes(cohort, rows.values(), before, actor_id)
    db.session.commit()
    return timetable_warnings(cohort.id)


def timetable_warnings(cohort_id: int) -> list[str]:
    warnings = []
    timetable = db.session.execute(CohortSession.select_timetable(cohort_id)).all()
    missing = [s.number for e, s in timetable if e.day is None]
    if missing:
        numbers = [str(n) for n in missing]
        listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        warnings.append(f"No date yet for {'session' if len(numbers) == 1 else 'sessions'} {listed}.")
    previous: tuple[int, datetime] | None = None
    for entry, session in timetable:
        if entry.day is None:
            continue
        if previous and entry.starts_at <= previous[1]:
            warnings.append(f"Session {session.number} is dated on or before session {previous[0]}. "
                            "Check this is what you meant.")
        previous = (session.number, entry.starts_at)
    return warnings


def release_session(entry: CohortSession, actor_id: int | None = None) -> None:
    if entry.released_at is None:
        from portal.notifications.releases import record_release

        entry.released_at = utcnow()
        record_release(entry, actor_id)  # members are told, in the same transaction
        db.session.commit()


def withdraw_release(entry: CohortSession) -> None:
    """Undo an early release; the session opens again on its date."""
    entry.released_at = None
    db.session.commit()


MEMBER_ACTIONS = {"suspend": "suspended", "remove": "removed", "restore": "active"}


def change_member_status(actor: User, membership: Membership, action: str) -> str:
    """Suspend (read-only), remove or restore a member; returns the notice, naming them. Not to yourself."""
    if action not in MEMBER_ACTIONS:
        raise RuleViolation("Choose suspend, remove or restore.")
    if membership.user_id == actor.id:
        raise RuleViolation("You can't change your own place in the cohort here.")
    new_status = MEMBER_ACTIONS[action]
    name = member_name(membership)
    if membership.status == "left" and action == "restore":
        if not membership.left_while_paused:
            raise RuleViolation(f"{name} left the cohort themselves. Invite them again if they want to return.")
        # They chose to leave: lift the pause's hold so they may rejoin, but don't put them back unasked.
        membership.left_while_paused = False
        record(actor, "member.rejoin_allowed", subject=_user(membership), cohort=membership.cohort_id)
        db.session.commit()
        return f"{name} can now rejoin with an invitation or an invite link."
    if membership.status != new_status:
        membership.status, membership.status_changed_at = new_status, utcnow()
        membership.left_while_paused = False
        if new_status != "active":  # their reviews go to others in the same unit of work
            rebalance_for_member(actor, membership)
        record(actor, f"member.{new_status}", subject=_user(membership), cohort=membership.cohort_id)
        db.session.commit()
    return {"suspend": f"{name} is paused: they can read but not post.",
            "remove": f"{name} has been removed from the cohort.",
            "restore": f"{name} is restored: a full member again."}[action]


def member_name(membership: Membership) -> str:
    return _user(membership).display_name


def _user(membership: Membership) -> User:
    return db.session.get(User, membership.user_id)


def leave_cohort(membership: Membership) -> None:
    """Leave the cohort. Leaving while paused keeps the pause's hold: only a facilitator lets them back."""
    membership.left_while_paused = membership.left_while_paused or membership.status == "suspended"
    membership.status, membership.status_changed_at = "left", utcnow()
    person = _user(membership)
    rebalance_for_member(person, membership)  # in the same unit of work
    record(person, "member.left", subject=person, cohort=membership.cohort_id,
           detail="while paused" if membership.left_while_paused else None)
    db.session.commit()


def mark_seen(membership: Membership) -> datetime | None:
    """Record a visit to the cohort home; returns the previous visit for 'new since' markers."""
    previous = membership.last_seen_at
    membership.last_seen_at = utcnow()
    db.session.commit()
    return previous


def _membership(cohort_id: int, user_id: int) -> Membership | None:
    return db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort_id, Membership.user_id == user_id)).first()
