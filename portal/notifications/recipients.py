"""Who an event is for: {user id: notification kind}. One recipient gets one notification per event, the most
personal kind first (a mention, then a reply to them, then a reply in a thread they follow)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.auth.models import User
from portal.cohorts.models import CohortSession, Membership
from portal.discussions.models import Post, Thread
from portal.extensions import db
from portal.moderation.models import ModerationAlert
from portal.notifications.kinds import ALERT_KINDS
from portal.notifications.mentions import mentioned
from portal.notifications.models import CohortFollow, ThreadFollow


def follow_on_write(user_id: int, thread_id: int) -> None:
    """Starting or replying to a thread follows it, unless the person unfollowed it before."""
    insert_ = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert_(ThreadFollow.__table__).values(user_id=user_id, thread_id=thread_id, following=True)
                       .on_conflict_do_nothing(index_elements=["user_id", "thread_id"]))


def active_members(cohort_id: int):
    """(user id, role, display name) of the cohort's active members whose accounts can sign in."""
    return select(Membership.user_id, Membership.role, User.display_name).join(User, User.id == Membership.user_id)\
        .where(Membership.cohort_id == cohort_id, Membership.status == "active", User.active.is_(True))


def facilitators(cohort_id: int, kind: str, *, besides: int | None = None) -> dict[int, str]:
    """The cohort's active facilitators (but `besides`), each to get `kind`."""
    return {m.user_id: kind for m in db.session.execute(active_members(cohort_id))
            if m.role == "facilitator" and m.user_id != besides}


def for_post(event) -> dict[int, str]:
    row = db.session.execute(select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
                             .where(Post.id == event.subject_id)).first()
    if row is None:
        return {}
    post, thread = row
    if post.author_id is not None:
        follow_on_write(post.author_id, thread.id)
    followers = set(db.session.scalars(select(ThreadFollow.user_id).where(
        ThreadFollow.thread_id == thread.id, ThreadFollow.following.is_(True))))
    unfollowed = set(db.session.scalars(select(ThreadFollow.user_id).where(
        ThreadFollow.thread_id == thread.id, ThreadFollow.following.is_(False))))
    followers |= set(db.session.scalars(select(CohortFollow.user_id).where(
        CohortFollow.cohort_id == thread.cohort_id))) - unfollowed
    wanted = {uid: "thread_reply" for uid in followers}
    if post.number > 1:
        answered = thread.author_id
        if post.reply_to_id is not None:
            answered = db.session.scalar(select(Post.author_id).where(Post.id == post.reply_to_id))
        if answered is not None:
            wanted[answered] = "reply_to_me"
    members = db.session.execute(active_members(thread.cohort_id)).all()
    for uid in mentioned(post.body_source, {m.user_id: m.display_name for m in members}):
        wanted[uid] = "mention"
    return wanted


def for_session(event) -> dict[int, str]:
    cohort_id = db.session.scalar(select(CohortSession.cohort_id).where(CohortSession.id == event.subject_id))
    if cohort_id is None:
        return {}
    return {m.user_id: "session_released" for m in db.session.execute(active_members(cohort_id))}


def for_alert(event) -> dict[int, str]:
    reason = db.session.scalar(select(ModerationAlert.reason).where(ModerationAlert.id == event.subject_id))
    kind = ALERT_KINDS.get(reason)
    if kind is None:
        return {}
    return facilitators(event.cohort_id, kind)


def for_checkin(event) -> dict[int, str]:
    from portal.safeguarding.models import CheckinConversation

    member = db.session.scalar(select(CheckinConversation.member_id).where(CheckinConversation.id == event.subject_id))
    return {member: "checkin_message"} if member else {}


def for_submission(event) -> dict[int, str]:
    from portal.assignments.models import Submission

    author = db.session.scalar(select(Submission.user_id).where(Submission.id == event.subject_id))
    return {author: "assignment_returned"} if author else {}

