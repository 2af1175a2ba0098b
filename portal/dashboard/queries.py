"""The cohort dashboard's read side: members × sessions, what is waiting, who has gone quiet, the timetable.

A fixed number of queries whatever the cohort's size (tests/dashboard/test_queries.py counts them): the
timetable, members with their agreement status, one query of counts that also reads the activity snapshot
(snapshot.py; the activity's GROUP BY query only when it is missing or stale), the exercises and review counts
of the exercise overview, and the safeguarding follow-ups due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select

from portal.assignments.models import Marking, Submission
from portal.cohorts.timetable import Slot, load_timetable
from portal.dashboard.activity import Activity
from portal.dashboard.members import Member, cohort_members
from portal.dashboard.models import DashboardSnapshot
from portal.dashboard.snapshot import dashboard_activity
from portal.dates import from_local, local_today
from portal.exercises import overview as exercise_overview
from portal.exercises.responses import is_overdue
from portal.extensions import db
from portal.moderation.flag_models import Flag
from portal.moderation.models import ModerationAlert
from portal.moderation.queue import HELD_REASONS
from portal.safeguarding.concerns import followups_due

QUIET_DAYS_DEFAULT = 14


def quiet_days() -> int:
    """`PORTAL_QUIET_DAYS`: days without activity before a learner shows as quiet (default 14)."""
    try:
        days = int(current_app.config.get("QUIET_DAYS", QUIET_DAYS_DEFAULT))
    except (TypeError, ValueError):
        return QUIET_DAYS_DEFAULT
    return days if 1 <= days <= 365 else QUIET_DAYS_DEFAULT


@dataclass(frozen=True)
class Waiting:
    held: int  # held items waiting for a facilitator
    flagged: int  # items with open flags
    follow_ups: int  # safeguarding follow-ups that have come due (counted, never their words)
    reviews_overdue: int  # allocated reviews past their feedback due date, not given
    reviewers_overdue: list[str]  # who those reviews wait on
    to_mark: int  # hand-ins waiting for marking or moderation
    not_accepted: list[str]  # current members who have not accepted the agreement in force

    def __bool__(self) -> bool:
        return bool(self.held or self.flagged or self.follow_ups or self.reviews_overdue or self.to_mark
                    or self.not_accepted)


@dataclass(frozen=True)
class Dashboard:
    slots: list[Slot]
    members: list[Member]  # current learners, by name
    activity: Activity
    waiting: Waiting
    quiet: list[Member]  # learners with no activity for `quiet_days` (facilitators only)
    quiet_days: int
    held_sessions: list[Slot]
    released: list[Slot]  # opened early by a facilitator, before their date
    to_come: list[Slot]
    as_of: datetime  # when the activity figures were counted (snapshot.py)


@lru_cache(maxsize=1)
def _counts_statement():
    """Held items, flagged items and hand-ins to mark, in one query of three counts, and the activity
    snapshot."""
    cohort = bindparam("cohort")
    held = (select(ModerationAlert.subject_kind, ModerationAlert.subject_id)
            .where(ModerationAlert.cohort_id == cohort, ModerationAlert.handled_at.is_(None),
                   ModerationAlert.reason.in_(HELD_REASONS)).distinct().subquery())
    flagged = (select(Flag.subject_kind, Flag.subject_id)
               .where(Flag.cohort_id == cohort, Flag.resolved_at.is_(None)).distinct().subquery())
    newest = (select(Submission.user_id, Submission.assignment_slug, func.max(Submission.version).label("version"))
              .where(Submission.cohort_id == cohort).group_by(Submission.user_id, Submission.assignment_slug)
              .subquery())
    to_mark = (select(func.count(Submission.id))
               .join(newest, and_(newest.c.user_id == Submission.user_id,
                                  newest.c.assignment_slug == Submission.assignment_slug,
                                  newest.c.version == Submission.version))
               .outerjoin(Marking, Marking.submission_id == Submission.id)
               .where(Submission.cohort_id == cohort, or_(Marking.id.is_(None), Marking.state != "released")))
    # The cohort's activity snapshot rides on this query (snapshot.py): no query of its own.
    snapshot = [select(column).where(DashboardSnapshot.cohort_id == cohort).scalar_subquery()
                for column in (DashboardSnapshot.taken_at, DashboardSnapshot.since_day, DashboardSnapshot.figures)]
    return select(select(func.count()).select_from(held).scalar_subquery(),
                  select(func.count()).select_from(flagged).scalar_subquery(),
                  to_mark.scalar_subquery(), *snapshot)


def _overdue_reviews(cohort_id: int, slots: list[Slot], names: dict[int, str], today: date) -> tuple[int, list[str]]:
    """Allocated reviews past their due date and not given, with the exercise overview's own queries."""
    columns = [c for c in exercise_overview.exercise_columns(cohort_id, slots)
               if c.mode == "allocated" and is_overdue(c.dues.feedback, today)]
    if not columns:
        return 0, []
    counts = exercise_overview.given_and_allocated(cohort_id)
    total, who = 0, set()
    for col in columns:
        for uid in names:
            short = counts.get(("allocated", uid, col.id), 0) - counts.get(("given", uid, col.id), 0)
            if short > 0:
                total += short
                who.add(uid)
    return total, sorted((names[uid] for uid in who), key=str.casefold)


def load_dashboard(cohort_id: int, today: date | None = None) -> Dashboard:
    today = today or local_today()
    days = quiet_days()
    since_day = today - timedelta(days=days)
    since = from_local(since_day, None)
    slots = load_timetable(cohort_id)
    members, not_accepted = cohort_members(cohort_id)
    held, flagged, to_mark, *stored = db.session.execute(_counts_statement(), {"cohort": cohort_id}).one()
    activity, as_of = dashboard_activity(cohort_id, since, since_day, stored)
    names = {m.user_id: m.name for m in members if not m.paused}
    reviews, reviewers = _overdue_reviews(cohort_id, slots, names, today)
    follow_ups = len(followups_due([cohort_id], today))
    waiting = Waiting(held, flagged, follow_ups, reviews, reviewers, to_mark or 0, not_accepted)
    quiet = [m for m in members if not m.paused and m.joined_at < since and not activity.recent.get(m.user_id)]
    held_sessions = [s for s in slots if s.entry.day is not None and s.entry.day <= today]
    released = [s for s in slots if s.is_open and s not in held_sessions]
    to_come = [s for s in slots if not s.is_open]
    return Dashboard(slots, members, activity, waiting, quiet, days, held_sessions, released, to_come, as_of)
