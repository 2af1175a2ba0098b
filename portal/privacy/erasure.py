"""Erasure: a member asks, a site administrator confirms, and the person is removed from the portal.

The account row stays, anonymised ("A former member", an address that can't receive mail, no password,
no two-factor, every session and remembered sign-in ended), so that what others wrote in reply still reads
sensibly. Private things (journal, drafts, submissions and their files, check-ins, exports) are deleted.
Posts, responses and feedback follow the deployment's ERASURE_POLICY: "replace" (the default) puts
REMOVED_TEXT in their place; "keep" leaves the words under "a former member". Earlier versions go either way.
Audit events stay (they account for what was done), their free text replaced by REDACTED.
"""
from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from portal import storage
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.auth.models import User
from portal.dates import utcnow
from portal.errors import NotFound, RuleViolation
from portal.extensions import db
from portal.privacy.models import ErasureRequest
from portal.privacy.registry import ERASURE_KEEPS, t

FORMER_MEMBER = "A former member"
REMOVED_TEXT = "Removed at the member's request."
REMOVED_HTML = "<p>Removed at the member's request.</p>"
REDACTED = "[removed at the member's request]"
POLICIES = ("replace", "keep")


def is_erased(user: User) -> bool:
    return db.session.scalar(select(func.count()).where(ErasureRequest.user_id == user.id,
                                                       ErasureRequest.status == "done")) > 0


def last_facilitator_of(user_id: int) -> list[str]:
    """Running cohorts where this person is the only active facilitator."""
    m, c = t("memberships"), t("cohorts")
    o = m.alias("other_facilitators")
    others = (select(func.count()).select_from(o).where(o.c.cohort_id == c.c.id, o.c.user_id != user_id,
                                                        o.c.role == "facilitator", o.c.status == "active")
              .correlate(c).scalar_subquery())
    return list(db.session.scalars(
        select(c.c.name).join(m, m.c.cohort_id == c.c.id)
        .where(m.c.user_id == user_id, m.c.role == "facilitator", m.c.status == "active", c.c.status == "running",
               others == 0).order_by(c.c.name)))


def _refuse_last_facilitator(user_id: int, who: str) -> None:
    names = last_facilitator_of(user_id)
    if names:
        raise RuleViolation(f"{who} the only facilitator of {', '.join(names)}, which is still running. "
                            "Another facilitator needs to be added there first, so nobody is left without one.")


def request_erasure(user: User) -> ErasureRequest:
    """Record the member's request; nothing is erased until a site administrator confirms."""
    if is_erased(user):
        raise RuleViolation("This account has already been erased.")
    pending = db.session.scalars(select(ErasureRequest).where(ErasureRequest.user_id == user.id,
                                                              ErasureRequest.status == "pending")).first()
    if pending is not None:
        raise RuleViolation("You have already asked for your account to be erased. A site administrator will "
                            "confirm it soon; there is nothing more you need to do.")
    _refuse_last_facilitator(user.id, "You are")
    request = ErasureRequest(user_id=user.id)
    db.session.add(request)
    record(user, "erasure.requested", subject=user)
    db.session.commit()
    return request


def pending_requests() -> list[tuple[ErasureRequest, User]]:
    return list(db.session.execute(select(ErasureRequest, User).join(User, User.id == ErasureRequest.user_id)
                                   .where(ErasureRequest.status == "pending")
                                   .order_by(ErasureRequest.requested_at, ErasureRequest.id)).all())


def pending_request(request_id: int) -> tuple[ErasureRequest, User]:
    row = db.session.execute(select(ErasureRequest, User).join(User, User.id == ErasureRequest.user_id)
                             .where(ErasureRequest.id == request_id)).first()
    if row is None:
        raise NotFound("That request isn't here.")
    return row[0], row[1]


def confirm_erasure(admin: User, request_id: int) -> User:
    """Erase the person behind a pending request, recorded in the audit log; their files go after commit."""
    request, user = pending_request(request_id)
    if request.status != "pending":
        raise RuleViolation("This request has already been dealt with: the account was erased or the request "
                            "withdrawn.")
    if user.id == admin.id:
        raise RuleViolation("Another site administrator needs to confirm the erasure of your own account.")
    _refuse_last_facilitator(user.id, f"{user.display_name} is")
    record(admin, "erasure.confirmed", subject=user)
    db.session.flush()
    keys = erase_person(user, current_app.config["ERASURE_POLICY"])
    request.status, request.decided_at, request.decided_by_id = "done", utcnow(), admin.id
    db.session.commit()
    for key in keys:  # after the commit: a failed erasure keeps the files its rows still point at
        storage.delete(key)
    return user


def _ids(table: str, owner: str, user_id: int):
    return select(t(table).c.id).where(t(table).c[owner] == user_id)


def _run(*statements) -> None:
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))


