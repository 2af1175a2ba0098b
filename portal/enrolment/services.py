"""Enrolment use cases: invitations by email (one at a time or from a CSV) and accepting them.

Shared invite links are in links.py.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.auth.services import create_user
from portal.cohorts.models import CURRENT_STATUSES, ROLES, Cohort, Membership
from portal.dates import utcnow
from portal.enrolment.csv_import import parse_rows
from portal.enrolment.models import CsvImport, Invitation
from portal.enrolment.places import add_membership, closed_problem, refuse_if_closed
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import db
from portal.links import external_url
from portal.mail import send_mail

INVITATION_DAYS = 14
_SALT = "portal.invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def invitation_token(invitation: Invitation) -> str:
    """The signed part of the emailed link: the invitation and its current nonce."""
    return _serializer().dumps({"i": invitation.id, "n": invitation.nonce})


def load_invitation(token: str) -> tuple[Invitation | None, str | None]:
    """The invitation a link names, or None with the reason it no longer works."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 86400)
    except SignatureExpired:
        return None, EXPIRED
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
        return None, EXPIRED
    closed = closed_problem(cohort_of(invitation))
    if closed:
        return None, closed
    return invitation, None


EXPIRED = "This invitation has expired. Ask your facilitator to send you a new one."


def cohort_of(row) -> Cohort:
    """The cohort an invitation or invite link is for."""
    return db.session.get(Cohort, row.cohort_id)


def list_invitations(cohort: Cohort) -> list[Invitation]:
    """Every invitation to the cohort, newest first: waiting, accepted, expired and withdrawn."""
    return db.session.scalars(select(Invitation).where(Invitation.cohort_id == cohort.id)
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()


def is_current_member(cohort_id: int, email: str) -> bool:
    """Whether the account with this address (in any letter case) is an active or suspended member."""
    return db.session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(Membership.cohort_id == cohort_id, Membership.status.in_(CURRENT_STATUSES),
               func.lower(User.email) == email.lower()).limit(1)) is not None


def member_emails(cohort: Cohort) -> set[str]:
    """The addresses (lower case) of the cohort's current members: an invitation to one of them is done."""
    return set(db.session.scalars(select(func.lower(User.email)).join(Membership, Membership.user_id == User.id)
                                  .where(Membership.cohort_id == cohort.id,
                                         Membership.status.in_(CURRENT_STATUSES))))


def cohort_size(cohort: Cohort) -> int:
    """How many people are in the cohort now (learners and facilitators, paused included)."""
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.cohort_id == cohort.id, Membership.status.in_(CURRENT_STATUSES)))


def waiting_invitations(cohort: Cohort, ids: list[int]) -> list[Invitation]:
    """Those of `ids` that are the cohort's unused, unwithdrawn invitations (others are ignored)."""
    if not ids:
        return []
    return db.session.scalars(select(Invitation).where(
        Invitation.cohort_id == cohort.id, Invitation.id.in_(ids), Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None)).order_by(Invitation.email)).all()


def revoke_invitations(invitations: list[Invitation]) -> int:
    """Withdraw several waiting invitations at once; returns how many were withdrawn."""
    now = utcnow()
    count = db.session.execute(update(Invitation).where(
        Invitation.id.in_([i.id for i in invitations]), Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None)).values(revoked_at=now)).rowcount
    db.session.commit()
    return count


def invite_person(actor, cohort: Cohort, email: str, name: str | None, role: str = "learner") -> Invitation:
    """Email an invitation (or a fresh copy of a pending one); refuses people already in the cohort."""
    if role not in ROLES:
        raise InvalidInput("Choose whether they join as a learner or a facilitator.")
    refuse_if_closed(cohort)
    email = email.strip()
    if is_current_member(cohort.id, email):
        raise RuleViolation(f"{email} is already a member of {cohort.name}.")
    invitation = db.session.scalars(select(Invitation).where(
        Invitation.cohort_id == cohort.id, func.lower(Invitation.email) == email.lower(),
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))).first()
    if invitation is None:
        invitation = Invitation(cohort_id=cohort.id, email=email, invited_by_id=getattr(actor, "id", None))
        db.session.add(invitation)
    else:  # inviting the same address again sends the waiting invitation again, and says so
        invitation.resent_at = utcnow()
    invitation.display_name = name or invitation.display_name
    invitation.role = role
    _refresh(invitation)
    db.session.commit()
    _send(invitation, cohort)
    return invitation


