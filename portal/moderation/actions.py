"""What facilitators do from the moderation queue. Each action commits once, with its audit event, its flags
resolved and the item's alerts handled, all in one transaction.

Two facilitators acting on the same flag at once: the conditional UPDATE (resolved_at IS NULL) lets one win;
the other is told it was already done, and only one action is recorded.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import CohortSession, Membership
from portal.dates import utcnow
from portal.discussions.models import HIDDEN_REASON_MAX, PostRevision
from portal.discussions.text import check_body, clean_body
from portal.errors import InvalidInput, NotFound, RuleViolation
from portal.exercises.allocating import rebalance_for_restriction
from portal.exercises.response_models import ResponseRevision
from portal.extensions import db
from portal.markdown import render_markdown
from portal.moderation.alerts import handle_alerts
from portal.moderation.flag_models import Flag
from portal.moderation.models import ModerationAlert
from portal.moderation.restrictions import MAX_DAYS, UNTIL_LIFTED, until_words
from portal.moderation.subjects import Subject
from portal.notifications.outcomes import TOLD, tell_author


class NeedsReason(RuleViolation):
    status = 422


class AlreadyDone(RuleViolation):
    """Someone else (another facilitator, another tab) did this first: nothing more was changed."""


def _resolve_flags(actor, subject: Subject, outcome: str, flag_id: int | None = None) -> int:
    """Resolve the item's open flags (or one of them): only rows still open change, so a race resolves once."""
    where = [Flag.cohort_id == subject.cohort_id, Flag.subject_kind == subject.kind, Flag.subject_id == subject.id,
             Flag.resolved_at.is_(None)]
    if flag_id is not None:
        where.append(Flag.id == flag_id)
    done = db.session.execute(update(Flag).where(*where).values(resolved_at=utcnow(), resolved_by_id=actor.id,
                                                                outcome=outcome)
                              .execution_options(synchronize_session=False))
    return done.rowcount or 0


def _open_flags_left(subject: Subject) -> bool:
    return db.session.scalar(select(Flag.id).where(Flag.subject_kind == subject.kind, Flag.subject_id == subject.id,
                                                   Flag.resolved_at.is_(None)).limit(1)) is not None


def _finish(actor, subject: Subject, action: str, detail: str | None, audit_subject=None) -> None:
    about = audit_subject if audit_subject is not None else subject.target or subject.item
    entry = record(actor, action, subject=about, cohort=subject.cohort_id, detail=detail)
    if action in TOLD:
        tell_author(entry)
    handle_alerts(subject.cohort_id, subject.kind, subject.id, actor.id)
    db.session.commit()


def _unhide_if_only_flags(subject: Subject) -> bool:
    """Hidden by the flag threshold only, and the flags are dismissed: it shows again."""
    target = subject.target
    if target is not None and target.hidden_at is not None and target.hidden_by_id is None:
        target.hidden_at = target.hidden_reason = None
        return True
    return False


def dismiss_flag(actor, subject: Subject, flag_id: int | None) -> int:
    """Dismiss one flag (flag_id) or all open flags on the item; an item with alerts but no flags is marked as
    looked at. Returns how many flags were dismissed."""
    n = _resolve_flags(actor, subject, "dismissed", flag_id)
    if n == 0 and flag_id is None and _handle_alerts_once(actor, subject):
        record(actor, "alert.handled", subject=subject.target or subject.item, cohort=subject.cohort_id,
               detail=f"{subject.noun} looked at: nothing to do")
        db.session.commit()
        return 0
    if n == 0:
        db.session.rollback()
        raise AlreadyDone("That has already been dealt with, so nothing more was changed.")
    left = _open_flags_left(subject)
    shown_again = not left and _unhide_if_only_flags(subject)
    entry = record(actor, "flag.dismissed", subject=subject.target or subject.item, cohort=subject.cohort_id,
                   detail=f"{n} flag{'s' if n != 1 else ''} on a {subject.noun} dismissed")
    if shown_again:
        tell_author(entry)
    if not left:
        handle_alerts(subject.cohort_id, subject.kind, subject.id, actor.id)
    db.session.commit()
    return n


