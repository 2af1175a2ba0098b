"""Enrolment use cases: invitations by email, shared invite links, CSV imports, and accepting them."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from portal.auth.models import User
from portal.auth.services import create_user, find_user_by_email
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.dates import utcnow
from portal.enrolment.csv_import import parse_rows
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from portal.errors import RuleViolation
from portal.extensions import db
from portal.mail import send_mail

INVITATION_DAYS = 14
_SALT = "portal.invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def invitation_token(invitation: Invitation) -> str:
    return _serializer().dumps({"i": invitation.id, "n": invitation.nonce})


def load_invitation(token: str) -> tuple[Invitation | None, str | None]:
    """The invitation a link names, or None with the reason it no longer works."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 86400)
    except BadSignature:
        return None, "This invitation link isn't valid. Check you copied the whole link from the email."
    invitation = db.session.get(Invitation, data.get("i")) if isinstance(data, dict) else None
    if invitation is None or data.get("n") != invitation.nonce:
        return None, "This invitation link has been replaced by a newer one. Use the link in the latest email."
    if invitation.revoked_at is not None:
        return None, "This invitation has been withdrawn. If you think that's a mistake, contact your facilitator."
    if invitation.accepted_at is not None:
        return None, "This invitation has already been used. You can sign in as usual."
    if invitation.expires_at < utcnow():
        return None, "This invitation has expired. Ask your facilitator to send you a new one."
    return invitation, None


def _current_member(cohort_id: int, email: str) -> bool:
    return db.session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(Membership.cohort_id == cohort_id, Membership.status.in_(CURRENT_STATUSES),
               func.lower(User.email) == email.lower()).limit(1)) is not None


def invite_person(actor, cohort: Cohort, email: str, name: str | None, role: str = "learner") -> Invitation:
    """Email an invitation (or a fresh copy of a pending one); refuses people already in the cohort."""
    email = email.strip()
    if _current_member(cohort.id, email):
        raise RuleViolation(f"{email} is already a member of {cohort.name}.")
    invitation = db.session.scalars(select(Invitation).where(
        Invitation.cohort_id == cohort.id, func.lower(Invitation.email) == email.lower(),
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))).first()
    if invitation is None:
        invitation = Invitation(cohort_id=cohort.id, email=email, invited_by_id=getattr(actor, "id", None))
        db.session.add(invitation)
    invitation.display_name = name or invitation.display_name
    invitation.role = role
    _refresh(invitation)
    db.session.commit()
    _send(invitation, cohort)
    return invitation


def _refresh(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_hex(16)  # only the newest emailed link works
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    db.session.flush()


def _send(invitation: Invitation, cohort: Cohort) -> None:
    from flask import url_for

    link = url_for("enrolment.accept_invitation", token=invitation_token(invitation), _external=True)
    role = "a facilitator of" if invitation.role == "facilitator" else "a member of"
    send_mail(invitation.email, f"You're invited to join {cohort.name}", _INVITE_MAIL.format(
        name=invitation.display_name or "there", cohort=cohort.name, role=role, link=link, days=INVITATION_DAYS))


def resend_invitation(invitation: Invitation, cohort: Cohort) -> None:
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise RuleViolation("This invitation has been used or withdrawn, so it can't be sent again.")
    _refresh(invitation)
    db.session.commit()
    _send(invitation, cohort)


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()


def _join(cohort_id: int, user: User, role: str) -> Membership:
    """Add or bring back a membership (flushes; the caller commits)."""
    membership = db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort_id, Membership.user_id == user.id)).first()
    if membership is None:
        membership = Membership(cohort_id=cohort_id, user_id=user.id, role=role)
        db.session.add(membership)
    elif membership.status in CURRENT_STATUSES:
        raise RuleViolation("You are already a member of this cohort.")
    membership.role, membership.status, membership.status_changed_at = role, "active", utcnow()
    db.session.flush()
    return membership


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    if user.email.lower() != invitation.email.lower():
        raise RuleViolation("This invitation was sent to a different email address.")
    membership = _join(invitation.cohort_id, user, invitation.role)
    invitation.accepted_at, invitation.accepted_by_id = utcnow(), user.id
    db.session.commit()
    return membership


def accept_with_new_account(invitation: Invitation, display_name: str, password: str) -> User:
    user = create_user(invitation.email, display_name, password)
    accept_invitation(invitation, user)
    return user


def create_invite_link(actor, cohort: Cohort, days: int, max_uses: int) -> InviteLink:
    link = InviteLink(cohort_id=cohort.id, code=secrets.token_urlsafe(18), created_by_id=actor.id,
                      expires_at=utcnow() + timedelta(days=days), max_uses=max_uses, uses=0)
    db.session.add(link)
    db.session.commit()
    return link


