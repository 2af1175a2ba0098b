"""Shared invite links: made and switched off by facilitators, used by anyone who has one while it has places."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.auth.services import create_user, find_user_by_email
from portal.cohorts.models import Cohort, Membership
from portal.dates import utcnow
from portal.enrolment.models import InviteLink
from portal.enrolment.places import add_membership, close_invitations_by_link, closed_problem
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import db
from portal.mail import send_mail

MAX_DAYS, MAX_USES = 60, 100


def create_invite_link(actor, cohort: Cohort, days: int, max_uses: int) -> InviteLink:
    """A new link for the cohort, working for `days` days and for `max_uses` people."""
    if not (1 <= days <= MAX_DAYS and 1 <= max_uses <= MAX_USES):
        raise InvalidInput(f"A link works for 1 to {MAX_DAYS} days and for 1 to {MAX_USES} people.")
    closed = closed_problem(cohort)
    if closed:
        raise RuleViolation(closed)
    link = InviteLink(cohort_id=cohort.id, code=secrets.token_urlsafe(18), created_by_id=actor.id,
                      expires_at=utcnow() + timedelta(days=days), max_uses=max_uses, uses=0)
    db.session.add(link)
    db.session.commit()
    return link


def list_links(cohort: Cohort) -> list[InviteLink]:
    """The cohort's invite links, newest first, working or not."""
    return db.session.scalars(select(InviteLink).where(InviteLink.cohort_id == cohort.id)
                              .order_by(InviteLink.created_at.desc(), InviteLink.id.desc())).all()


def revoke_invite_link(link: InviteLink) -> None:
    """Switch a link off for good (switching it off twice changes nothing)."""
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.session.commit()


def link_problem(link: InviteLink | None) -> str | None:
    """Why a link can't be used now, in words for the person holding it; None while it works."""
    if link is None:
        return "This invite link isn't valid. Check you have the whole link."
    if link.revoked_at is not None:
        return "This invite link has been switched off. Ask your facilitator for a new one."
    if link.expires_at < utcnow():
        return "This invite link has expired. Ask your facilitator for a new one."
    if link.uses >= link.max_uses:
        return "This invite link has been used as many times as it allows. Ask your facilitator for a new one."
    return closed_problem(db.session.get(Cohort, link.cohort_id))


def load_invite_link(code: str) -> InviteLink | None:
    """The link with this code, if there is one."""
    return db.session.scalars(select(InviteLink).where(InviteLink.code == code[:64])).first()


def _take_place(link: InviteLink) -> None:
    """Use one place on the link in the current transaction, atomically, so a full link can't be overfilled."""
    taken = db.session.execute(update(InviteLink).where(
        InviteLink.id == link.id, InviteLink.uses < InviteLink.max_uses, InviteLink.revoked_at.is_(None),
        InviteLink.expires_at > utcnow()).values(uses=InviteLink.uses + 1)).rowcount
    if not taken:
        db.session.rollback()
        raise RuleViolation(link_problem(link) or "This invite link can't be used any more.")


def join_by_link(link: InviteLink, user: User) -> Membership:
    """Join as a learner with a signed-in account; a current member is told so and uses no place."""
    membership = add_membership(link.cohort_id, user, "learner")
    _take_place(link)
    close_invitations_by_link(link.cohort_id, user)
    db.session.commit()
    return membership


_JOIN_SALT = "portal.join-by-link"
JOIN_CONFIRM_SECONDS = 24 * 3600


def _join_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_JOIN_SALT)


def email_join_link(link: InviteLink, cohort: Cohort, email: str, confirm_url, join_url: str) -> None:
    """Someone without an account asked to join: email them a confirmation link, or, if the address
    already has an account, a reminder to sign in. The page they see is the same either way."""
    if find_user_by_email(email) is not None:
        send_mail(email, f"Joining {cohort.name}", _JOIN_EXISTING_MAIL.format(cohort=cohort.name, link=join_url))
        return
    token = _join_serializer().dumps(
        {"c": link.code, "e": email.strip()})
    send_mail(email, f"Confirm you'd like to join {cohort.name}", _JOIN_NEW_MAIL.format(
        cohort=cohort.name, link=confirm_url(token)))


def join_email(token: str, code: str) -> str | None:
    """The address a join confirmation was sent to, while the token is fresh and for this link."""
    try:
        data = _join_serializer().loads(token, max_age=JOIN_CONFIRM_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != code or not isinstance(data.get("e"), str):
        return None
    return data["e"]


def join_with_new_account(link: InviteLink, email: str, display_name: str, password: str) -> User:
    """Take a place first, so a link that filled up meanwhile makes no account; then the account, then join."""
    closed = closed_problem(db.session.get(Cohort, link.cohort_id))
    if closed:
        raise RuleViolation(closed)
    _take_place(link)
    try:
        user = create_user(email, display_name, password)  # commits the place with the account
    except IntegrityError:  # the same confirmation link made the account a moment ago
        db.session.rollback()
        raise RuleViolation("An account with that email address was made a moment ago. "
                            "If that was you, sign in and open the invite link again.") from None
    except RuleViolation:
        db.session.rollback()
        raise
    add_membership(link.cohort_id, user, "learner")
    close_invitations_by_link(link.cohort_id, user)
    db.session.commit()
    return user




_JOIN_NEW_MAIL = """Hello,

You asked to join {cohort} on the Cohort Portal. To choose your name and password and join, open this
link within a day:

{link}

If you didn't ask for this, you can ignore this email.

The Cohort Portal
"""

_JOIN_EXISTING_MAIL = """Hello,

Someone (probably you) asked to join {cohort} on the Cohort Portal with this email address. You already
have an account: sign in, then open the invite link again to join:

{link}

If you didn't ask for this, you can ignore this email: nothing has changed.

The Cohort Portal
"""
