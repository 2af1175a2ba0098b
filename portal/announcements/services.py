"""Announcement use cases: post, dismiss from my cohort home, withdraw. Each commits once."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from portal.announcements.models import BODY_MAX, TITLE_MAX, Announcement, AnnouncementDismissal
from portal.audit.services import record
from portal.dates import utcnow
from portal.discussions.text import clean_body
from portal.errors import InvalidInput, NotFound
from portal.extensions import db
from portal.forms import strip_filter
from portal.markdown import render_markdown
from portal.notifications.events import record as notify

TITLE_TOO_LONG = (f"A title can be up to {TITLE_MAX} characters. Please shorten it a little; "
                  "your words are kept below.")
BODY_TOO_LONG = (f"An announcement can be up to {BODY_MAX:,} characters. Please shorten it, or put the "
                 "longer part in a discussion thread and link to it. Your words are kept below.")


def check_text(title: str | None, body: str | None) -> tuple[str, str]:
    """The title and body as they will be kept; a warm message when one is missing or too long."""
    title, body = strip_filter(title or ""), clean_body(body)
    if not title:
        raise InvalidInput("Give your announcement a short title, so people know what it is about.")
    if not body:
        raise InvalidInput("Write your announcement before posting it.")
    if len(title) > TITLE_MAX:
        raise InvalidInput(TITLE_TOO_LONG)
    if len(body) > BODY_MAX:
        raise InvalidInput(BODY_TOO_LONG)
    return title, body


def post_announcement(actor, cohort, title: str, body: str, client_token: str | None = None) -> Announcement:
    """Post to the whole cohort: shown on its home until each member dismisses it, and a notification to each
    active member (mailed under their preferences). The same form sent twice posts once."""
    title, body = check_text(title, body)
    token = (client_token or "")[:64] or None
    if token is not None and (earlier := _by_token(cohort.id, token)) is not None:
        return earlier
    row = Announcement(cohort_id=cohort.id, author_id=actor.id, title=title, body_source=body,
                       body_html=render_markdown(body), client_token=token)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # the same form, sent twice at once: the other request posted it
        db.session.rollback()
        earlier = _by_token(cohort.id, token) if token else None
        if earlier is None:
            raise
        return earlier
    record(actor, "announcement.posted", subject=row, cohort=cohort, detail=title)
    notify("announcement", cohort.id, actor.id, "announcement", row.id)
    db.session.commit()
    return row


def _by_token(cohort_id: int, token: str) -> Announcement | None:
    return db.session.scalar(select(Announcement).where(Announcement.cohort_id == cohort_id,
                                                        Announcement.client_token == token))


def live_announcement(cohort_id: int, announcement_id: int) -> Announcement:
    """An announcement of this cohort that has not been withdrawn; anything else is not found."""
    row = db.session.scalar(select(Announcement).where(
        Announcement.id == announcement_id, Announcement.cohort_id == cohort_id, Announcement.withdrawn_at.is_(None)))
    if row is None:
        raise NotFound("That announcement isn't here any more.")
    return row


def dismiss_announcement(user_id: int, cohort_id: int, announcement_id: int) -> Announcement:
    """Close an announcement on this person's cohort home. Twice is the same as once."""
    row = live_announcement(cohort_id, announcement_id)
    insert_ = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert_(AnnouncementDismissal.__table__)
                       .values(announcement_id=row.id, user_id=user_id, dismissed_at=utcnow())
                       .on_conflict_do_nothing(index_elements=["announcement_id", "user_id"]))
    db.session.commit()
    return row


def withdraw_announcement(actor, cohort, announcement_id: int) -> Announcement | None:
    """Take an announcement back: shown to nobody and mailed to nobody from now on (notifications about it
    disappear too). Returns None when it was already withdrawn."""
    row = db.session.scalar(select(Announcement).where(Announcement.id == announcement_id,
                                                       Announcement.cohort_id == cohort.id))
    if row is None:
        raise NotFound("That announcement isn't here.")
    if row.withdrawn_at is not None:
        return None
    row.withdrawn_at, row.withdrawn_by_id = utcnow(), actor.id
    record(actor, "announcement.withdrawn", subject=row, cohort=cohort, detail=row.title)
    db.session.commit()
    return row
