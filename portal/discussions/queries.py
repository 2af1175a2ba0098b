"""The read side of discussions: each page's data in a fixed, small number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.discussions.models import Post, Reaction, Thread, ThreadRead
from portal.discussions.visibility import Viewer, select_visible_posts, select_visible_threads, thread_is_visible
from portal.extensions import db


def per_page() -> int:
    """Posts on a page of a thread (PORTAL_POSTS_PER_PAGE, 50 by default)."""
    return int(current_app.config["POSTS_PER_PAGE"])


@dataclass
class ThreadState:
    thread: Thread
    last_read: int  # 0 when never opened
    has_replied: bool


def load_thread_state(viewer: Viewer, thread_id: int) -> ThreadState | None:
    """The thread (through the cohort), the viewer's read mark and whether they have replied: one query."""
    mine = aliased(Post)
    replied = exists().where(mine.thread_id == Thread.id, mine.author_id == viewer.user_id, mine.number > 1,
                             mine.withdrawn_at.is_(None))
    row = db.session.execute(
        select(Thread, ThreadRead.last_read_number, replied)
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
        .where(Thread.id == thread_id, Thread.cohort_id == viewer.cohort_id)).first()
    if row is None:
        return None
    return ThreadState(row[0], row[1] or 0, bool(row[2]))


@dataclass
class PostView:
    """A post as a thread page shows it: a plain row (no ORM object), its author and reply-to link."""

    post: object  # a Row with the Post columns the page needs
    author_name: str | None
    author_pronouns: str | None
    reply_to_number: int | None
    reply_to_author: str | None
    reactions: dict[str, int] = field(default_factory=dict)
    mine: set[str] = field(default_factory=set)


PAGE_COLUMNS = (Post.id, Post.cohort_id, Post.thread_id, Post.number, Post.author_id, Post.reply_to_id,
                Post.body_html, Post.content_warning, Post.created_at, Post.edited_at, Post.withdrawn_at)


def load_posts_page(viewer: Viewer, thread: Thread, page: int) -> tuple[list[PostView], int]:
    """One page of the thread's visible posts with authors and reply-to links, and the number of pages.

    Plain rows rather than ORM objects: building 200 mapped instances costs three times the query."""
    parent = aliased(Post)
    parent_author = aliased(User)
    visible = select_visible_posts(viewer).where(Post.thread_id == thread.id)
    rows = db.session.execute(
        visible.with_only_columns(*PAGE_COLUMNS, User.display_name, User.pronouns, parent.number,
                                  parent_author.display_name, func.count().over(), maintain_column_froms=True)
        .outerjoin(User, User.id == Post.author_id)
        .outerjoin(parent, parent.id == Post.reply_to_id)
        .outerjoin(parent_author, parent_author.id == parent.author_id)
        .order_by(Post.number).offset((page - 1) * per_page()).limit(per_page())).all()
    width = len(PAGE_COLUMNS)
    views = [PostView(_PostRow(row[:width]), *row[width:width + 4]) for row in rows]
    total = rows[0][-1] if rows else _count_visible(visible)
    _attach_reactions(viewer, views)
    return views, max(1, -(-total // per_page()))


class _PostRow:
    """Attribute access to a post's columns, like the model, for templates and the visibility check."""

    __slots__ = tuple(c.key for c in PAGE_COLUMNS)

    def __init__(self, values) -> None:
        for key, value in zip(self.__slots__, values):
            setattr(self, key, value)


def _count_visible(visible) -> int:
    return db.session.scalar(select(func.count()).select_from(visible.subquery())) or 0


def _attach_reactions(viewer: Viewer, views: list[PostView]) -> None:
    by_id = {v.post.id: v for v in views}
    if not by_id:
        return
    rows = db.session.execute(
        select(Reaction.post_id, Reaction.kind, func.count(),
               func.max(case((Reaction.user_id == viewer.user_id, 1), else_=0)))
        .where(Reaction.post_id.in_(by_id)).group_by(Reaction.post_id, Reaction.kind))
    for post_id, kind, count, mine in rows:
        by_id[post_id].reactions[kind] = count
        if mine:
            by_id[post_id].mine.add(kind)


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


def load_thread_list(viewer: Viewer, course_session_id: int | None) -> list[ThreadRow]:
    """A space's threads, pinned first then by latest activity, with reply and unread counts: one query."""
    rows = db.session.execute(
        select_visible_threads(viewer)
        .where(Thread.course_session_id.is_(None) if course_session_id is None
               else Thread.course_session_id == course_session_id)
        .add_columns(User, ThreadRead.last_read_number)
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())).all()
    result = []
    for thread, starter, last_read in rows:
        unread = 0 if (thread.share_first and not viewer.sees_everything) else thread.post_count - (last_read or 0)
        result.append(ThreadRow(thread, starter, thread.post_count - 1, max(0, unread)))
    return result


def space_summaries(viewer: Viewer) -> dict[int | None, tuple[int, int]]:
    """For every open space: (threads, threads with something unread). One query."""
    rows = db.session.execute(
        select(Thread.course_session_id, func.count(),
               func.sum(case((Thread.post_count > func.coalesce(ThreadRead.last_read_number, 0), 1), else_=0)))
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
        .where(thread_is_visible(viewer)).group_by(Thread.course_session_id))
    return {sid: (n, unread or 0) for sid, n, unread in rows}