def revoke_invite_link(link: InviteLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.session.commit()


def link_problem(link: InviteLink | None) -> str | None:
    if link is None:
        return "This invite link isn't valid. Check you have the whole link."
    if link.revoked_at is not None:
        return "This invite link has been switched off. Ask your facilitator for a new one."
    if link.expires_at < utcnow():
        return "This invite link has expired. Ask your facilitator for a new one."
    if link.uses >= link.max_uses:
        return "This invite link has been used as many times as it allows. Ask your facilitator for a new one."
    return None


def load_invite_link(code: str) -> InviteLink | None:
    return db.session.scalars(select(InviteLink).where(InviteLink.code == code[:64])).first()


def join_by_link(link: InviteLink, user: User) -> Membership:
    """Use one place on the link (atomically, so a full link can't be overfilled) and join as a learner."""
    taken = db.session.execute(update(InviteLink).where(
        InviteLink.id == link.id, InviteLink.uses < InviteLink.max_uses, InviteLink.revoked_at.is_(None))
        .values(uses=InviteLink.uses + 1)).rowcount
    if not taken:
        db.session.rollback()
        raise RuleViolation(link_problem(link) or "This invite link can't be used any more.")
    membership = _join(link.cohort_id, user, "learner")
    db.session.commit()
    return membership


_JOIN_SALT = "portal.join-by-link"
JOIN_CONFIRM_SECONDS = 24 * 3600


def email_join_link(link: InviteLink, cohort: Cohort, email: str, confirm_url, join_url: str) -> None:
    """Someone without an account asked to join: email them a confirmation link, or, if the address
    already has an account, a reminder to sign in. The page they see is the same either way."""
    if find_user_by_email(email) is not None:
        send_mail(email, f"Joining {cohort.name}", _JOIN_EXISTING_MAIL.format(cohort=cohort.name, link=join_url))
        return
    token = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_JOIN_SALT).dumps(
        {"c": link.code, "e": email.strip()})
    send_mail(email, f"Confirm you'd like to join {cohort.name}", _JOIN_NEW_MAIL.format(
        cohort=cohort.name, link=confirm_url(token)))


def join_email(token: str, code: str) -> str | None:
    """The address a join confirmation was sent to, while the token is fresh and for this link."""
    try:
        data = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_JOIN_SALT).loads(
            token, max_age=JOIN_CONFIRM_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != code or not isinstance(data.get("e"), str):
        return None
    return data["e"]


def join_with_new_account(link: InviteLink, email: str, display_name: str, password: str) -> User:
    user = create_user(email, display_name, password)
    join_by_link(link, user)
    return user


def preview_csv(actor, cohort: Cohort, filename: str, data: bytes) -> CsvImport:
    """Check every row (format, duplicates, members, pending invitations) and keep it for confirmation."""
    rows = parse_rows(data)
    _mark_known(cohort.id, rows)
    imported = CsvImport(cohort_id=cohort.id, created_by_id=actor.id, filename=filename[:255], rows=rows)
    db.session.add(imported)
    db.session.commit()
    return imported


def _mark_known(cohort_id: int, rows: list[dict]) -> None:
    """Duplicates within the file, current members and pending invitations: one query each."""
    members = set(db.session.scalars(select(func.lower(User.email)).join(Membership, Membership.user_id == User.id)
                                     .where(Membership.cohort_id == cohort_id,
                                            Membership.status.in_(CURRENT_STATUSES))))
    pending = set(db.session.scalars(select(func.lower(Invitation.email)).where(
        Invitation.cohort_id == cohort_id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow())))
    first_line: dict[str, int] = {}
    for row in rows:
        key = row["email"].lower()
        if row["problem"]:
            continue
        if key in first_line:
            row["problem"] = f"Appears twice in this file (also line {first_line[key]})"
        elif key in members:
            row["problem"] = "Already a member of this cohort"
        elif key in pending:
            row["problem"] = "Already invited (the invitation hasn't been accepted yet)"
        first_line.setdefault(key, row["line"])


def confirm_import(actor, cohort: Cohort, imported: CsvImport) -> int:
    """Invite every row without a problem, once. A second confirmation invites nobody."""
    claimed = db.session.execute(update(CsvImport).where(CsvImport.id == imported.id,
                                                         CsvImport.confirmed_at.is_(None))
                                 .values(confirmed_at=utcnow())).rowcount
    db.session.commit()
    if not claimed:
        raise RuleViolation("This list has already been imported, so nobody was invited twice.")
    rows = [dict(r, problem=r["problem"]) for r in imported.rows]
    _mark_known(cohort.id, [r for r in rows if not r["problem"]])
    made = []
    for row in rows:
        if row["problem"]:
            continue
        invitation = Invitation(cohort_id=cohort.id, email=row["email"], display_name=row["name"] or None,
                                role="learner", invited_by_id=actor.id, nonce=secrets.token_hex(16),
                                expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
        db.session.add(invitation)
        made.append(invitation)
    db.session.commit()
    for invitation in made:
        _send(invitation, cohort)
    return len(made)


_INVITE_MAIL = """Hello {name},

You have been invited to join {cohort} on the Cohort Portal, as {role} the cohort.

The portal is where your group talks between sessions, shares practice exercises and keeps in touch.
Everything shared there stays within the cohort.

To accept, open this link within {days} days:

{link}

If you weren't expecting this, you can ignore this email.

The Cohort Portal
"""

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
