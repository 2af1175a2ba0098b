"""The read side of discussions: each page's data in a fixed, small number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import and_, bindparam, case, exists, func, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.cohorts.models import CohortSession, Membership
from portal.discussions.models import (REACTIONS, Draft, Post, Reaction, Thread, ThreadRead, draft_not_posted,
                                      reply_draft_key)
from portal.discussions.visibility import (Viewer, has_replied, select_visible_posts, select_visible_threads,
                                          thread_is_visible, visible_last_post_at, visible_post_count,
                                          visible_unread, waiting_to_share)
from portal.course.models import CourseSession
from portal.extensions import db
from portal.moderation.flag_models import flagged_by
from portal.moderation.levels import AFTER, SessionModeration, level_sql


def per_page() -> int:
    """Posts on a page of a thread (PORTAL_POSTS_PER_PAGE, 50 by default)."""
    return int(current_app.config["POSTS_PER_PAGE"])


@dataclass
class ThreadState:
    thread: Thread
    last_read: int  # 0 when never opened
    has_replied: bool
    draft: Draft | None  # the viewer's unsent reply
    moderation: SessionModeration = AFTER  # the space's moderation level (portal/moderation/levels.py)
    following: bool = False  # the viewer follows it (notifications): for the follow button, on this same query


@cache
def _thread_state_statement():
    from portal.notifications.models import CohortFollow, ThreadFollow

    viewer = Viewer.bound(False)
    following = func.coalesce(ThreadFollow.following, exists().where(
        CohortFollow.user_id == viewer.user_id, CohortFollow.cohort_id == Thread.cohort_id))
    return (select(Thread, ThreadRead.last_read_number, has_replied(viewer, Thread.id), Draft, level_sql(),
                   CourseSession.content_warning_required, following)
            .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
            .outerjoin(ThreadFollow, and_(ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == viewer.user_id))
            .outerjoin(CohortSession, and_(CohortSession.cohort_id == Thread.cohort_id,
                                           CohortSession.course_session_id == Thread.course_session_id))
            .outerjoin(CourseSession, CourseSession.id == Thread.course_session_id)
            .outerjoin(Draft, and_(Draft.user_id == viewer.user_id, Draft.cohort_id == Thread.cohort_id,
                                   Draft.key == bindparam("draft_key"), draft_not_posted()))
            .where(Thread.id == bindparam("thread_id"), Thread.cohort_id == viewer.cohort_id))


def load_thread_state(viewer: Viewer, thread_id: int) -> ThreadState | None:
    """The thread (through the cohort), the viewer's read mark, whether they have replied and their draft
    reply: one query."""
    row = db.session.execute(_thread_state_statement(),
                             {**viewer.params, "thread_id": thread_id, "draft_key": reply_draft_key(thread_id)}).first()
    if row is None:
        return None
    moderation = SessionModeration(row[4], bool(row[5])) if row[4] else AFTER
    return ThreadState(row[0], row[1] or 0, bool(row[2]), row[3], moderation, bool(row[6]))


_PARENT, _PARENT_AUTHOR = aliased(Post, name="parent"), aliased(User, name="parent_author")
# The author's place when they facilitate the cohort now: names are chosen freely, so the role is shown beside them.
_FACILITATES = aliased(Membership, name="author_place")
POST_COLUMNS = (Post.id, Post.cohort_id, Post.thread_id, Post.number, Post.author_id, Post.reply_to_id,
                Post.body_html, Post.content_warning, Post.created_at, Post.edited_at, Post.withdrawn_at,
                Post.hidden_at, Post.hidden_reason, Post.hidden_by_id, Post.moderator_edited_at,
                Post.held_at, Post.held_reason, Post.held_choice, Post.reviewed_at, Post.released_at,
                User.display_name.label("author_name"), User.pronouns.label("author_pronouns"),
                _FACILITATES.id.label("author_facilitates"),
                _PARENT.number.label("reply_to_number"), _PARENT_AUTHOR.display_name.label("reply_to_author"))


@dataclass
class PostsPage:
    posts: list  # Rows: the post columns, then n_<kind> and me_<kind> for each reaction kind
    pages: int


@cache
def _page_statement(sees_everything: bool):
    """A page of a thread's visible posts with authors, reply-to links and reaction counts (built once)."""
    viewer = Viewer.bound(sees_everything)
    thread_id = bindparam("thread_id")
    counts = (select(Reaction.post_id,
                     *[func.sum(case((Reaction.kind == k, 1), else_=0)).label(f"n_{k}") for k in REACTIONS],
                     *[func.max(case((and_(Reaction.kind == k, Reaction.user_id == viewer.user_id), 1), else_=0))
                       .label(f"me_{k}") for k in REACTIONS])
              .join(Post, Post.id == Reaction.post_id).where(Post.thread_id == thread_id)
              .group_by(Reaction.post_id).subquery("reacted"))
    reactions = [func.coalesce(counts.c[f"{p}_{k}"], 0).label(f"{p}_{k}") for p in ("n", "me") for k in REACTIONS]
    return (select_visible_posts(viewer).where(Post.thread_id == thread_id)
            .with_only_columns(*POST_COLUMNS, *reactions, flagged_by(viewer.user_id, "post", Post.id).label("me_flagged"),
                               maintain_column_froms=True)
            .outerjoin(User, User.id == Post.author_id)
            .outerjoin(_FACILITATES, and_(_FACILITATES.cohort_id == Post.cohort_id,
                                          _FACILITATES.user_id == Post.author_id,
                                          _FACILITATES.role == "facilitator", _FACILITATES.status == "active"))
            .outerjoin(_PARENT, _PARENT.id == Post.reply_to_id)
            .outerjoin(_PARENT_AUTHOR, _PARENT_AUTHOR.id == _PARENT.author_id)
            .outerjoin(counts, counts.c.post_id == Post.id)
            .order_by(Post.number).offset(bindparam("skip")).limit(bindparam("size")))


