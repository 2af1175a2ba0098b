"""The one rule for who sees which posts, as a per-item check and as the query every list is built from.

Thread pages, search and (later) notifications, digests and exports all use `select_visible_posts`,
so a list can never show what the post page would refuse.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, bindparam, case, exists, false, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from portal.cohorts.timetable import session_openings
from portal.discussions.models import Post, Thread
from portal.moderation.held_models import is_held_sql, not_held_sql


@dataclass(frozen=True)
class Viewer:
    """Who is looking, inside one cohort."""

    user_id: int
    cohort_id: int
    sees_everything: bool  # the cohort's facilitators and site admins
    open_session_ids: frozenset[int]  # course sessions whose space is open to this viewer

    @staticmethod
    def bound(sees_everything: bool) -> Viewer:
        """A viewer made of bind parameters, for a statement built once and run with `params`.

        Building a statement costs more than running it on a busy page (make bench), so hot pages
        build theirs once per shape and pass the viewer's values at run time."""
        return Viewer(bindparam("viewer_user"), bindparam("viewer_cohort"), sees_everything,  # type: ignore[arg-type]
                      bindparam("viewer_open", expanding=True))  # type: ignore[arg-type]

    @property
    def params(self) -> dict:
        return {"viewer_user": self.user_id, "viewer_cohort": self.cohort_id,
                "viewer_open": sorted(self.open_session_ids)}


def viewer_for(user, cohort, is_facilitator: bool) -> Viewer:
    openings = session_openings(cohort.id)
    open_ids = {sid for sid, is_open in openings.items() if is_open or is_facilitator}
    return Viewer(user.id, cohort.id, is_facilitator, frozenset(open_ids))


def space_is_open(viewer: Viewer, course_session_id: int | None) -> bool:
    return course_session_id is None or course_session_id in viewer.open_session_ids


def thread_is_visible(viewer: Viewer):
    """The SQL condition for a thread the viewer may see: their cohort, an open space; a thread whose
    opening post is held only by its author (and those who see everything)."""
    condition = and_(Thread.cohort_id == viewer.cohort_id,
                     or_(Thread.course_session_id.is_(None), Thread.course_session_id.in_(viewer.open_session_ids)))
    if not viewer.sees_everything:
        condition = and_(condition, held_thread_hidden_sql(viewer))
    return condition


# Held content (portal/moderation/holding.py): kept as separate conditions from share-first (and from
# moderators' hiding), so each rule reads on its own.
def held_thread_hidden_sql(viewer: Viewer):
    """SQL: the thread is not held, or the viewer started it."""
    return or_(Thread.held_at.is_(None), Thread.author_id == viewer.user_id)


def held_post_hidden_sql(viewer: Viewer):
    """SQL: the post is not held, or the viewer wrote it."""
    return or_(not_held_sql(Post), Post.author_id == viewer.user_id)


def can_view_thread(viewer: Viewer, thread: Thread) -> bool:
    """Per-item form of `thread_is_visible` (the cohort is checked by the caller's query)."""
    if thread.cohort_id != viewer.cohort_id or not space_is_open(viewer, thread.course_session_id):
        return False
    return viewer.sees_everything or thread.held_at is None or thread.author_id == viewer.user_id


def select_visible_threads(viewer: Viewer) -> Select:
    return select(Thread).where(thread_is_visible(viewer))


# Built once: a fresh alias per request costs more than the query it is part of (measured, make bench).
_MINE = aliased(Post, name="mine")


def has_replied(viewer: Viewer, thread_id_column=Post.thread_id):
    """SQL: the viewer has a reply (not withdrawn) in the thread whose id is in `thread_id_column`."""
    return exists().where(_MINE.thread_id == thread_id_column, _MINE.author_id == viewer.user_id,
                          _MINE.number > 1, _MINE.withdrawn_at.is_(None))


