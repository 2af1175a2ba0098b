"""Held content: deciding what to hold, the author's choice, and the facilitators' release or keep.

A post, an exercise response or a piece of feedback is held when the safety matcher finds a phrase in it
('safety_words'), or (posts) when its session is moderated before posting ('pre_moderation'). It is saved,
seen only by its author and the cohort's facilitators (and site admins), and the facilitators are alerted
in the same transaction. The author's choice ('share' once a facilitator has looked, or 'facilitators'
only) binds the facilitators: release is refused when the author asked to keep it for them.
"""
from __future__ import annotations

from sqlalchemy import func, update

from portal.dates import utcnow
from portal.errors import InvalidInput, NotFound, RuleViolation
from portal.extensions import db
from portal.moderation.alerts import handle_alerts, raise_alert
from portal.moderation.held_models import HELD_CHOICES


def _models() -> dict:
    from portal.discussions.models import Post
    from portal.exercises.feedback_models import Feedback
    from portal.exercises.response_models import ExerciseResponse
    return {"post": Post, "response": ExerciseResponse, "feedback": Feedback}


KINDS = ("post", "response", "feedback")
ALREADY = "Another facilitator has just dealt with this, so nothing more was needed."
WITHDRAWN = ("Its author has withdrawn it, so there is nothing to release or keep. If you are worried about "
             "them, you can still reach out to them.")
FACILITATORS_ONLY = ("Its author asked to keep it for the facilitators only, so it can't be shared with the "
                     "cohort. You can keep it for the facilitators and reach out to them.")


def safety_reason(*texts: str | None) -> str | None:
    """'safety_words' when any of the texts holds a safety phrase, else None."""
    from portal.moderation.safety import default_matcher
    matcher = default_matcher()
    return "safety_words" if any(t and matcher.holds(t) for t in texts) else None


def hold(item, reason: str) -> None:
    """Mark a new or changed item held (the caller adds the alert once it has an id, and commits)."""
    item.held_at, item.held_reason = utcnow(), reason
    item.held_choice = item.held_choice or "share"
    item.released_at = item.released_by_id = item.reviewed_at = item.reviewed_by_id = None


def alert_for(item, kind: str, author_id: int | None) -> None:
    """The facilitators' alert and emails for a held item, in the caller's transaction."""
    if item.id is None:
        db.session.flush()
    raise_alert(item.cohort_id, item.held_reason, kind, item.id, author_id=author_id)


def load_held(cohort_id: int, kind: str, item_id: int):
    """The item of this cohort, held now or once; NotFound (404) otherwise."""
    model = _models().get(kind)
    item = db.session.get(model, item_id) if model is not None else None
    if item is None or item.cohort_id != cohort_id or item.held_at is None:
        raise NotFound("There is nothing here.")
    return item


def author_of(item) -> int | None:
    return getattr(item, "author_id", None) or getattr(item, "reviewer_id", None)


def choose(user, cohort_id: int, kind: str, item_id: int, choice: str) -> None:
    """The author's choice while it is held: theirs to change until a facilitator has released it."""
    item = load_held(cohort_id, kind, item_id)
    if author_of(item) != user.id:
        raise NotFound("There is nothing here.")
    if choice not in HELD_CHOICES:
        raise InvalidInput("Choose who may see it: your cohort once a facilitator has looked, or your "
                           "facilitators only. Nothing has been changed.")
    if item.released_at is not None:
        raise RuleViolation("A facilitator has already shared it with your cohort. If you'd rather it wasn't "
                            "there, you can withdraw it or talk to your facilitators.")
    item.held_choice = choice
    db.session.commit()


def _withdrawn(item) -> bool:
    return getattr(item, "withdrawn_at", None) is not None


