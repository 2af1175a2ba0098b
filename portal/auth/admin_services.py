"""Site administrators' repairs to accounts: deactivate, reactivate, reset the second factor. Each is recorded.

Kept apart from services.py so that sign-in code and these repairs can change independently.
"""
from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from portal.audit.services import record
from portal.auth import two_factor
from portal.auth.models import User
from portal.errors import RuleViolation
from portal.extensions import db
from portal.mail import send_mail

PEOPLE_PER_PAGE = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def find_people(query: str, page: int = 1) -> tuple[list[User], bool]:
    """Accounts whose name or email contains the words typed (all of them when empty), a page at a time."""
    statement = select(User)
    text = _CONTROL.sub("", query or "").strip().lower()[:254]  # PostgreSQL refuses NUL in text
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(func.lower(User.email).like(pattern, escape="\\"),
                                        func.lower(User.display_name).like(pattern, escape="\\")))
    rows = db.session.scalars(statement.order_by(User.display_name, User.id)
                              .offset((max(page, 1) - 1) * PEOPLE_PER_PAGE).limit(PEOPLE_PER_PAGE + 1)).all()
    return rows[:PEOPLE_PER_PAGE], len(rows) > PEOPLE_PER_PAGE


def running_cohorts_they_alone_facilitate(user: User) -> list[str]:
    """Names of running cohorts where this person is the only active facilitator: worth a warning."""
    from sqlalchemy.orm import aliased

    from portal.cohorts.models import Cohort, Membership

    other = aliased(Membership)
    others = (select(func.count(other.id)).where(other.cohort_id == Cohort.id, other.role == "facilitator",
                                                 other.status == "active").scalar_subquery())
    return db.session.scalars(
        select(Cohort.name).join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.user_id == user.id, Membership.role == "facilitator", Membership.status == "active",
               Cohort.status == "running", others == 1).order_by(Cohort.name)).all()


def deactivate_account(actor: User, user: User, reason: str | None = None) -> None:
    """Stop someone signing in and end their sessions now; everything they wrote is kept."""
    if user.id == actor.id:
        raise RuleViolation("You can't deactivate your own account. Ask another site administrator if you need to.")
    if not user.active:
        raise RuleViolation(f"{user.display_name}'s account is already deactivated.")
    user.active = False
    user.session_version += 1  # every session and remember-me cookie ends at its next request
    record(actor, "account.deactivated", subject=user, detail=reason)
    db.session.commit()


def reactivate_account(actor: User, user: User, reason: str | None = None) -> None:
    """Let someone sign in again, with the password they had."""
    if user.active:
        raise RuleViolation(f"{user.display_name}'s account is already active.")
    user.active = True
    record(actor, "account.reactivated", subject=user, detail=reason)
    db.session.commit()


def reset_two_factor(actor: User, user: User, reason: str | None = None) -> None:
    """For someone who lost their authenticator and recovery codes: remove both and end their sessions.

    They sign in with their password, then set up a new authenticator before they see anything that
    needs it (facilitators and site admins are sent to the set-up page; see permissions.py).
    """
    if user.id == actor.id:
        raise RuleViolation("You can't reset your own two-factor sign-in. Ask another site administrator.")
    if not user.has_two_factor:
        raise RuleViolation(f"{user.display_name} has not set up two-factor sign-in, so there is nothing to reset.")
    two_factor.clear(user)
    user.session_version += 1
    record(actor, "account.two_factor_reset", subject=user, detail=reason)
    db.session.commit()
    send_mail(user.email, "Your two-factor sign-in has been reset", _RESET_MAIL.format(name=user.display_name))


_RESET_MAIL = """Hello {name},

A site administrator has reset the two-factor sign-in on your Cohort Portal account, as you asked.
Your old authenticator codes and recovery codes no longer work, and you have been signed out everywhere.

You can sign in with your password. As a facilitator or administrator you will then be asked to
set up your authenticator app again before anything else; it takes two minutes. Anyone else can
turn it back on from "Your account". Keep the new recovery codes somewhere safe.

If you did not ask for this, please tell your course's site administrator straight away.

The Cohort Portal
"""
