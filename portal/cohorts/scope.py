"""Loading the cohort in the URL together with the person's place in it, in one query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, exists, func, or_, select

from portal.agreements.models import AgreementAcceptance, AgreementVersion
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.extensions import db


@dataclass(frozen=True)
class CohortContext:
    cohort: Cohort
    membership: Membership | None  # None for a site admin who is not a member
    agreement_accepted: bool
    checkins_unread: bool = False  # a facilitator's check-in the member hasn't read (the cohort nav marks it)
    my_opening_until: datetime | None = None  # this site admin's own open "open as site administrator"
    opened_until: datetime | None = None  # anyone's: the facilitators' notice


@cache
def _context_statement():
    """Built once (every cohort page runs it): the cohort, the membership and the agreement check."""
    cohort_id, user_id = bindparam("cohort_id"), bindparam("user_id")
    accepted = exists().where(
        AgreementAcceptance.user_id == user_id,
        AgreementAcceptance.version_id == AgreementVersion.id,
        AgreementVersion.cohort_id == Cohort.id,
        AgreementVersion.number >= AgreementVersion.binding_number(cohort_id),  # corrections need no new yes
    )
    from portal.safeguarding.checkins import unread_for_member_clause

    # The check-in marker rides on this query, run by every cohort page anyway: no query of its own.
    unread = unread_for_member_clause(cohort_id, user_id)
    from portal.cohorts.openings import open_clause, opened_until_clause
    from portal.cohorts.opening_models import CohortOpening
    from portal.dates import UTCDateTime

    # Openings ride on it too: checked on every request, to the second, at no extra query.
    at = bindparam("now", type_=UTCDateTime())
    mine = (select(func.max(CohortOpening.expires_at)).where(open_clause(Cohort.id, user_id, at))
            .scalar_subquery())
    return (select(Cohort, Membership, accepted, unread, mine, opened_until_clause(Cohort.id, at))
            .outerjoin(Membership, and_(Membership.cohort_id == Cohort.id, Membership.user_id == user_id,
                                        Membership.status.in_(CURRENT_STATUSES)))
            .where(Cohort.id == cohort_id))


def load_cohort_context(cohort_id: int, user) -> CohortContext | None:
    """The cohort, the user's current membership and whether they accepted the latest agreement.

    A cohort with no agreement version yet counts as not accepted: the gate fails closed.
    """
    from portal.cohorts import openings

    row = db.session.execute(_context_statement(),
                             {"cohort_id": cohort_id, "user_id": user.id, "now": openings.now()}).first()
    if row is None:
        return None
    cohort, membership, ok, unread, mine, anyone = row
    return CohortContext(cohort, membership, bool(ok), bool(unread) and membership is not None,
                         mine if user.is_site_admin else None, anyone)


def select_home(user_id: int):
    """A person's current places (with whether they accepted the latest agreement) and the places a facilitator
    ended, newest cohort first, in one query: (Membership, Cohort, accepted)."""
    accepted = exists().where(
        AgreementAcceptance.user_id == Membership.user_id,
        AgreementAcceptance.version_id == AgreementVersion.id,
        AgreementVersion.cohort_id == Cohort.id,
        AgreementVersion.number >= AgreementVersion.binding_number(Cohort.id),  # as the gate decides
    )
    return (select(Membership, Cohort, accepted).join(Cohort, Cohort.id == Membership.cohort_id)
            .where(Membership.user_id == user_id,
                   or_(Membership.status.in_(CURRENT_STATUSES), Membership.status == "removed"))
            .order_by(Cohort.start_date.desc(), Cohort.id.desc()))


def get_in_cohort_or_404(model, item_id: int, cohort_id: int | None = None):
    """Load a cohort-owned row by id *through* the cohort in the URL; anything else is a 404."""
    from flask import abort, g

    cohort_id = cohort_id if cohort_id is not None else g.cohort.id
    item = db.session.scalars(select(model).where(model.id == item_id, model.cohort_id == cohort_id)).first()
    if item is None:
        abort(404)
    return item
