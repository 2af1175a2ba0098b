"""What a notification is about, and whether its recipient may still see it: one SQL condition per subject
kind, correlated to the notification row, so the list, the header count, emails and digests filter in the
same query that reads them (never one query per notification)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, exists, false, or_, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession, Membership
from portal.course.models import CourseSession
from portal.discussions.models import Post, Thread
from portal.moderation.held_models import not_held_sql
from portal.moderation.models import ModerationAlert

_MINE = aliased(Post, name="notified_mine")
_ROLE = aliased(Membership, name="notified_role")


def member_sql(n, *, facilitator: bool = False):
    """SQL: the recipient is an active member (or facilitator) of the notification's cohort. Left, removed
    or paused members are notified of nothing there."""
    conditions = [Membership.user_id == n.user_id, Membership.cohort_id == n.cohort_id,
                  Membership.status == "active"]
    if facilitator:
        conditions.append(Membership.role == "facilitator")
    return exists().where(*conditions)


def session_open_sql(cohort_id, course_session_id):
    """SQL: the course session's space is open in the cohort (released early, or its day has come)."""
    return exists().where(CohortSession.cohort_id == cohort_id, CohortSession.course_session_id == course_session_id,
                          or_(CohortSession.released_at.is_not(None), CohortSession.day <= bindparam("today")))


def post_visible_sql(n):
    """SQL: the post is there for everyone to read (not withdrawn, hidden or held), in a thread that is not held,
    in an open space; in a share-first thread, a learner sees others' replies only after their own."""
    facilitating = exists().where(_ROLE.user_id == n.user_id, _ROLE.cohort_id == n.cohort_id,
                                  _ROLE.role == "facilitator")
    replied = exists().where(_MINE.thread_id == Thread.id, _MINE.author_id == n.user_id, _MINE.number > 1,
                             _MINE.withdrawn_at.is_(None))
    return and_(member_sql(n), exists().where(
        Post.id == n.subject_id, Post.cohort_id == n.cohort_id, Thread.id == Post.thread_id,
        Post.withdrawn_at.is_(None), Post.hidden_at.is_(None), not_held_sql(Post), Thread.held_at.is_(None),
        or_(Thread.course_session_id.is_(None), session_open_sql(Thread.cohort_id, Thread.course_session_id)),
        or_(Thread.share_first.is_(False), Post.number == 1, Post.author_id == n.user_id, replied, facilitating)))


def session_visible_sql(n):
    return and_(member_sql(n), exists().where(
        CohortSession.id == n.subject_id, CohortSession.cohort_id == n.cohort_id,
        session_open_sql(CohortSession.cohort_id, CohortSession.course_session_id)))


def alert_visible_sql(n):
    return and_(member_sql(n, facilitator=True), exists().where(
        ModerationAlert.id == n.subject_id, ModerationAlert.cohort_id == n.cohort_id))


def checkin_visible_sql(n):
    from portal.safeguarding.models import CheckinConversation

    return and_(member_sql(n), exists().where(CheckinConversation.id == n.subject_id,
                                              CheckinConversation.cohort_id == n.cohort_id,
                                              CheckinConversation.member_id == n.user_id))


def submission_visible_sql(n):
    from portal.assignments.models import Submission

    return and_(member_sql(n), exists().where(Submission.id == n.subject_id, Submission.cohort_id == n.cohort_id,
                                              Submission.user_id == n.user_id))


@dataclass(frozen=True)
class About:
    """What a notification says without members' words: the thread or session title, who acted, where it goes."""

    title: str
    actor: str | None
    endpoint: str
    values: dict
    words: str | None = None  # a member's words: only for emails to someone who opted in, and in the portal
    when: str = ""  # a due date, for kinds whose sentence has {when}: " by Tuesday 3 March 2026"
    # The rest of a kind's sentence: after the title ("is open early", a session's new date), or all of it
    # for kinds that say just "{detail}" (moderation outcomes).
    detail: str = ""


WORDS_IN_EMAIL = 600


def describe_posts(ids: set[int]) -> dict[int, About]:
    rows = _session().execute(
        select(Post.id, Post.cohort_id, Post.body_source, Thread.title, User.display_name)
        .join(Thread, Thread.id == Post.thread_id).outerjoin(User, User.id == Post.author_id)
        .where(Post.id.in_(ids)))
    return {r.id: About(r.title, r.display_name or "The course", "discussions.permalink",
                        {"cohort_id": r.cohort_id, "post_id": r.id}, r.body_source[:WORDS_IN_EMAIL]) for r in rows}


