"""Site administrators' repairs to a cohort's facilitators and facilitator invitations, each recorded."""
from __future__ import annotations

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import aliased

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.dates import utcnow
from portal.enrolment.models import Invitation
from portal.errors import DomainError, RuleViolation
from portal.extensions import db


def active_facilitators(cohort_id: int) -> list[User]:
    return db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, Membership.role == "facilitator", Membership.status == "active")
        .order_by(User.display_name, User.id)).all()


def pending_facilitator_invitations(cohort_id: int) -> list[Invitation]:
    """Facilitator invitations not yet used or withdrawn (expired ones too: they can be sent again)."""
    return db.session.scalars(
        select(Invitation).where(Invitation.cohort_id == cohort_id, Invitation.role == "facilitator",
                                 Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()


def assign_facilitator(actor, cohort: Cohort, user: User) -> bool:
    """Make someone a facilitator of the cohort; False when they already were (nothing changes)."""
    membership = _membership(cohort.id, user.id)
    if membership is not None and membership.is_facilitator:
        return False
    if membership is None:
        membership = Membership(cohort_id=cohort.id, user_id=user.id)
        db.session.add(membership)
    membership.role, membership.status, membership.status_changed_at = "facilitator", "active", utcnow()
    record(actor, "facilitator.added", subject=user, cohort=cohort)
    db.session.commit()
    return True


def invite_facilitator(actor, cohort: Cohort, email: str) -> Invitation:
    """Email an invitation to facilitate to someone without an account yet (recorded)."""
    from portal.enrolment.services import invite_person

    record(actor, "invitation.sent", cohort=cohort, detail=email)
    try:
        return invite_person(actor, cohort, email, None, "facilitator")  # commits the record with it, then sends
    except DomainError:  # nothing was sent: the record goes too
        db.session.rollback()
        raise


def facilitator_membership(cohort: Cohort, user_id: int) -> Membership | None:
    membership = _membership(cohort.id, user_id)
    return membership if membership is not None and membership.is_facilitator else None


def remove_facilitator(actor, cohort: Cohort, user: User, reason: str | None = None) -> None:
    """End someone's place as facilitator (what they wrote stays). A running cohort keeps at least one."""
    membership = facilitator_membership(cohort, user.id)
    if membership is None:
        raise RuleViolation(f"{user.display_name} does not facilitate {cohort.name}, so there is nothing to remove.")
    only_one = RuleViolation(f"{user.display_name} is the only facilitator of {cohort.name}, which is running. "
                             "Add another facilitator first, so the group is never left without one.")
    if cohort.status == "running" and len(active_facilitators(cohort.id)) <= 1:
        raise only_one
    # Two admins removing the last two at once: PostgreSQL queues them on the cohort's row, and the count
    # is taken again inside the UPDATE itself, so the second finds one facilitator left and changes nothing.
    db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    others = aliased(Membership)
    still_others = (select(func.count()).select_from(others)
                    .where(others.cohort_id == cohort.id, others.role == "facilitator", others.status == "active",
                           others.id != membership.id).scalar_subquery())
    done = db.session.execute(
        update(Membership).where(Membership.id == membership.id, Membership.status == "active",
                                 still_others > 0 if cohort.status == "running" else true())
        .values(status="removed", status_changed_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise only_one
    record(actor, "facilitator.removed", subject=user, cohort=cohort, detail=reason)
    db.session.commit()
    db.session.refresh(membership)


def invitation_problem(invitation: Invitation) -> str | None:
    """Why an invitation can no longer be sent again or withdrawn, if it can't."""
    if invitation.accepted_at is not None:
        return f"{invitation.email} has already accepted this invitation."
    if invitation.revoked_at is not None:
        return f"The invitation to {invitation.email} has already been withdrawn."
    return None


def _check_pending(invitation: Invitation) -> None:
    problem = invitation_problem(invitation)
    if problem:
        raise RuleViolation(problem)


def resend_facilitator_invitation(actor, cohort: Cohort, invitation: Invitation) -> None:
    """A fresh link by email; the earlier link stops working."""
    from portal.enrolment.services import resend_invitation

    _check_pending(invitation)
    record(actor, "invitation.resent", subject=invitation, cohort=cohort, detail=invitation.email)
    resend_invitation(invitation, cohort)  # commits the record with the new link, then sends


def withdraw_facilitator_invitation(actor, cohort: Cohort, invitation: Invitation, reason: str | None = None) -> None:
    """Withdraw an unused invitation so its link stops working."""
    _check_pending(invitation)
    invitation.revoked_at = utcnow()
    record(actor, "invitation.withdrawn", subject=invitation, cohort=cohort,
           detail=_joined(invitation.email, reason))
    db.session.commit()


def find_invitation(cohort: Cohort, invitation_id: int) -> Invitation | None:
    return db.session.scalars(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.cohort_id == cohort.id)).first()


def _joined(*parts: str | None) -> str:
    return " – ".join(p.strip() for p in parts if p and p.strip())


def _membership(cohort_id: int, user_id: int) -> Membership | None:
    return db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort_id, Membership.user_id == user_id)).first()