def erase_person(user: User, policy: str) -> list[str]:
    """Remove the person from every table (see registry.py for the list); return the stored files to delete.
    Does not commit."""
    if policy not in POLICIES:
        raise ValueError(f"ERASURE_POLICY must be one of {POLICIES}")
    uid = user.id
    subs, exports = t("submissions"), t("data_exports")
    keys = [k for k in db.session.scalars(select(subs.c.file_key).where(subs.c.user_id == uid)) if k]
    keys += [k for k in db.session.scalars(select(exports.c.file_key).where(exports.c.user_id == uid)) if k]
    conversations = _ids("checkin_conversations", "member_id", uid)
    _run(
        delete(t("assignment_markings")).where(t("assignment_markings").c.submission_id.in_(
            _ids("submissions", "user_id", uid))),
        delete(t("checkin_messages")).where(t("checkin_messages").c.conversation_id.in_(conversations)),
        delete(t("post_revisions")).where(t("post_revisions").c.post_id.in_(_ids("posts", "author_id", uid))),
        delete(t("response_revisions")).where(t("response_revisions").c.response_id.in_(
            _ids("exercise_responses", "author_id", uid))),
        delete(t("review_allocations")).where(or_(t("review_allocations").c.reviewer_id == uid,
                                                  t("review_allocations").c.author_id == uid)),
        delete(t("queued_mail")).where(func.lower(t("queued_mail").c.to) == user.email.lower()),
    )
    _replace_words(uid, policy)
    flags, invitations = t("flags"), t("invitations")
    gone = f"erased-{uid}@erased.invalid"
    _run(
        update(flags).where(flags.c.flagger_id == uid).values(note=None),
        update(invitations).where(or_(invitations.c.accepted_by_id == uid,
                                      func.lower(invitations.c.email) == user.email.lower()))
        .values(email=gone, display_name=FORMER_MEMBER),
    )
    _unlink(uid)
    _run(
        update(AuditEvent).where(
            or_(and_(AuditEvent.subject_type == "users", AuditEvent.subject_id == uid), AuditEvent.actor_id == uid),
            AuditEvent.detail.is_not(None), AuditEvent.detail != REDACTED).values(detail=REDACTED),
        update(t("memberships")).where(t("memberships").c.user_id == uid, t("memberships").c.status != "left")
        .values(status="left", status_changed_at=utcnow()),
    )
    user.email, user.display_name, user.pronouns = gone, FORMER_MEMBER, None
    user.password_hash, user.active, user.is_site_admin = "!erased", False, False
    user.session_version = (user.session_version or 1) + 1  # ends every session and remembered sign-in
    user.reset_stamp, user.last_login_at = secrets.token_hex(16), None
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    return keys


def _unlink(uid: int) -> None:
    """Every other reference to the person, in every table (so a table added later is covered too): emptied
    where it may be, else the row is deleted; except the references registry.ERASURE_KEEPS lists."""
    for table in reversed(db.Model.metadata.sorted_tables):
        for column in table.columns:
            if table.name == "users" or (table.name, column.name) in ERASURE_KEEPS:
                continue
            if not any(fk.column.table.name == "users" for fk in column.foreign_keys):
                continue
            if column.nullable:
                _run(update(table).where(column == uid).values({column.name: None}))
            else:
                _run(delete(table).where(column == uid))


def _replace_words(uid: int, policy: str) -> None:
    """Posts, responses and feedback by policy; replies in others' journals and check-ins, marking: always
    replaced (they sit in someone else's private space, written by the person being erased)."""
    posts, threads, responses, feedback = t("posts"), t("threads"), t("exercise_responses"), t("feedback")
    journal, messages, markings = t("journal_entries"), t("checkin_messages"), t("assignment_markings")
    if policy == "replace":
        _run(
            update(posts).where(posts.c.author_id == uid).values(body_source=REMOVED_TEXT, body_html=REMOVED_HTML,
                                                                 content_warning=None),
            update(threads).where(threads.c.author_id == uid).values(title=REMOVED_TEXT),
            update(responses).where(responses.c.author_id == uid).values(
                body_source=REMOVED_TEXT, body_html=REMOVED_HTML, content_warning=None, take_forward=None),
            update(feedback).where(feedback.c.reviewer_id == uid).values(
                what_worked=REMOVED_TEXT, what_worked_html=REMOVED_HTML, to_consider="", to_consider_html="",
                ratings={}),
        )
    _run(
        update(journal).where(journal.c.reply_author_id == uid).values(reply_source=REMOVED_TEXT,
                                                                       reply_html=REMOVED_HTML),
        update(messages).where(messages.c.author_id == uid).values(body=REMOVED_TEXT),
        update(markings).where(markings.c.marker_id == uid).values(feedback=REMOVED_TEXT),
    )


def has_pending(user_id: int) -> bool:
    return db.session.scalar(select(func.count()).where(ErasureRequest.user_id == user_id,
                                                       ErasureRequest.status == "pending")) > 0
