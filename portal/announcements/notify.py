"""Notifications about announcements, agreement reminders and timetable changes: who may still see each
(SQL correlated to the notification row, as in notifications/subjects.py), what it says, and who gets it."""
from __future__ import annotations

from sqlalchemy import and_, delete, exists, select

from portal.agreements.models import AgreementVersion
from portal.agreements.services import select_acceptance_status
from portal.announcements.models import Announcement
from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession
from portal.course.models import CourseSession
from portal.dates import human_meeting
from portal.extensions import db
from portal.notifications.models import Notification
from portal.notifications.subjects import WORDS_IN_EMAIL, About, member_sql


# ---- who may still see it ------------------------------------------------------------------------------

def announcement_visible_sql(n):
    """An active member of the announcement's cohort, and the announcement not withdrawn."""
    return and_(member_sql(n), exists().where(Announcement.id == n.subject_id, Announcement.cohort_id == n.cohort_id,
                                              Announcement.withdrawn_at.is_(None)))


def agreement_visible_sql(n):
    return and_(member_sql(n), exists().where(AgreementVersion.id == n.subject_id,
                                              AgreementVersion.cohort_id == n.cohort_id))


def timetable_visible_sql(n):
    return and_(member_sql(n), exists().where(CohortSession.id == n.subject_id, CohortSession.cohort_id == n.cohort_id))


# ---- what it says --------------------------------------------------------------------------------------

def describe_announcements(ids: set[int]) -> dict[int, About]:
    """The facilitators' title, and their words (to their own cohort: see kinds' `facilitator_words`)."""
    rows = db.session.execute(select(Announcement.id, Announcement.cohort_id, Announcement.title,
                                     Announcement.body_source, User.display_name)
                              .outerjoin(User, User.id == Announcement.author_id).where(Announcement.id.in_(ids)))
    return {r.id: About(r.title, r.display_name or "Your facilitators", "announcements.index",
                        {"cohort_id": r.cohort_id, "_anchor": f"announcement-{r.id}"}, r.body_source[:WORDS_IN_EMAIL])
            for r in rows}


def describe_agreements(ids: set[int]) -> dict[int, About]:
    rows = db.session.execute(select(AgreementVersion.id, AgreementVersion.cohort_id, Cohort.name)
                              .join(Cohort, Cohort.id == AgreementVersion.cohort_id)
                              .where(AgreementVersion.id.in_(ids)))
    return {r.id: About(r.name, None, "agreements.show", {"cohort_id": r.cohort_id}) for r in rows}


def describe_timetable(ids: set[int]) -> dict[int, About]:
    """The session as it is now: a quick run of changes all read the newest date."""
    rows = db.session.execute(
        select(CohortSession.id, CohortSession.cohort_id, CohortSession.day, CohortSession.start_time,
               CourseSession.number, CourseSession.title)
        .join(CourseSession, CourseSession.id == CohortSession.course_session_id).where(CohortSession.id.in_(ids)))
    found = {}
    for r in rows:
        when = (f"is now on {human_meeting(r.day, r.start_time)}" if r.day is not None
                else "no longer has a date: it is to be confirmed")
        found[r.id] = About(f"Session {r.number} ({r.title})", None, "cohorts.show", {"cohort_id": r.cohort_id},
                            detail=when)
    return found


# ---- who gets it ---------------------------------------------------------------------------------------

def _active(cohort_id: int, accepted_only: bool = False):
    return [m.user_id for m, user, at in db.session.execute(select_acceptance_status(cohort_id))
            if m.status == "active" and user.active and (at is not None or not accepted_only)]


def for_announcement(event) -> dict[int, str]:
    return {uid: "announcement" for uid in _active(event.cohort_id)}


def for_agreement_reminder(event) -> dict[int, str]:
    """Those who, now, have still not accepted the agreement in force."""
    from portal.announcements.reminders import not_yet_accepted

    return {uid: "agreement_reminder" for uid, _name in not_yet_accepted(event.cohort_id)}


def for_timetable(event) -> dict[int, str]:
    """Members who have accepted the agreement (times and places are shown to nobody before). A person's unread
    notices about this session are merged into this one: it says the newest date."""
    db.session.execute(delete(Notification).where(
        Notification.kind == "timetable_changed", Notification.subject_kind == "timetable_session",
        Notification.subject_id == event.subject_id, Notification.read_at.is_(None),
        Notification.event_id != event.id), execution_options={"synchronize_session": False})
    return {uid: "timetable_changed" for uid in _active(event.cohort_id, accepted_only=True)}


# Event kind -> recipients (notifications/fanout.HANDLERS takes these in).
HANDLERS = {"announcement": for_announcement, "agreement_reminder": for_agreement_reminder,
            "timetable_changed": for_timetable}