def load_posts_page(viewer: Viewer, state: ThreadState, page: int) -> PostsPage:
    """One page of the thread's visible posts with authors, reply-to links and reactions: one query.

    Plain rows rather than ORM objects: building 200 mapped instances costs three times the query. A row
    holds everything its post shows, so it is also the key of the rendered-post cache (render.py)."""
    size = per_page()
    params = {**viewer.params, "thread_id": state.thread.id, "skip": (page - 1) * size, "size": size}
    # On the session's connection: plain rows need none of the ORM's handling (a quarter of the time).
    rows = db.session.connection().execute(_page_statement(viewer.sees_everything), params).all()
    return PostsPage(rows, count_pages(viewer, state))


def count_pages(viewer: Viewer, state: ThreadState) -> int:
    """Pages of the thread this viewer sees. Posts are never deleted, only withdrawn, so it is the thread's
    post count unless share-first holds replies back (a window count would cost three times the page)."""
    thread = state.thread
    if waiting_to_share(viewer, thread, state.has_replied) or (thread.held_count and not viewer.sees_everything):
        total = _count_visible(select_visible_posts(viewer).where(Post.thread_id == thread.id))
    else:
        total = thread.post_count
    return max(1, -(-total // per_page()))


def _count_visible(visible) -> int:
    return db.session.scalar(select(func.count()).select_from(visible.subquery())) or 0


def page_of(viewer: Viewer, post: Post) -> int:
    """Which page of its thread a visible post is on."""
    visible = select_visible_posts(viewer).where(Post.thread_id == post.thread_id, Post.number < post.number)
    return _count_visible(visible) // per_page() + 1


def first_unread(viewer: Viewer, thread_id: int, last_read: int) -> Post | None:
    return db.session.scalars(
        select_visible_posts(viewer).where(Post.thread_id == thread_id, Post.number > last_read)
        .order_by(Post.number).limit(1)).first()


@dataclass
class ThreadRow:
    thread: Thread
    starter: User | None
    replies: int
    unread: int
    last_post_at: datetime  # of the last post this viewer can see
    starter_facilitates: bool = False  # shown beside the name: nobody passes as a facilitator by name alone


def load_thread_list(viewer: Viewer, course_session_id: int | None) -> list[ThreadRow]:
    """A space's threads, pinned first then by latest activity, with reply and unread counts: one query.
    Counts, times and order follow what the viewer can see (share-first threads hold replies back)."""
    count, last = visible_post_count(viewer), visible_last_post_at(viewer)
    unread = visible_unread(viewer, func.coalesce(ThreadRead.last_read_number, 0))
    rows = db.session.execute(
        select_visible_threads(viewer)
        .where(Thread.course_session_id.is_(None) if course_session_id is None
               else Thread.course_session_id == course_session_id)
        .add_columns(User, unread, count, last, _FACILITATES.id)
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(_FACILITATES, and_(_FACILITATES.cohort_id == Thread.cohort_id,
                                      _FACILITATES.user_id == Thread.author_id,
                                      _FACILITATES.role == "facilitator", _FACILITATES.status == "active"))
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
        .order_by(Thread.pinned.desc(), last.desc(), Thread.id.desc())).all()
    return [ThreadRow(thread, starter, seen - 1, max(0, new), last_at, facilitates is not None)
            for thread, starter, new, seen, last_at, facilitates in rows]


def space_summaries(viewer: Viewer) -> dict[int | None, tuple[int, int]]:
    """For every open space: (threads, threads with something unread). One query."""
    rows = db.session.execute(
        select(Thread.course_session_id, func.count(),
               func.sum(case((visible_unread(viewer, func.coalesce(ThreadRead.last_read_number, 0)) > 0, 1),
                             else_=0)))
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
        .where(thread_is_visible(viewer)).group_by(Thread.course_session_id))
    return {sid: (n, unread or 0) for sid, n, unread in rows}
