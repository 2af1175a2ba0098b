"""Sharing one entry with the cohort's facilitators, revoking it, and the facilitators' one reply.
Facilitators reach an entry only while it is shared; every share and revoke is audited."""
from __future__ import annotations

from sqlalchemy import select, update

from portal.audit.services import record
from portal.auth.models import User
from portal.dates import utcnow
from portal.discussions.text import InvalidText, clean_body
from portal.errors import NotFound, RuleViolation
from portal.extensions import db
from portal.journal.models import REPLY_MAX, JournalEntry
from portal.journal.services import entry_of
from portal.markdown import render_markdown


def share_entry(author, cohort, entry_id: int) -> JournalEntry:
    entry = entry_of(author.id, cohort.id, entry_id)
    if entry.shared_at is None:
        entry.shared_at = utcnow()
        record(author, "journal.share", subject=entry, cohort=cohort)
        db.session.commit()
    return entry


def revoke_share(author, cohort, entry_id: int) -> JournalEntry:
    """Facilitators see nothing of it from now on; any reply stays with the author."""
    entry = entry_of(author.id, cohort.id, entry_id)
    if entry.shared_at is not None:
        entry.shared_at = None
        record(author, "journal.revoke", subject=entry, cohort=cohort)
        db.session.commit()
    return entry


def shared_entries(cohort_id: int) -> list[tuple[JournalEntry, User]]:
    """The entries shared with this cohort's facilitators now, most recently shared first."""
    return list(db.session.execute(
        select(JournalEntry, User).join(User, User.id == JournalEntry.author_id)
        .where(JournalEntry.cohort_id == cohort_id, JournalEntry.shared_at.is_not(None))
        .order_by(JournalEntry.shared_at.desc(), JournalEntry.id.desc())).all())


def shared_entry(cohort_id: int, entry_id: int) -> tuple[JournalEntry, User]:
    row = db.session.execute(
        select(JournalEntry, User).join(User, User.id == JournalEntry.author_id)
        .where(JournalEntry.id == entry_id, JournalEntry.cohort_id == cohort_id,
               JournalEntry.shared_at.is_not(None))).first()
    if row is None:
        raise NotFound("There is no such shared entry.")
    return row[0], row[1]


def reply_to_entry(facilitator, cohort, entry_id: int, body: str) -> JournalEntry:
    """The facilitators' one reply. One UPDATE that only fills an empty reply: two at once can't both land."""
    entry, _author = shared_entry(cohort.id, entry_id)
    if entry.author_id == facilitator.id:
        raise NotFound("There is no such shared entry.")
    body = clean_body(body)
    if not body:
        raise InvalidText("Write something before sending.")
    if len(body) > REPLY_MAX:
        raise InvalidText(f"A reply can be up to {REPLY_MAX:,} characters. Your text is kept below.")
    done = db.session.execute(
        update(JournalEntry).where(JournalEntry.id == entry.id, JournalEntry.reply_source.is_(None),
                                   JournalEntry.shared_at.is_not(None))
        .values(reply_source=body, reply_html=render_markdown(body), reply_author_id=facilitator.id,
                replied_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise RuleViolation("A facilitator has already replied to this entry: each entry has one reply.")
    db.session.commit()
    db.session.refresh(entry)
    return entry