def _refresh(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_hex(16)  # only the newest emailed link works
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)


def _send(invitation: Invitation, cohort: Cohort) -> None:
    link = external_url("enrolment.accept_invitation", token=invitation_token(invitation))
    role = "a facilitator of" if invitation.role == "facilitator" else "a member of"
    inviter = db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    who = f"{inviter.display_name} has invited you" if inviter else "You have been invited"
    send_mail(invitation.email, f"You're invited to join {cohort.name}", _INVITE_MAIL.format(
        name=invitation.display_name or "there", who=who, cohort=cohort.name, role=role, link=link,
        days=INVITATION_DAYS))


def resend_invitation(invitation: Invitation, cohort: Cohort) -> None:
    """Email a fresh link with a fresh fortnight; the link in any earlier email stops working."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise RuleViolation("This invitation has been used or withdrawn, so it can't be sent again.")
    refuse_if_closed(cohort)
    _refresh(invitation)
    invitation.resent_at = utcnow()
    db.session.commit()
    _send(invitation, cohort)


def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw an unused invitation, so its link stops working (withdrawing twice changes nothing)."""
    if invitation.accepted_at is not None:
        raise RuleViolation(f"{invitation.email} has already accepted, so there is nothing to withdraw.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Join the cohort with the account the invitation was sent to; the link then stops working."""
    if user.email.lower() != invitation.email.lower():
        raise RuleViolation("This invitation was sent to a different email address.")
    membership = add_membership(invitation.cohort_id, user, invitation.role)
    now = utcnow()
    # Claimed in the same transaction as the membership: a double click or a second tab can't use it twice.
    claimed = db.session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.nonce == invitation.nonce,
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=now, accepted_by_id=user.id)).rowcount
    if not claimed:
        db.session.rollback()
        raise RuleViolation("This invitation has already been used or withdrawn.")
    invitation.accepted_at, invitation.accepted_by_id = now, user.id
    db.session.commit()
    return membership


def accept_with_new_account(invitation: Invitation, display_name: str, password: str) -> User:
    """Make the account, then join. Should joining fail, the account still works and the link says sign in."""
    try:
        user = create_user(invitation.email, display_name, password)
    except (IntegrityError, RuleViolation):  # the same invitation made the account a moment ago
        db.session.rollback()
        raise RuleViolation(JUST_USED) from None
    accept_invitation(invitation, user)
    return user


JUST_USED = ("This invitation has just been used to make an account, perhaps in another tab or window. "
             "If that was you, sign in with your email address and the password you chose.")


def preview_csv(actor, cohort: Cohort, filename: str, data: bytes) -> CsvImport:
    """Check every row (format, duplicates, members, pending invitations) and keep it for confirmation."""
    refuse_if_closed(cohort)
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
    refuse_if_closed(cohort)
    # The claim and the invitations are one transaction: a second click waits for the first, then finds it done.
    claimed = db.session.execute(update(CsvImport).where(CsvImport.id == imported.id,
                                                         CsvImport.confirmed_at.is_(None))
                                 .values(confirmed_at=utcnow())).rowcount
    if not claimed:
        db.session.rollback()
        raise RuleViolation("This list has already been imported, so nobody was invited twice.")
    rows = [dict(r, problem=r["problem"]) for r in imported.rows]
    _mark_known(cohort.id, [r for r in rows if not r["problem"]])
    made = []
    for row in rows:
        if row["problem"]:
            continue
        invitation = Invitation(cohort_id=cohort.id, email=row["email"], display_name=row["name"] or None,
                                role="learner", invited_by_id=actor.id)
        _refresh(invitation)
        db.session.add(invitation)
        made.append(invitation)
    db.session.commit()
    for invitation in made:
        _send(invitation, cohort)
    return len(made)


_INVITE_MAIL = """Hello {name},

{who} to join {cohort} on the Cohort Portal, as {role} the cohort.

The portal is where your group talks between sessions, shares practice exercises and keeps in touch.
Everything shared there stays within the cohort.

To accept, open this link within {days} days:

{link}

If you weren't expecting this, you can ignore this email.

The Cohort Portal
"""
