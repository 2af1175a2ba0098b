"""The outcome of moderation, told to the author of what was acted on (kind "moderation_outcome").

The subject is the audit entry the action wrote: it says what was done to which item, and stays as it was
(a later action is a later entry and a later notification), so each notification keeps saying what happened."""
from __future__ import annotations

from portal.extensions import db
from portal.notifications.events import record

# Actions on a post, response or feedback that its author is told of (from the queue, and held content).
TOLD = ("item.hidden", "item.restored", "item.edited")
ITEMS = ("posts", "exercise_responses", "feedback")


def tell_author(entry) -> None:
    """In the caller's transaction. Acting on one's own words tells nobody (fan-out drops the actor)."""
    if entry.subject_type not in ITEMS or entry.cohort_id is None:
        return
    if entry.id is None:
        db.session.flush()
    record("moderation_outcome", entry.cohort_id, entry.actor_id, "moderation", entry.id)
