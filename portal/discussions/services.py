"""Discussion use cases: start threads, reply, edit, withdraw, react, read marks and drafts."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, exists, func, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from portal.cohorts.models import Cohort
from portal.course.models import CourseSession
from portal.dates import utcnow
from portal.discussions.models import (REACTIONS, Draft, Post, PostRevision, Reaction, Thread, ThreadRead,
                                      draft_not_posted, reply_draft_key)
from portal.discussions.text import check_body, clean_body
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import db
from portal.markdown import render_markdown
from portal.discussions.held import WarningNeeded, hold_edited, hold_reason  # noqa: F401  (WarningNeeded: views)
from portal.moderation import holding
from portal.notifications.events import record as notify
from portal.numbers import parse_id


class EditConflict(RuleViolation):
    """The post changed after the editor opened it; their text is kept for them to compare."""


class DraftSpent(RuleViolation):
    """An autosave from a composer whose text has already been posted (or saved, for an edit)."""


def ensure_starter_threads(cohort: Cohort) -> int:
    """Open a pinned thread for each of the course's discussion prompts (flushes; no commit)."""
    existing = set(db.session.scalars(select(Thread.starter_key).where(
        Thread.cohort_id == cohort.id, Thread.starter_key.is_not(None))))
    added = 0
    for session in db.session.scalars(CourseSession.select_live(cohort.course_id)):
        for n, prompt in enumerate(session.discussion_prompts or [], start=1):
            key = f"{session.slug}/{n}"
            if key in existing:
                continue
            thread = Thread(cohort_id=cohort.id, course_session_id=session.id, title=prompt["title"][:200],
                            starter_key=key, pinned=True, post_count=1)
            db.session.add(thread)
            db.session.flush()
            db.session.add(Post(cohort_id=cohort.id, thread_id=thread.id, number=1, author_id=None,
                                body_source=prompt["body"], body_html=render_markdown(prompt["body"])))
            added += 1
    db.session.flush()
    return added


def start_thread(author, cohort: Cohort, course_session_id: int | None, title: str, body: str,
                 content_warning: str | None, client_token: str | None, *, exempt: bool = False) -> Post:
    """A new thread with its opening post. A resent form returns the post it already made.
    Held for a facilitator (with the whole thread) on safety words or in a pre-moderated session, unless
    `exempt` (the cohort's facilitators: they are the ones who would be called)."""
    body = check_body(body)
    if (existing := _earlier(author.id, client_token, body, cohort_id=cohort.id)) is not None:
        return existing
    reason = None if exempt else hold_reason(cohort.id, course_session_id, content_warning, title, body)
    thread = Thread(cohort_id=cohort.id, course_session_id=course_session_id, title=title.strip(),
                    author_id=author.id, post_count=1, held_count=1 if reason else 0)
    db.session.add(thread)
    db.session.flush()
    post = Post(cohort_id=cohort.id, thread_id=thread.id, number=1, author_id=author.id, body_source=body,
                body_html=render_markdown(body), content_warning=content_warning, client_token=client_token)
    if reason:
        holding.hold(post, reason)
        thread.held_at = post.held_at
    return _commit_new(post, author, client_token, draft_key=f"thread:{course_session_id or 'general'}")


def reply(author, thread: Thread, body: str, content_warning: str | None, reply_to: Post | None,
          client_token: str | None, *, exempt: bool = False) -> Post:
    """Add a reply. The thread row is locked for the numbering, so concurrent replies never clash.
    Held for a facilitator on safety words or in a pre-moderated session, unless `exempt` (facilitators)."""
    body = check_body(body)
    if (existing := _earlier(author.id, client_token, body, thread_id=thread.id)) is not None:
        return existing
    if thread.locked:
        raise RuleViolation("This thread is closed to new replies.")
    if reply_to is not None and reply_to.thread_id != thread.id:
        raise RuleViolation("You can only reply to a post in the same thread.")
    reason = None if exempt else hold_reason(thread.cohort_id, thread.course_session_id, content_warning, body)
    html, now = render_markdown(body), utcnow()  # before the UPDATE: writers wait only for the writes
    # One UPDATE both reserves the number and serialises writers on this thread (SQLite and PostgreSQL).
    # A held post takes its number but leaves the thread's latest time (what others see) as it was.
    number = db.session.execute(_next_number(bool(reason)), {"thread_id": thread.id, "now": now}).scalar_one()
    post = Post(cohort_id=thread.cohort_id, thread_id=thread.id, number=number, author_id=author.id,
                reply_to_id=reply_to.id if reply_to else None, body_source=body, body_html=html,
                content_warning=content_warning, client_token=client_token, created_at=now)
    if reason:
        holding.hold(post, reason)
    return _commit_new(post, author, client_token, draft_key=reply_draft_key(thread.id))


