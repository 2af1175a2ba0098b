"""Flagging: a member tells the facilitators that something worries them.

Flagged items stay visible until a facilitator acts, except that flags from FLAG_HIDE_THRESHOLD different
members hide the item pending review (one alert, however many flags race). A safety flag alerts the
cohort's facilitators at once, in the same transaction as the flag.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.dates import utcnow
from portal.discussions.text import clean_body
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import db
from portal.moderation.alerts import raise_alert
from portal.moderation.flag_models import FLAG_REASONS, NOTE_MAX, SAFETY_FLAG, Flag
from portal.moderation.subjects import Subject
from portal.notifications.events import record as notify

# The reason an item hidden by several flags shows to its author: nobody has judged it yet.
PENDING_REVIEW = "Several members flagged it, so it is hidden until a facilitator has looked at it."


class NoteNeeded(RuleViolation):
    status = 422


@dataclass(frozen=True)
class Flagged:
    flag: Flag | None
    already: bool  # this person had flagged it before: nothing changed
    hidden_now: bool  # this flag took it past the threshold


def threshold() -> int:
    """How many different members' open flags hide an item pending review (PORTAL_FLAG_HIDE_THRESHOLD)."""
    try:
        return max(1, int(current_app.config.get("FLAG_HIDE_THRESHOLD", 3)))
    except (TypeError, ValueError):
        return 3


def own_flag(user_id: int, kind: str, item_id: int) -> Flag | None:
    return db.session.scalars(select(Flag).where(Flag.subject_kind == kind, Flag.subject_id == item_id,
                                                 Flag.flagger_id == user_id)).first()


def check_flag(subject: Subject, user_id: int, reason: str | None, note: str | None) -> str | None:
    """The note, cleaned; or a domain error saying kindly what is missing."""
    if reason not in FLAG_REASONS:
        raise InvalidInput("Please choose one of the reasons in the list.")
    note = clean_body(note or "").strip() or None
    if reason == "other" and not note:
        raise NoteNeeded("Please say a few words about what worries you, so a facilitator knows what to look at.")
    if note and len(note) > NOTE_MAX:
        raise NoteNeeded(f"A note can be up to {NOTE_MAX} characters. Please shorten it a little.")
    if subject.author_id == user_id:
        raise RuleViolation(f"This is your own {subject.noun}, so it can't be flagged. You can change or take "
                            "back what you wrote, or talk to a facilitator if something is worrying you.")
    if subject.withdrawn:
        raise RuleViolation(f"Its author has already withdrawn this {subject.noun}, so nobody sees it any more.")
    return note


def flag_item(user, subject: Subject, reason: str | None, note: str | None) -> Flagged:
    """Record the flag (once per person and item), alert at once for safety, hide past the threshold; commit."""
    note = check_flag(subject, user.id, reason, note)
    if (existing := own_flag(user.id, subject.kind, subject.id)) is not None:
        return Flagged(existing, True, False)
    flag = Flag(cohort_id=subject.cohort_id, subject_kind=subject.kind, subject_id=subject.id, flagger_id=user.id,
                author_id=subject.author_id, reason=reason, note=note)
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError:  # the same form twice at once: the other request made the flag
        db.session.rollback()
        return Flagged(own_flag(user.id, subject.kind, subject.id), True, False)
    if reason == SAFETY_FLAG:
        raise_alert(subject.cohort_id, "safety_flag", subject.kind, subject.id, author_id=subject.author_id,
                    raised_by_id=user.id)
    hidden_now = _hide_past_threshold(subject)
    if reason != SAFETY_FLAG and not hidden_now:  # those two already alert the facilitators
        notify("new_flag", subject.cohort_id, user.id, "flag", flag.id)
    db.session.commit()
    return Flagged(flag, False, hidden_now)


def _hide_past_threshold(subject: Subject) -> bool:
    """Hide the item once enough different members have open flags on it. The conditional UPDATE makes one
    request win when flags race: one hide, one alert."""
    flaggers = db.session.scalar(select(func.count(func.distinct(Flag.flagger_id))).where(
        Flag.subject_kind == subject.kind, Flag.subject_id == subject.id, Flag.resolved_at.is_(None)))
    target = subject.target
    if flaggers < threshold() or target is None or target.hidden_at is not None:
        return False
    model = type(target)
    done = db.session.execute(update(model).where(model.id == target.id, model.hidden_at.is_(None))
                              .values(hidden_at=utcnow(), hidden_reason=PENDING_REVIEW, hidden_by_id=None)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return False
    record(None, "item.hidden_by_flags", subject=target, cohort=subject.cohort_id,
           detail=f"{subject.noun} hidden after {flaggers} members flagged it")
    raise_alert(subject.cohort_id, "flag_threshold", subject.kind, subject.id, author_id=subject.author_id)
    db.session.expire(target)
    return True