def describe_sessions(ids: set[int]) -> dict[int, About]:
    from portal.dates import local_today

    rows = _session().execute(
        select(CohortSession.id, CohortSession.cohort_id, CohortSession.day, CohortSession.released_at,
               CourseSession.number, CourseSession.title)
        .join(CourseSession, CourseSession.id == CohortSession.course_session_id).where(CohortSession.id.in_(ids)))
    today = local_today()

    def early(r) -> bool:  # released by a facilitator before its day (or before it had one): "is open early"
        return r.released_at is not None and (r.day is None or r.day > today)

    return {r.id: About(f"Session {r.number}: {r.title}", None, "cohorts.session_page",
                        {"cohort_id": r.cohort_id, "number": r.number}, detail=" early" if early(r) else "")
            for r in rows}


def describe_alerts(ids: set[int]) -> dict[int, About]:
    rows = _session().execute(select(ModerationAlert.id, ModerationAlert.cohort_id, Cohort.name)
                              .join(Cohort, Cohort.id == ModerationAlert.cohort_id).where(ModerationAlert.id.in_(ids)))
    return {r.id: About(r.name, None, "moderation.queue", {"cohort_id": r.cohort_id}) for r in rows}


def describe_checkins(ids: set[int]) -> dict[int, About]:
    from portal.safeguarding.models import CheckinConversation

    rows = _session().execute(select(CheckinConversation.id, CheckinConversation.cohort_id, Cohort.name)
                              .join(Cohort, Cohort.id == CheckinConversation.cohort_id)
                              .where(CheckinConversation.id.in_(ids)))
    return {r.id: About(r.name, None, "checkins.mine", {"cohort_id": r.cohort_id}) for r in rows}


def describe_submissions(ids: set[int]) -> dict[int, About]:
    from portal.assignments.content import assignment
    from portal.assignments.models import Submission

    rows = _session().execute(select(Submission.id, Submission.cohort_id, Submission.assignment_slug)
                              .where(Submission.id.in_(ids)))
    found = {}
    for r in rows:
        item = assignment(r.assignment_slug)
        found[r.id] = About(item.title if item else "your assignment", None, "assignments.receipt",
                            {"cohort_id": r.cohort_id, "submission_id": r.id})
    return found


@dataclass(frozen=True)
class Subject:
    visible_sql: object  # (notification columns) -> SQL condition
    describe: object  # (set of ids) -> {id: About}: one query for all


SUBJECTS: dict[str, Subject] = {
    "post": Subject(post_visible_sql, describe_posts),
    "cohort_session": Subject(session_visible_sql, describe_sessions),
    "alert": Subject(alert_visible_sql, describe_alerts),
    "checkin": Subject(checkin_visible_sql, describe_checkins),
    "submission": Subject(submission_visible_sql, describe_submissions),
}


# Exercises, moderation and assignments (issue 15, "events"): their own module, registered here.
from portal.notifications.event_subjects import EVENT_SUBJECTS  # noqa: E402  (needs the names above)

SUBJECTS.update(EVENT_SUBJECTS)


# ---- announce (issue 15): announcements, agreement reminders, timetable changes (portal/announcements/) ----
def _announce():
    from portal.announcements import notify

    return notify


SUBJECTS.update({
    "announcement": Subject(lambda n: _announce().announcement_visible_sql(n),
                            lambda ids: _announce().describe_announcements(ids)),
    "agreement": Subject(lambda n: _announce().agreement_visible_sql(n),
                         lambda ids: _announce().describe_agreements(ids)),
    "timetable_session": Subject(lambda n: _announce().timetable_visible_sql(n),
                                 lambda ids: _announce().describe_timetable(ids)),
})


def visible_sql(n):
    """SQL: the notification's recipient may still see its subject (whatever its kind)."""
    return or_(false(), *[and_(n.subject_kind == name, s.visible_sql(n)) for name, s in SUBJECTS.items()])


def describe(rows) -> dict[tuple[str, int], About]:
    """(subject kind, id) -> About, one query per subject kind present."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.subject_kind, set()).add(row.subject_id)
    found = {}
    for kind, ids in wanted.items():
        if kind in SUBJECTS:
            found.update({(kind, i): about for i, about in SUBJECTS[kind].describe(ids).items()})
    return found


def _session():
    from portal.extensions import db

    return db.session
