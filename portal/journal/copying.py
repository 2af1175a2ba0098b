"""Copying a journal entry into a discussion as the author's own post. It goes through the discussions
service, so safety words, held content, pre-moderation and the posting rules all apply; the entry itself
stays private and unchanged."""
from __future__ import annotations

from portal.discussions import services as discussions
from portal.discussions.models import Post, Thread
from portal.discussions.visibility import can_view_thread, select_visible_threads, space_is_open
from portal.extensions import db
from portal.errors import NotFound, RuleViolation
from portal.journal.services import entry_of


def open_threads(viewer) -> list[Thread]:
    """The unlocked threads the viewer can see in every open space, pinned first then latest: one query."""
    return list(db.session.scalars(select_visible_threads(viewer).where(Thread.locked.is_(False))
                                   .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())))


def copy_entry(author, cohort, viewer, entry_id: int, course_session_id: int | None, thread: Thread | None,
               title: str | None, client_token: str | None, *, exempt: bool = False) -> Post:
    """A new thread in the space (general when `course_session_id` is None), or a reply in `thread`."""
    entry = entry_of(author.id, cohort.id, entry_id)
    if thread is not None:
        if not can_view_thread(viewer, thread):
            raise NotFound("There is no such thread.")
        return discussions.reply(author, thread, entry.body_source, None, None, client_token, exempt=exempt)
    if not space_is_open(viewer, course_session_id):
        raise RuleViolation("That discussion isn't open yet. Choose another one.")
    title = (title or entry.title or "").strip()
    if not title:
        raise RuleViolation("Give the new thread a title.")
    return discussions.start_thread(author, cohort, course_session_id, title[:200], entry.body_source, None,
                                    client_token, exempt=exempt)