def select_visible_posts(viewer: Viewer, *, include_withdrawn: bool = True) -> Select:
    """Posts of the viewer's cohort in open spaces; in share-first threads, learners who have not replied
    yet see only the opening post and their own."""
    query = (select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
             .where(Post.cohort_id == viewer.cohort_id, thread_is_visible(viewer)))
    if not viewer.sees_everything:
        query = query.where(or_(Thread.share_first.is_(False), Post.number == 1,
                                Post.author_id == viewer.user_id, has_replied(viewer)))
        query = query.where(held_post_hidden_sql(viewer))
    if not include_withdrawn:  # lists of words (search, new replies): nothing withdrawn or hidden from them
        query = query.where(Post.withdrawn_at.is_(None), post_not_hidden(viewer))
    return query


def post_not_hidden(viewer: Viewer):
    """SQL: a post a facilitator has not hidden, or one this viewer may read anyway (its author, facilitators).
    Hidden posts stay in threads as a placeholder (see render.post_body), so counts and pages don't change."""
    if viewer.sees_everything:
        return true()
    return or_(Post.hidden_at.is_(None), Post.author_id == viewer.user_id)


def hidden_from(item, user_id: int, sees_everything: bool) -> bool:
    """Whether a hidden post or response is hidden from this viewer: everyone but its author and facilitators."""
    return item.hidden_at is not None and not sees_everything and item.author_id != user_id


def can_view_post(viewer: Viewer, post: Post, thread: Thread, has_replied: bool) -> bool:
    """The per-item form of the same rule."""
    if post.cohort_id != viewer.cohort_id or thread.cohort_id != viewer.cohort_id:
        return False
    if not can_view_thread(viewer, thread):
        return False
    if viewer.sees_everything:
        return True
    if post.held_at is not None and post.released_at is None and post.author_id != viewer.user_id:
        return False
    if not thread.share_first:
        return True
    return post.number == 1 or post.author_id == viewer.user_id or has_replied


def waiting_to_share(viewer: Viewer, thread: Thread, has_replied: bool) -> bool:
    """True when others' replies are held back until this viewer shares their own."""
    return thread.share_first and not viewer.sees_everything and not has_replied




def waiting_to_share_sql(viewer: Viewer):
    """SQL form of `waiting_to_share` for the thread of each row."""
    if viewer.sees_everything:
        return false()
    return and_(Thread.share_first.is_(True), ~has_replied(viewer, Thread.id))


_HELD = aliased(Post, name="held")


def _held_by_others(viewer: Viewer, *more):
    """SQL: how many posts of the row's thread are held and written by someone else (0 without a query
    when the thread has none held: the usual case costs nothing)."""
    if viewer.sees_everything:
        return literal(0)
    count = (select(func.count()).select_from(_HELD)
             .where(_HELD.thread_id == Thread.id, is_held_sql(_HELD),
                    or_(_HELD.author_id.is_(None), _HELD.author_id != viewer.user_id), *more)
             .correlate_except(_HELD).scalar_subquery())  # the row's thread (and read mark)
    return case((Thread.held_count > 0, count), else_=0)


def visible_post_count(viewer: Viewer):
    """SQL: how many posts of the row's thread this viewer sees. While replies are held back, only the
    opening post: counts, "new" marks and last-post times must not reveal that hidden replies exist.
    Posts held for a facilitator are not counted for anyone but their author (and facilitators)."""
    return case((waiting_to_share_sql(viewer), 1), else_=Thread.post_count - _held_by_others(viewer))


def visible_unread(viewer: Viewer, last_read):
    """SQL: how many posts of the row's thread are new to this viewer, `last_read` being their read mark
    (a column, 0 when never read). Held posts by others are left out wherever they are numbered."""
    if viewer.sees_everything:
        return visible_post_count(viewer) - last_read
    hidden_read = case((waiting_to_share_sql(viewer), 0),
                       else_=_held_by_others(viewer, _HELD.number <= last_read))
    return visible_post_count(viewer) - last_read + hidden_read


def visible_last_post_at(viewer: Viewer):
    """SQL: when the last post this viewer can see was written (by the same rule as `visible_post_count`)."""
    return case((waiting_to_share_sql(viewer), Thread.created_at), else_=Thread.last_post_at)