# Statements on the posting path are built once (functools.cache) and run with parameters: building
# them per request cost more than running them (make bench).
@cache
def _next_number(held: bool = False):
    threads = Thread.__table__  # a Core statement: nothing in this request reads the count from the object again
    values = ({"held_count": threads.c.held_count + 1} if held else {"last_post_at": bindparam("now")})
    return (update(threads).where(threads.c.id == bindparam("thread_id"))
            .values(post_count=threads.c.post_count + 1, **values).returning(threads.c.post_count))


REPEAT_WINDOW = timedelta(minutes=10)
REPEAT_MESSAGE = ("You posted these same words a few minutes ago, so we haven't posted them again. "
                  "Your text is still here if you want to change it.")


@cache
def _earlier_statement(scope: str):
    """An author's post by this form's token first, else the same words within the window in the scope."""
    author = bindparam("author_id")
    resend = select(Post.id, literal(0).label("kind")).where(Post.author_id == author,
                                                             Post.client_token == bindparam("token"))
    repeat = select(Post.id, literal(1).label("kind")).where(
        Post.author_id == author, Post.created_at >= bindparam("since"), getattr(Post, scope) == bindparam("scope"),
        Post.body_source == bindparam("body"), Post.withdrawn_at.is_(None))
    return union_all(resend, repeat).order_by("kind").limit(1)


def _earlier(author_id: int, token: str | None, body: str, **scope: int) -> Post | None:
    """One query for both kinds of resend. The post this form already made (same client token) is returned;
    the same words from the same person moments ago are almost always a resend, so say so kindly.
    `scope` is thread_id= or cohort_id=: where a repeat counts."""
    (column, value), = scope.items()
    found = db.session.execute(_earlier_statement(column), {
        "author_id": author_id, "token": token, "since": utcnow() - REPEAT_WINDOW, "scope": value,
        "body": body}).first()
    if found is None:
        return None
    if found.kind == 1:
        raise RuleViolation(REPEAT_MESSAGE)
    return db.session.get(Post, found.id)


def _by_token(author_id: int, token: str | None) -> Post | None:
    if not token:
        return None
    return db.session.scalars(select(Post).where(Post.author_id == author_id, Post.client_token == token)).first()


def _commit_new(post: Post, author, client_token: str | None, draft_key: str) -> Post:
    """Save the post, clear its draft and move the author's read mark past it: one transaction. A held
    post's alert (and the facilitators' emails) commit with it."""
    db.session.add(post)
    db.session.execute(_delete_draft(), {"user_id": author.id, "cohort_id": post.cohort_id, "key": draft_key})
    _advance_read_mark(author.id, post.thread_id, post.number)
    if post.held_at is None:  # (flushed by now) a held post is told about when a facilitator releases it
        notify("post", post.cohort_id, author.id, "post", post.id)
    try:
        if post.held_at is not None:
            holding.alert_for(post, "post", author.id)
        db.session.commit()
    except IntegrityError:  # the same form arrived twice at once: the other request made the post
        db.session.rollback()
        existing = _by_token(author.id, client_token)
        if existing is None:
            raise
        return existing
    return post


@cache
def _delete_draft():
    drafts = Draft.__table__
    return delete(drafts).where(drafts.c.user_id == bindparam("user_id"), drafts.c.cohort_id == bindparam("cohort_id"),
                                drafts.c.key == bindparam("key"))


def edit_post(author, post: Post, body: str, content_warning: str | None, seen_version: str, *,
              exempt: bool = False) -> None:
    """Save an edit, keeping the earlier text as a revision. `seen_version` detects a clash of two edits.
    An edit that brings in safety words holds the post for a facilitator, as a new post would (not `exempt`)."""
    if post.author_id != author.id:
        raise RuleViolation("Only the author can edit a post.")
    if post.withdrawn_at is not None:
        raise RuleViolation("This post has been withdrawn, so it can't be edited.")
    if seen_version != version_of(post):
        raise EditConflict("This post was changed somewhere else after you opened it.")
    body = check_body(body)
    if body == post.body_source and content_warning == post.content_warning:
        return
    db.session.add(PostRevision(post_id=post.id, body_source=post.body_source, body_html=post.body_html,
                                content_warning=post.content_warning, created_at=post.edited_at or post.created_at))
    post.body_source, post.body_html = body, render_markdown(body)
    post.content_warning, post.edited_at = content_warning, utcnow()
    post.moderator_edited_at = None  # the words are the author's own again
    db.session.execute(delete(Draft).where(Draft.user_id == author.id, Draft.key == f"edit:{post.id}"))
    if not exempt and not post.is_held and (reason := holding.safety_reason(body)):
        hold_edited(post, reason, author.id)
    db.session.commit()


def version_of(post: Post) -> str:
    stamp: datetime = post.edited_at or post.created_at
    return stamp.isoformat()


