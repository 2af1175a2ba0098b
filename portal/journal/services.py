"""Journal use cases. Every read goes through `entry_of`/`entries_of`, which filter by author: there is
no other way in, so nobody else (facilitators and site admins included) can reach an entry."""
from __future__ import annotations

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from portal.course.models import CourseSession
from portal.dates import utcnow
from portal.discussions.models import Draft
from portal.discussions.text import InvalidText, clean_body
from portal.errors import NotFound
from portal.extensions import db
from portal.journal.models import ENTRY_MAX, JournalEntry
from portal.markdown import render_markdown
from portal.numbers import parse_id

NEW_KEY = "journal:new"


def draft_key(entry_id: int | None) -> str:
    return f"journal:{entry_id}" if entry_id else NEW_KEY


def check_entry(text: str | None) -> str:
    body = clean_body(text)
    if not body:
        raise InvalidText("Write something before saving.")
    if len(body) > ENTRY_MAX:
        raise InvalidText(f"This entry is {len(body):,} characters long. Entries can be up to {ENTRY_MAX:,} "
                          "characters: please shorten it or split it into two entries. Your text is kept below.")
    return body


def entries_of(author_id: int, cohort_id: int, course_session_id: int | None = None) -> list[JournalEntry]:
    """The author's own entries in this cohort, newest first."""
    query = select(JournalEntry).where(JournalEntry.author_id == author_id, JournalEntry.cohort_id == cohort_id)
    if course_session_id is not None:
        query = query.where(JournalEntry.course_session_id == course_session_id)
    return list(db.session.scalars(query.order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())))


def entry_of(author_id: int, cohort_id: int, entry_id: int) -> JournalEntry:
    """The author's own entry; anything else (someone else's, another cohort's, unknown) is NotFound."""
    entry = db.session.scalars(select(JournalEntry).where(
        JournalEntry.id == entry_id, JournalEntry.author_id == author_id,
        JournalEntry.cohort_id == cohort_id)).first()
    if entry is None:
        raise NotFound("There is no such entry.")
    return entry


def _check_session(cohort, course_session_id: int | None) -> int | None:
    if course_session_id is None:
        return None
    found = db.session.scalar(select(CourseSession.id).where(
        CourseSession.id == course_session_id, CourseSession.course_id == cohort.course_id))
    if found is None:
        raise InvalidText("Choose one of this course's sessions, or none.")
    return found


def write_entry(author, cohort, course_session_id: int | None, title: str | None, body: str,
                client_token: str | None) -> JournalEntry:
    """A new entry. A resent form (same client token) returns the entry it already made."""
    body = check_entry(body)
    session_id = _check_session(cohort, course_session_id)
    if client_token and (existing := _by_token(author.id, client_token)) is not None:
        return existing
    now = utcnow()
    entry = JournalEntry(cohort_id=cohort.id, author_id=author.id, course_session_id=session_id,
                         title=(title or "").strip() or None, body_source=body, body_html=render_markdown(body),
                         client_token=client_token or None, created_at=now, updated_at=now)
    db.session.add(entry)
    _clear_draft(author.id, cohort.id, NEW_KEY)
    try:
        db.session.commit()
    except IntegrityError:  # the same form arrived twice at once
        db.session.rollback()
        existing = _by_token(author.id, client_token)
        if existing is None:
            raise
        return existing
    return entry


def edit_entry(author, cohort, entry_id: int, course_session_id: int | None, title: str | None,
               body: str) -> JournalEntry:
    entry = entry_of(author.id, cohort.id, entry_id)
    body = check_entry(body)
    entry.course_session_id = _check_session(cohort, course_session_id)
    entry.title = (title or "").strip() or None
    if body != entry.body_source:
        entry.body_source, entry.body_html = body, render_markdown(body)
    entry.updated_at = utcnow()
    _clear_draft(author.id, cohort.id, draft_key(entry.id))
    db.session.commit()
    return entry


def delete_entry(author, cohort, entry_id: int) -> None:
    entry = entry_of(author.id, cohort.id, entry_id)
    _clear_draft(author.id, cohort.id, draft_key(entry.id))
    db.session.delete(entry)
    db.session.commit()


def journal_draft_spent(user_id: int, ref: str, token: str | None) -> bool:
    """A late autosave from a composer whose entry is already saved never comes back as a draft."""
    if ref == "new":
        return bool(token) and bool(db.session.scalar(select(exists().where(
            JournalEntry.author_id == user_id, JournalEntry.client_token == token))))
    entry_id = parse_id(ref)
    entry = db.session.get(JournalEntry, entry_id) if entry_id else None
    return entry is None or entry.author_id != user_id or (bool(token) and entry.version != token)


def _by_token(author_id: int, token: str | None) -> JournalEntry | None:
    if not token:
        return None
    return db.session.scalars(select(JournalEntry).where(JournalEntry.author_id == author_id,
                                                         JournalEntry.client_token == token)).first()


def _clear_draft(user_id: int, cohort_id: int, key: str) -> None:
    db.session.execute(delete(Draft).where(Draft.user_id == user_id, Draft.cohort_id == cohort_id,
                                           Draft.key == key))


# Sharing lives in sharing.py; these names make it reachable from here too.
from portal.journal.sharing import reply_to_entry, revoke_share, share_entry  # noqa: E402,F401
