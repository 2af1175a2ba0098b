"""Discussions' side of held content: why a new post is held (safety words, a pre-moderated session), the
content warning a session asks for, and holding a post whose edit brings in safety words."""
from __future__ import annotations

from portal.discussions.models import Post, Thread
from portal.errors import RuleViolation
from portal.extensions import db
from portal.moderation import holding
from portal.moderation.levels import session_moderation


class WarningNeeded(RuleViolation):
    """A session that asks for a content warning on every post, and none was given."""

    status = 422


def hold_reason(cohort_id: int, course_session_id: int | None, content_warning: str | None,
                *texts: str) -> str | None:
    """Why a new post is held ('safety_words' first), or None. A pre-moderated session may ask for a
    content warning: refused kindly, the words stay in the form."""
    level = session_moderation(cohort_id, course_session_id)
    if level.warning_required and not (content_warning or "").strip():
        raise WarningNeeded(WARNING_NEEDED)
    return holding.safety_reason(*texts) or ("pre_moderation" if level.before else None)


WARNING_NEEDED = ("Posts in this session talk about things that can be hard to read, so please add a content "
                  "warning (choose one or write your own). Your words are still here.")


def hold_edited(post: Post, reason: str, author_id: int) -> None:
    """An edited post now held: the thread counts it as held (and hides itself if it is the opening post)."""
    holding.hold(post, reason)
    thread = db.session.get(Thread, post.thread_id)
    thread.held_count += 1
    if post.number == 1:
        thread.held_at = post.held_at
    holding.alert_for(post, "post", author_id)
