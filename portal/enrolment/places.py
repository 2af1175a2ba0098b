"""Who may take a place in a cohort: nobody in a finished or archived one, and no link or invitation undoes a
facilitator's removal or pause. Used by invitations (services.py) and invite links (links.py)."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.dates import utcnow
from portal.enrolment.models import Invitation
from portal.errors import RuleViolation
from portal.extensions import db


def closed_problem(cohort: Cohort) -> str | None:
    """Why nobody can join a finished or archived cohort (its links and invitations die with it)."""
    if cohort.is_closed:
        return (f"{cohort.name} has finished, so nobody new can join it. If you were hoping to take part, "
                "please ask the facilitators about the next cohort.")
    return None


def held_out_problem(cohort: Cohort, membership: Membership | None) -> str | None:
    """Why a removed person, or one who left while paused, can't come back by a link or an invitation."""
    if membership is None or not membership.held_out:
        return None
    if membership.status == "removed":
        return (f"Your place in {cohort.name} has ended, so this can't bring you back in. If you think this is a "
                "mistake, or want to talk about it, please contact the facilitators.")
    return (f"Your place in {cohort.name} was paused when you left, so only the facilitators can open it again. "
            "If you'd like to come back, or want to talk about it, please contact the facilitators.")


def join_problem(cohort_id: int, user) -> str | None:
    """Why this signed-in person can't join the cohort now (closed, or held out), or None."""
    cohort = db.session.get(Cohort, cohort_id)
    closed = closed_problem(cohort)
    if closed or not getattr(user, "is_authenticated", False):
        return closed
    return held_out_problem(cohort, _membership_of(cohort_id, user.id))


def _membership_of(cohort_id: int, user_id: int) -> Membership | None:
    return db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort_id, Membership.user_id == user_id)).first()


def refuse_if_closed(cohort: Cohort) -> None:
    problem = closed_problem(cohort)
    if problem:
        raise RuleViolation(problem)


def add_membership(cohort_id: int, user: User, role: str) -> Membership:
    """Add a membership, or bring back someone who left by their own choice (flushes; the caller commits).

    Nobody joins a finished or archived cohort, and a link or invitation never undoes a facilitator's
    removal or pause: only a facilitator does (members page).
    """
    cohort = db.session.get(Cohort, cohort_id)
    refuse_if_closed(cohort)
    membership = _membership_of(cohort_id, user.id)
    if membership is None:
        membership = Membership(cohort_id=cohort_id, user_id=user.id, role=role)
        db.session.add(membership)
    elif membership.status in CURRENT_STATUSES:
        raise RuleViolation("You are already a member of this cohort.")
    elif membership.held_out:
        raise RuleViolation(held_out_problem(cohort, membership))
    membership.role, membership.status, membership.status_changed_at = role, "active", utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # another tab made the same membership a moment ago
        db.session.rollback()
        raise RuleViolation("You are already a member of this cohort.") from None
    record(user, "member.joined", subject=user, cohort=cohort_id, detail=f"as {role}")
    return membership


def close_invitations_by_link(cohort_id: int, user: User) -> None:
    """Someone joined with an invite link: their waiting emailed invitation is done, and says how."""
    db.session.execute(update(Invitation).where(
        Invitation.cohort_id == cohort_id, func.lower(Invitation.email) == user.email.lower(),
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id, accepted_via="link"))