def _handle_alerts_once(actor, subject: Subject) -> int:
    """Mark the item's open alerts handled with one conditional UPDATE, so two facilitators can't both do it."""
    done = db.session.execute(update(ModerationAlert).where(
        ModerationAlert.cohort_id == subject.cohort_id, ModerationAlert.subject_kind == subject.kind,
        ModerationAlert.subject_id == subject.id, ModerationAlert.handled_at.is_(None))
        .values(handled_at=utcnow(), handled_by_id=actor.id).execution_options(synchronize_session=False))
    return done.rowcount or 0


def _clean_reason(reason: str | None, needed: str) -> str:
    reason = clean_body(reason or "").strip()
    if not reason:
        raise NeedsReason(needed)
    if len(reason) > HIDDEN_REASON_MAX:
        raise NeedsReason(f"A reason can be up to {HIDDEN_REASON_MAX} characters. Please shorten it.")
    return reason


def _not_withdrawn(subject: Subject) -> None:
    if subject.withdrawn:
        raise RuleViolation(f"Its author has already withdrawn this {subject.noun}, so nobody sees it: "
                            "there is nothing to hide or edit. You can dismiss its flags.")


def hide_item(actor, subject: Subject, reason: str | None) -> None:
    """Hide from others with a reason its author reads (a thread: its opening post)."""
    reason = _clean_reason(reason, "Please say why you are hiding it: its author will read your reason.")
    _not_withdrawn(subject)
    target = subject.target
    if target is None:
        raise NotFound("That isn't here any more.")
    target.hidden_at, target.hidden_reason, target.hidden_by_id = utcnow(), reason, actor.id
    _resolve_flags(actor, subject, "acted")
    _finish(actor, subject, "item.hidden", f"{subject.noun} hidden: {reason}")


def restore_item(actor, subject: Subject) -> None:
    target = subject.target
    if target is None or target.hidden_at is None:
        raise AlreadyDone("It isn't hidden (someone may have restored it already), so nothing was changed.")
    target.hidden_at = target.hidden_reason = target.hidden_by_id = None
    _resolve_flags(actor, subject, "acted")
    _finish(actor, subject, "item.restored", f"{subject.noun} shown again")


def edit_item(actor, subject: Subject, body: str | None, reason: str | None) -> None:
    """Edit a post or response; the original is kept as a revision and readers see "edited by a facilitator"."""
    reason = _clean_reason(reason, "Please say why you are editing it: it is kept in the audit log.")
    _not_withdrawn(subject)
    target = subject.target
    if subject.kind not in ("post", "thread", "response") or target is None:
        raise InvalidInput("Only posts and exercise responses can be edited. Feedback can be hidden instead.")
    body = check_body(body or "")
    now = utcnow()
    if subject.kind == "response":
        db.session.add(ResponseRevision(response_id=target.id, version=target.version, body_source=target.body_source,
                                        body_html=target.body_html, content_warning=target.content_warning,
                                        created_at=target.updated_at))
        target.version += 1
        target.updated_at = now
    else:
        db.session.add(PostRevision(post_id=target.id, body_source=target.body_source, body_html=target.body_html,
                                    content_warning=target.content_warning,
                                    created_at=target.edited_at or target.created_at))
        target.edited_at = now
    target.body_source, target.body_html, target.moderator_edited_at = body, render_markdown(body), now
    _resolve_flags(actor, subject, "acted")
    _finish(actor, subject, "item.edited", f"{subject.noun} edited by a facilitator: {reason}")


