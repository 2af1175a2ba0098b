"""Notification use cases: the list, marking read, following, email preferences and unsubscribing."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from portal.dates import local_today, utcnow
from portal.errors import InvalidInput
from portal.extensions import db
from portal.notifications import subjects
from portal.notifications.kinds import KINDS, kinds_for, sentence
from portal.notifications.models import (MODES, CohortFollow, Notification, NotificationPreference,
                                         NotificationSettings, ThreadFollow, UnsubscribeUse)
from portal.notifications.tokens import read_token

PAGE_SIZE = 25
COUNT_CAP = 99  # the header shows "99+" beyond this: counting further costs time and says nothing


@dataclass(frozen=True)
class Item:
    id: int
    text: str
    created_at: object
    unread: bool
    words: str | None


def unread_count_sql(user_id_column):
    """SQL: how many unread notifications the person has (capped): rides on the user loader's query. Only those
    the list shows (the same visibility condition), so the badge never counts what they can no longer see.
    Needs the `today` parameter, as the list does."""
    capped = (select(Notification.id).where(Notification.user_id == user_id_column, Notification.read_at.is_(None),
                                            subjects.visible_sql(Notification))
              .limit(COUNT_CAP + 1).correlate_except(Notification).subquery())
    return select(func.count()).select_from(capped).scalar_subquery()


def list_page(user_id: int, page: int) -> tuple[list[Item], bool]:
    """One page of the person's notifications that they may still see, newest first: (items, has_more)."""
    rows = db.session.execute(
        select(Notification).where(Notification.user_id == user_id, subjects.visible_sql(Notification))
        .order_by(Notification.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1),
        {"today": local_today()}).scalars().all()
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    about = subjects.describe(rows)
    items = []
    for n in rows:
        found = about.get((n.subject_kind, n.subject_id))
        items.append(Item(n.id, sentence(n.kind, found), n.created_at, n.read_at is None,
                          found.words if found and n.kind in ("mention", "reply_to_me", "thread_reply") else None))
    return items, more


def open_notification(user_id: int, notification_id: int):
    """The notification's target (endpoint, values), marked read; None when it isn't theirs or they may no
    longer see what it is about (the view answers 404)."""
    note = db.session.execute(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user_id, subjects.visible_sql(Notification)),
        {"today": local_today()}).scalar_one_or_none()
    if note is None:
        return None
    about = subjects.describe([note]).get((note.subject_kind, note.subject_id))
    if about is None:
        return None
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return about.endpoint, about.values


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one notification read, or all of them (None)."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    done = db.session.execute(stmt.values(read_at=utcnow()), execution_options={"synchronize_session": False})
    db.session.commit()
    return done.rowcount


# ---- following -----------------------------------------------------------------------------------------

def _upsert(model, values: dict, keys: list[str], set_: dict) -> None:
    insert_ = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert_(model.__table__).values(**values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=set_) if set_
                       else stmt.on_conflict_do_nothing(index_elements=keys))


def is_following(user_id: int, thread_id: int, cohort_id: int) -> bool:
    row = db.session.get(ThreadFollow, (user_id, thread_id))
    if row is not None:
        return row.following
    return db.session.get(CohortFollow, (user_id, cohort_id)) is not None


def set_following(user_id: int, thread_id: int, following: bool) -> None:
    _upsert(ThreadFollow, {"user_id": user_id, "thread_id": thread_id, "following": following, "created_at": utcnow()},
            ["user_id", "thread_id"], {"following": following})
    db.session.commit()


def follows_cohort(user_id: int, cohort_id: int) -> bool:
    return db.session.get(CohortFollow, (user_id, cohort_id)) is not None


def set_cohort_following(user_id: int, cohort_id: int, following: bool) -> None:
    if following:
        _upsert(CohortFollow, {"user_id": user_id, "cohort_id": cohort_id, "created_at": utcnow()},
                ["user_id", "cohort_id"], {})
    else:
        db.session.execute(delete(CohortFollow).where(CohortFollow.user_id == user_id,
                                                      CohortFollow.cohort_id == cohort_id))
    db.session.commit()


# ---- email preferences ---------------------------------------------------------------------------------

def load_preferences(user_id: int, is_facilitator: bool) -> tuple[dict[str, str], bool]:
    """({kind: mode} for every kind this person may get, include_words)."""
    chosen = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.mode)
                                     .where(NotificationPreference.user_id == user_id)).all())
    settings = db.session.get(NotificationSettings, user_id)
    modes = {k.name: "now" if k.safety else chosen.get(k.name, k.default) for k in kinds_for(is_facilitator)}
    return modes, bool(settings and settings.include_words)


def save_preferences(user_id: int, modes: dict[str, str], include_words: bool) -> None:
    if any(kind not in KINDS or mode not in MODES for kind, mode in modes.items()):
        raise InvalidInput("That choice isn't available. Nothing has been changed.")
    for kind, mode in modes.items():
        if KINDS[kind].safety:
            continue  # always at once: there is nothing to choose
        _upsert(NotificationPreference, {"user_id": user_id, "kind": kind, "mode": mode, "updated_at": utcnow()},
                ["user_id", "kind"], {"mode": mode, "updated_at": utcnow()})
    _upsert(NotificationSettings, {"user_id": user_id, "include_words": include_words, "updated_at": utcnow()},
            ["user_id"], {"include_words": include_words, "updated_at": utcnow()})
    db.session.commit()


@dataclass(frozen=True)
class Unsubscribed:
    outcome: str  # "done" | "used" | "expired" | "invalid"
    label: str = ""


def unsubscribe(token: str) -> Unsubscribed:
    """Turn off the emails a link was for. A link works once; safety alerts can't be turned off."""
    from portal.notifications.tokens import LinkProblem

    try:
        user_id, kind, nonce = read_token(token)
    except LinkProblem as e:
        return Unsubscribed(e.why)
    digest = kind.partition(":")[2] if kind.startswith("digest:") else None
    if digest not in (None, "daily", "weekly") or (digest is None and kind not in KINDS):
        return Unsubscribed("invalid")
    label = f"the {digest} summary" if digest else KINDS[kind].label.lower()
    db.session.add(UnsubscribeUse(nonce=nonce, user_id=user_id, kind=kind))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Unsubscribed("used", label)
    if digest:  # every kind now summarised in that digest stops
        modes, _words = load_preferences(user_id, True)
        kinds = [k for k, m in modes.items() if m == digest and not KINDS[k].safety]
    else:
        kinds = [] if KINDS[kind].safety else [kind]
    for name in kinds:
        _upsert(NotificationPreference, {"user_id": user_id, "kind": name, "mode": "off", "updated_at": utcnow()},
                ["user_id", "kind"], {"mode": "off", "updated_at": utcnow()})
    db.session.commit()
    return Unsubscribed("done", label)


def unread_for(user) -> int:
    """The count the user loader brought (no query), for the header."""
    return int(getattr(user, "unread_notifications", 0) or 0)


