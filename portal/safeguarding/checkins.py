"""Check-in messages: the portal's only private messages, and only between a cohort's facilitators (all of them,
together) and one learner of that cohort. Peers never message each other privately: the course's boundaries
guidance for a training group. So there is no way to address a conversation to anyone but "your facilitators"
(a learner writes only in their own conversation) or, for facilitators, a learner of their cohort.

Paused members can still read and reply: this is a care channel, not a way to take part in the group. People
who left or were removed can no longer be written to (their cohort answers 404 to them); facilitators keep the
conversation's history."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.dates import utcnow
from portal.errors import InvalidInput, NotFound, RuleViolation
from portal.extensions import db
from portal.links import external_url
from portal.mail import queue_mail
from portal.safeguarding.models import MESSAGE_MAX, CheckinConversation, CheckinMessage


def _body(text: str | None) -> str:
    body = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput("Please write your message before sending it.")
    if len(body) > MESSAGE_MAX:
        raise InvalidInput(f"Your message is {len(body):,} characters long; a message can be up to "
                           f"{MESSAGE_MAX:,}. Please shorten it: your text is kept below.")
    return body


def learner_place(cohort_id: int, user_id: int) -> Membership | None:
    """The person's place as a learner of this cohort (any status), or None: facilitators and strangers
    are never the other side of a check-in."""
    return db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort_id, Membership.user_id == user_id, Membership.role == "learner")).first()


def conversation_of(cohort_id: int, member_id: int) -> CheckinConversation | None:
    return db.session.scalars(select(CheckinConversation).where(
        CheckinConversation.cohort_id == cohort_id, CheckinConversation.member_id == member_id)).first()


def _conversation(cohort_id: int, member_id: int) -> CheckinConversation:
    found = conversation_of(cohort_id, member_id)
    if found is not None:
        return found
    conversation = CheckinConversation(cohort_id=cohort_id, member_id=member_id)
    try:
        with db.session.begin_nested():  # two first messages at once: one conversation
            db.session.add(conversation)
    except IntegrityError:
        return conversation_of(cohort_id, member_id)
    return conversation


def _earlier(author_id: int, token: str | None) -> CheckinMessage | None:
    if not token:
        return None
    return db.session.scalars(select(CheckinMessage).where(CheckinMessage.author_id == author_id,
                                                           CheckinMessage.client_token == token)).first()


def send_checkin(facilitator, cohort: Cohort, member_id: int, text: str, client_token: str | None) -> CheckinMessage:
    """A facilitator writes to a learner of their cohort; the learner is emailed a link (no words)."""
    if (earlier := _earlier(facilitator.id, client_token)) is not None:
        return earlier
    place = learner_place(cohort.id, member_id)
    if place is None:
        raise NotFound("Check-ins are only with learners of this cohort.")
    if place.status not in CURRENT_STATUSES:
        raise RuleViolation("They are no longer in this cohort, so a check-in can't reach them here.")
    body, now = _body(text), utcnow()
    conversation = _conversation(cohort.id, member_id)
    message = CheckinMessage(conversation_id=conversation.id, author_id=facilitator.id, from_facilitator=True,
                             body=body, created_at=now, client_token=client_token or None)
    db.session.add(message)
    conversation.last_message_at = conversation.facilitators_wrote_at = conversation.facilitators_read_at = now
    member = db.session.get(User, member_id)
    if member is not None and member.active:
        subject = f"A message from your facilitators in {cohort.name}"
        queue_mail(member.email, subject,
                   f"{subject}.\n\nYou can read it and reply here: {external_url('checkins.mine', cohort_id=cohort.id)}"
                   "\n\nThis email holds none of the message's words. Sign in to read it.\n")
    record(facilitator, "checkin.sent", subject=member, cohort=cohort)  # who and when; never the words
    from portal.notifications.events import record as notify

    notify("checkin", cohort.id, facilitator.id, "checkin", conversation.id)  # their notification list too
    return _commit(message, facilitator.id, client_token)


def reply_checkin(member, cohort: Cohort, text: str, client_token: str | None) -> CheckinMessage:
    """A learner writes to their own cohort's facilitators (never to anyone else); they are emailed a link."""
    if (earlier := _earlier(member.id, client_token)) is not None:
        return earlier
    place = learner_place(cohort.id, member.id)
    if place is None or place.status not in CURRENT_STATUSES:
        raise NotFound("Only learners of this cohort write to its facilitators here.")
    if cohort.is_archived:
        raise RuleViolation("This cohort has been archived, so messages can't be sent here any more. "
                            "If you need help now, the contacts on the 'Need help now?' page are there for you.")
    body, now = _body(text), utcnow()
    conversation = _conversation(cohort.id, member.id)
    message = CheckinMessage(conversation_id=conversation.id, author_id=member.id, from_facilitator=False,
                             body=body, created_at=now, client_token=client_token or None)
    db.session.add(message)
    conversation.last_message_at = conversation.member_wrote_at = conversation.member_read_at = now
    link = external_url("checkins.conversation", cohort_id=cohort.id, member_id=member.id)
    for address in _facilitator_addresses(cohort.id):
        queue_mail(address, f"A member of {cohort.name} has written to you",
                   f"A member of {cohort.name} has replied to a check-in.\n\nPlease read it when you can: {link}\n\n"
                   "This email holds no names or words from the portal. Sign in to see them.\n")
    return _commit(message, member.id, client_token)