def set_locked(actor, subject: Subject, locked: bool) -> None:
    thread = subject.thread
    if thread is None:
        raise InvalidInput("Only threads can be locked.")
    if thread.locked == locked:
        raise AlreadyDone("The thread is already " + ("locked." if locked else "open."))
    thread.locked = locked
    _resolve_flags(actor, subject, "acted")
    _finish(actor, subject, "thread.locked" if locked else "thread.unlocked", thread.title, audit_subject=thread)


def move_thread(actor, subject: Subject, course_session_id: int | None) -> None:
    """Move a thread to another session's space of the same cohort (None: the general space)."""
    thread = subject.thread
    if thread is None:
        raise InvalidInput("Only threads can be moved.")
    if course_session_id is not None and db.session.scalar(select(CohortSession.id).where(
            CohortSession.cohort_id == subject.cohort_id,
            CohortSession.course_session_id == course_session_id)) is None:
        raise InvalidInput("Please choose one of this cohort's sessions from the list.")
    if thread.course_session_id == course_session_id:
        raise AlreadyDone("The thread is already there.")
    thread.course_session_id = course_session_id
    _resolve_flags(actor, subject, "acted")
    _finish(actor, subject, "thread.moved", thread.title, audit_subject=thread)


def parse_days(value: str | None, *, allow_until_lifted: bool = False) -> int | None:
    """A number of days between 1 and 365 (or "until lifted" for a suspension, as None)."""
    text = (value or "").strip()
    if allow_until_lifted and text == "lifted":
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise NeedsReason(f"Please give a number of days between 1 and {MAX_DAYS}.")
    return int(text)


def _learner_place(cohort_id: int, user_id: int | None) -> tuple[Membership, User]:
    row = db.session.execute(select(Membership, User).join(User, User.id == Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.user_id == (user_id or 0),
        Membership.status.in_(("active", "suspended")))).first()
    if row is None:
        raise NotFound("That person isn't a member of this cohort now.")
    if row[0].role != "learner":
        raise RuleViolation("Facilitators can't be muted or suspended here. A site administrator can help.")
    return row[0], row[1]


def restrict_member(actor, cohort_id: int, user_id: int | None, what: str, days: int | None, reason: str | None,
                    subject: Subject | None = None) -> str:
    """Mute (read-only) or suspend (no access) a learner for `days` (suspend: None means until lifted), or lift
    either. Returns words for the facilitator. From the queue, `subject` is the item that led to it."""
    membership, user = _learner_place(cohort_id, user_id)
    now = utcnow()
    if what in ("mute", "suspend"):
        reason = _clean_reason(reason, "Please give a reason: it is kept in the audit log.")
        until = UNTIL_LIFTED if days is None else now + timedelta(days=days)
        if what == "mute":
            membership.muted_until = until
        else:
            membership.suspended_until = until
        detail = f"{until_words(until)}: {reason}"
        said = f"{user.display_name} is {'muted' if what == 'mute' else 'suspended'} {until_words(until)}."
    elif what in ("unmute", "lift"):
        column = "muted_until" if what == "unmute" else "suspended_until"
        if getattr(membership, column) is None or getattr(membership, column) <= now:
            raise AlreadyDone("That had already ended, so nothing was changed.")
        setattr(membership, column, None)
        detail, said = None, f"{user.display_name} can {'post' if what == 'unmute' else 'open the cohort'} again."
    else:
        raise InvalidInput("That action isn't available.")
    action = {"mute": "member.muted", "suspend": "member.suspended", "unmute": "member.unmuted",
              "lift": "member.suspension_lifted"}[what]
    record(actor, action, subject=user, cohort=cohort_id, detail=detail)
    if what in ("mute", "suspend"):  # their reviews not yet given go to others, in this unit of work
        rebalance_for_restriction(actor, membership)
    if subject is not None and what in ("mute", "suspend"):
        _resolve_flags(actor, subject, "acted")
        handle_alerts(subject.cohort_id, subject.kind, subject.id, actor.id)
    db.session.commit()
    return said