def withdraw_post(author, post: Post) -> None:
    """The author takes a post back; a short placeholder keeps the thread readable."""
    if post.author_id != author.id:
        raise RuleViolation("Only the author can withdraw a post.")
    if post.withdrawn_at is None:
        post.withdrawn_at = utcnow()
        db.session.commit()


def toggle_reaction(user, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if it was there. Returns whether it is now on."""
    if kind not in REACTIONS:
        raise InvalidInput("That reaction isn't available. Nothing has been changed.")
    if post.withdrawn_at is not None:
        raise RuleViolation("This post has been withdrawn.")
    existing = db.session.scalars(select(Reaction).where(
        Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind)).first()
    if existing is not None:
        db.session.delete(existing)
    else:
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
    try:
        db.session.commit()
    except IntegrityError:  # a double click: the first one counted
        db.session.rollback()
    return existing is None


def update_thread_settings(thread: Thread, *, pinned: bool, locked: bool, share_first: bool) -> None:
    thread.pinned, thread.locked, thread.share_first = pinned, locked, share_first
    db.session.commit()


def mark_read(user_id: int, thread: Thread, up_to: int) -> None:
    _advance_read_mark(user_id, thread.id, up_to)
    db.session.commit()


def _advance_read_mark(user_id: int, thread_id: int, up_to: int) -> None:
    """Move the read mark forward only, in one statement: two tabs can't move it back or collide."""
    db.session.execute(_read_mark_upsert(db.session.get_bind().dialect.name),
                       {"user_id": user_id, "thread_id": thread_id, "up_to": up_to, "now": utcnow()})


@cache
def _read_mark_upsert(dialect: str):
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert_(ThreadRead.__table__).values(user_id=bindparam("user_id"), thread_id=bindparam("thread_id"),
                                                last_read_number=bindparam("up_to"), updated_at=bindparam("now"))
    return stmt.on_conflict_do_update(
        index_elements=["user_id", "thread_id"],
        set_={"last_read_number": stmt.excluded.last_read_number, "updated_at": stmt.excluded.updated_at},
        where=ThreadRead.__table__.c.last_read_number < stmt.excluded.last_read_number)


def save_draft(user, cohort_id: int, key: str, title: str | None, body: str, content_warning: str | None,
               token: str | None = None) -> Draft:
    """Keep what is being typed. `token` names the composer it came from: once that composer's text has
    been posted, a late autosave from it is refused, so posted words never come back as a draft."""
    if _spent(user.id, cohort_id, key, token):
        raise DraftSpent("This has already been posted.")
    draft = db.session.scalars(select(Draft).where(
        Draft.user_id == user.id, Draft.cohort_id == cohort_id, Draft.key == key)).first()
    if draft is None:
        draft = Draft(user_id=user.id, cohort_id=cohort_id, key=key)
        db.session.add(draft)
    draft.title, draft.body, draft.content_warning = title, clean_body(body)[:200_000], content_warning
    draft.token, draft.updated_at = token or None, utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # two autosaves raced; the next one will update the row
        db.session.rollback()
    return draft


def _spent(user_id: int, cohort_id: int, key: str, token: str | None) -> bool:
    kind, _, ref = key.partition(":")
    if kind == "response":  # the token is the version of the response the composer opened ("0": none yet)
        from portal.exercises.responses import response_draft_spent  # exercises build on discussions
        return response_draft_spent(user_id, cohort_id, parse_id(ref) or 0, token or "")
    if kind == "journal":  # journal entries: a saved entry's late autosave never comes back
        from portal.journal.services import journal_draft_spent
        return journal_draft_spent(user_id, ref, token)
    if kind == "assignment":  # the token is the last version handed in when the form opened
        from portal.assignments.services import assignment_draft_spent
        return assignment_draft_spent(user_id, cohort_id, ref, token)
    if kind == "feedback":  # once feedback is given, a late autosave never brings it back
        from portal.exercises.feedback import feedback_draft_spent
        return feedback_draft_spent(user_id, parse_id(ref) or 0)
    if kind == "practice":  # practising on an exercise's example: once kept, a late autosave never returns
        from portal.exercises.practice import practice_draft_spent
        return practice_draft_spent(user_id, cohort_id, parse_id(ref) or 0)
    if not token:
        return False
    if kind == "edit":  # the token is the version of the post the editor opened
        post_id = parse_id(ref)
        post = db.session.get(Post, post_id) if post_id else None
        return post is None or post.author_id != user_id or version_of(post) != token
    return bool(db.session.scalar(select(exists().where(Post.author_id == user_id, Post.client_token == token))))


def get_draft(user_id: int, cohort_id: int, key: str) -> Draft | None:
    """The person's draft, unless it has already been posted."""
    return db.session.scalars(select(Draft).where(
        Draft.user_id == user_id, Draft.cohort_id == cohort_id, Draft.key == key, draft_not_posted())).first()


def count_posts(cohort_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Post).where(Post.cohort_id == cohort_id)) or 0
