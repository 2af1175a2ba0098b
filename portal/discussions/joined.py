"""New replies in the threads a person has joined, across their cohorts, for the home pages.

Built from `select_visible_posts`, so it counts exactly what each thread page would show them: share-first
replies stay hidden until they have shared, closed spaces count nothing, and a cohort whose current group
agreement they have not accepted shows nothing at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, func, or_, select, union_all
from sqlalchemy.orm import aliased

from portal.agreements.models import AgreementAcceptance, AgreementVersion
from portal.discussions.models import Post, Thread, ThreadRead
from portal.discussions.visibility import Viewer, select_visible_posts
from portal.extensions import db

_JOINED = aliased(Post, name="joined")


@dataclass(frozen=True)
class JoinedThread:
    cohort_id: int
    thread_id: int
    title: str
    new_replies: int


def _agreement_accepted(viewer: Viewer):
    return exists().where(AgreementAcceptance.user_id == viewer.user_id,
                          AgreementAcceptance.version_id == AgreementVersion.id,
                          AgreementVersion.cohort_id == viewer.cohort_id,
                          AgreementVersion.number >= AgreementVersion.binding_number(viewer.cohort_id))


def _unread_for(viewer: Viewer):
    """The viewer's unread posts by others in threads where they have a post of their own."""
    # The threads they joined, found once from their own posts (the author index) and joined to, so the
    # posts read are those threads' unread ones (ix_posts_thread_unread), not every post of the cohort.
    joined = (select(_JOINED.thread_id)
              .where(_JOINED.author_id == viewer.user_id, _JOINED.cohort_id == viewer.cohort_id,
                     _JOINED.withdrawn_at.is_(None)).distinct().subquery())
    return (select_visible_posts(viewer, include_withdrawn=False)
            .with_only_columns(Thread.cohort_id.label("cohort_id"), Thread.id.label("thread_id"),
                               Thread.title.label("title"), Thread.last_post_at.label("last_post_at"),
                               maintain_column_froms=True)
            .join(joined, joined.c.thread_id == Post.thread_id)
            .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id))
            .where(Post.number > func.coalesce(ThreadRead.last_read_number, 0),
                   or_(Post.author_id.is_(None), Post.author_id != viewer.user_id),
                   _agreement_accepted(viewer)))


def unread_in_joined_threads(viewers: list[Viewer]) -> dict[int, list[JoinedThread]]:
    """Cohort id -> its joined threads with new replies, latest activity first: one query for all cohorts."""
    result: dict[int, list[JoinedThread]] = {v.cohort_id: [] for v in viewers}
    if not viewers:
        return result
    params = {f"{name}_{i}": value for i, v in enumerate(viewers) for name, value in v.params.items()}
    rows = db.session.execute(_statement(tuple(v.sees_everything for v in viewers)), params)
    for cohort_id, thread_id, title, n in rows:
        result[cohort_id].append(JoinedThread(cohort_id, thread_id, title, n))
    return result


@lru_cache(maxsize=64)
def _statement(shape: tuple[bool, ...]):
    """Built once per shape (how many cohorts, and in which the person facilitates) and run with each
    request's values: building it cost more than running it (make bench, cohort home)."""
    unread = union_all(*[_unread_for(_bound(i, sees)) for i, sees in enumerate(shape)]).subquery("unread")
    return (select(unread.c.cohort_id, unread.c.thread_id, unread.c.title, func.count())
            .group_by(unread.c.cohort_id, unread.c.thread_id, unread.c.title, unread.c.last_post_at)
            .order_by(unread.c.last_post_at.desc(), unread.c.thread_id.desc()))


def _bound(i: int, sees_everything: bool) -> Viewer:
    """Viewer.bound with the parameters numbered, so each cohort of the union has its own."""
    return Viewer(bindparam(f"viewer_user_{i}"), bindparam(f"viewer_cohort_{i}"), sees_everything,  # type: ignore[arg-type]
                  bindparam(f"viewer_open_{i}", expanding=True))  # type: ignore[arg-type]