def _facilitator_addresses(cohort_id: int) -> list[str]:
    return list(db.session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, Membership.role == "facilitator",
               Membership.status == "active", User.active.is_(True))))


def _commit(message: CheckinMessage, author_id: int, token: str | None) -> CheckinMessage:
    try:
        db.session.commit()
    except IntegrityError:  # the same form twice at once: the other request sent it
        db.session.rollback()
        existing = _earlier(author_id, token)
        if existing is None:
            raise
        return existing
    return message


def mark_read(conversation: CheckinConversation | None, *, by_member: bool) -> None:
    """Move the reader's marker, only when there is something unread (so reading writes nothing usually)."""
    if conversation is None:
        return
    if by_member and conversation.unread_by_member:
        conversation.member_read_at = utcnow()
        db.session.commit()
    elif not by_member and conversation.unread_by_facilitators:
        conversation.facilitators_read_at = utcnow()
        db.session.commit()


def messages(conversation: CheckinConversation | None) -> list[tuple[CheckinMessage, str | None]]:
    if conversation is None:
        return []
    return db.session.execute(
        select(CheckinMessage, User.display_name).outerjoin(User, User.id == CheckinMessage.author_id)
        .where(CheckinMessage.conversation_id == conversation.id).order_by(CheckinMessage.id)).all()


@dataclass(frozen=True)
class Row:
    member_id: int
    name: str
    status: str
    conversation: CheckinConversation | None


def overview(cohort_id: int) -> list[Row]:
    """Every learner of the cohort with their conversation, if any: unread replies first, then latest."""
    rows = db.session.execute(
        select(User.id, User.display_name, Membership.status, CheckinConversation)
        .join(Membership, and_(Membership.user_id == User.id, Membership.cohort_id == cohort_id,
                               Membership.role == "learner"))
        .outerjoin(CheckinConversation, and_(CheckinConversation.cohort_id == cohort_id,
                                             CheckinConversation.member_id == User.id))
        .order_by(User.display_name, User.id)).all()
    found = [Row(*row) for row in rows if row[2] in CURRENT_STATUSES or row[3] is not None]
    return sorted(found, key=lambda r: (not (r.conversation and r.conversation.unread_by_facilitators),
                                        r.conversation is None))


def unread_for_member_clause(cohort_id, user_id):
    """True when a facilitator wrote after the member last read: folded into the query that loads the cohort
    on every cohort page (portal/cohorts/scope.py), so the marker costs no query of its own."""
    c = CheckinConversation
    return exists().where(c.cohort_id == cohort_id, c.member_id == user_id, c.facilitators_wrote_at.is_not(None),
                          (c.member_read_at.is_(None)) | (c.member_read_at < c.facilitators_wrote_at))