def release_held(actor, cohort_id: int, kind: str, item_id: int) -> bool:
    """Share a held item with the cohort. False when another facilitator did it first (nothing recorded)."""
    from portal.audit.services import record
    model = _models()[kind]
    item = load_held(cohort_id, kind, item_id)
    if _withdrawn(item):
        raise RuleViolation(WITHDRAWN)
    if item.released_at is not None:
        return False
    if item.held_choice == "facilitators":
        raise RuleViolation(FACILITATORS_ONLY)
    conditions = [model.id == item.id, model.released_at.is_(None), model.held_at.is_not(None),
                  model.held_choice != "facilitators"]
    if kind == "post":
        conditions.append(model.withdrawn_at.is_(None))
    now = utcnow()
    # Conditional: of two facilitators releasing at once, one changes the row and the other finds it done.
    done = db.session.execute(update(model).where(*conditions).values(released_at=now, released_by_id=actor.id)
                              .execution_options(synchronize_session=False)).rowcount
    if not done:
        db.session.rollback()
        return False
    if kind == "post":
        from portal.notifications.events import record as notify

        _thread_after_release(item)
        notify("post", cohort_id, item.author_id, "post", item.id)  # the cohort hears of it now, once released
    handle_alerts(cohort_id, kind, item.id, actor.id)
    entry = record(actor, f"{kind}.released", subject=item, cohort=cohort_id,
                   detail=f"Held ({item.held_reason}); shared with the cohort")
    _tell_after_release(item, kind, cohort_id, entry)
    db.session.commit()
    return True


def _tell_after_release(item, kind: str, cohort_id: int, entry) -> None:
    """Its author hears the outcome; released feedback reaches the response's author, a released response its
    reviewers."""
    from portal.notifications.events import record as notify
    from portal.notifications.outcomes import tell_author

    tell_author(entry)
    if kind == "feedback":
        notify("feedback_received", cohort_id, None, "feedback", item.id)
    elif kind == "response":  # its reviewers could not see it while it was held: they hear of it now
        from sqlalchemy import select

        from portal.exercises.feedback_models import ReviewAllocation
        for allocation_id in db.session.scalars(select(ReviewAllocation.id).where(
                ReviewAllocation.response_id == item.id)):
            notify("review_allocated", cohort_id, None, "allocation", allocation_id)


def _thread_after_release(post) -> None:
    """The released post now counts for everyone: one fewer held, and the thread's latest time moves."""
    from portal.discussions.models import Thread
    threads = Thread.__table__
    values = {"held_count": func.max(threads.c.held_count - 1, 0) if db.session.get_bind().dialect.name == "sqlite"
              else func.greatest(threads.c.held_count - 1, 0)}
    if post.number == 1:
        values["held_at"] = None
    db.session.execute(update(threads).where(threads.c.id == post.thread_id).values(**values))
    db.session.execute(update(threads).where(threads.c.id == post.thread_id,
                                             threads.c.last_post_at < post.created_at)
                       .values(last_post_at=post.created_at))


def keep_held(actor, cohort_id: int, kind: str, item_id: int) -> bool:
    """Keep it for the facilitators (someone reaches out): stays seen by its author and them only.
    False when it was already kept or released (nothing recorded)."""
    from portal.audit.services import record
    model = _models()[kind]
    item = load_held(cohort_id, kind, item_id)
    if _withdrawn(item):
        raise RuleViolation(WITHDRAWN)
    conditions = [model.id == item.id, model.released_at.is_(None), model.reviewed_at.is_(None)]
    if kind == "post":
        conditions.append(model.withdrawn_at.is_(None))
    done = db.session.execute(update(model).where(*conditions).values(reviewed_at=utcnow(), reviewed_by_id=actor.id)
                              .execution_options(synchronize_session=False)).rowcount
    if not done:
        db.session.rollback()
        return False
    handle_alerts(cohort_id, kind, item.id, actor.id)
    entry = record(actor, f"{kind}.kept", subject=item, cohort=cohort_id,
                   detail=f"Held ({item.held_reason}); kept for the facilitators, who reach out")
    from portal.notifications.outcomes import tell_author

    tell_author(entry)
    db.session.commit()
    return True
