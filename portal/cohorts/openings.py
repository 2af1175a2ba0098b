"""Site administrators read a cohort's members' words only as one of its facilitators, or through an
"open as site administrator": a reason, a short time, an audit record, and a notice its facilitators see.

`now()` is this module's clock (tests fix it). The permission hook asks `active_until` on every request,
so an opening ends to the second, and ending it early takes effect at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from portal.audit.services import record
from portal.cohorts.models import Cohort, Membership
from portal.cohorts.opening_models import MINUTES_MAX, MINUTES_MIN, REASON_MAX, CohortOpening
from portal.dates import utcnow
from portal.errors import InvalidInput, NotFound
from portal.extensions import db

RECENT_DAYS = 30  # how far back the facilitators' notice lists openings


def now() -> datetime:
    return utcnow()


def open_clause(cohort_column, user_id, at):
    """SQL: an opening of this cohort by this person that has neither expired nor been ended."""
    return and_(CohortOpening.cohort_id == cohort_column, CohortOpening.user_id == user_id,
                CohortOpening.ended_at.is_(None), CohortOpening.expires_at > at)


def active_opening(user_id: int, cohort_id: int) -> CohortOpening | None:
    at = now()
    return db.session.scalars(select(CohortOpening).where(open_clause(cohort_id, user_id, at))
                              .order_by(CohortOpening.expires_at.desc())).first()


def open_cohort(admin, cohort_id: int, reason: str, minutes: int) -> CohortOpening:
    """Open the cohort to this site administrator for `minutes`, recorded with the reason. The same reason
    sent twice (a double click) gives the same opening; a new reason ends the old opening and starts anew."""
    if not getattr(admin, "is_site_admin", False):
        raise NotFound("Page not found")
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("Page not found")
    reason = " ".join((reason or "").replace("\x00", "").split())  # one line; PostgreSQL text holds no NUL
    if not reason:
        raise InvalidInput("Please say why you need to read this cohort: its facilitators will see it.")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Please keep the reason to {REASON_MAX} characters.")
    if not isinstance(minutes, int) or not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise InvalidInput(f"An opening lasts between {MINUTES_MIN} and {MINUTES_MAX} minutes.")
    at = now()
    current = active_opening(admin.id, cohort_id)
    if current is not None and current.reason == reason:
        return current
    if current is not None:
        current.ended_at = at
    opening = CohortOpening(cohort_id=cohort_id, user_id=admin.id, reason=reason, opened_at=at,
                            expires_at=at + timedelta(minutes=minutes))
    db.session.add(opening)
    record(admin, "cohort.opened", subject=opening, cohort=cohort_id,
           detail=f"For {minutes} minutes. Reason: {reason}")
    db.session.commit()
    return opening


def end_opening(admin, cohort_id: int) -> bool:
    """End this administrator's opening of the cohort now; False if there was none open."""
    current = active_opening(admin.id, cohort_id)
    if current is None:
        return False
    current.ended_at = now()
    record(admin, "cohort.opening_ended", subject=current, cohort=cohort_id, detail="Ended early")
    db.session.commit()
    return True


@dataclass(frozen=True)
class OpeningRow:
    opening: CohortOpening
    admin_name: str | None

    def is_open(self, at: datetime) -> bool:
        return self.opening.is_open_at(at)


def recent_openings(cohort_id: int) -> list[OpeningRow]:
    """This cohort's openings of the last RECENT_DAYS, newest first, with the administrator's name: one query."""
    from portal.auth.models import User

    since = now() - timedelta(days=RECENT_DAYS)
    rows = db.session.execute(
        select(CohortOpening, User.display_name).outerjoin(User, User.id == CohortOpening.user_id)
        .where(CohortOpening.cohort_id == cohort_id, CohortOpening.expires_at > since)
        .order_by(CohortOpening.opened_at.desc(), CohortOpening.id.desc()).limit(50)).all()
    return [OpeningRow(*row) for row in rows]


def readable_cohort_ids(user) -> list[int]:
    """The cohorts whose members' words this person may read on site-wide pages: those they actively
    facilitate, and (site administrators) those they have open right now. One query."""
    at = now()
    facilitating = select(Membership.cohort_id).where(
        Membership.user_id == user.id, Membership.role == "facilitator", Membership.status == "active")
    opened = select(CohortOpening.cohort_id).where(
        CohortOpening.user_id == user.id, CohortOpening.ended_at.is_(None), CohortOpening.expires_at > at)
    return list(db.session.scalars(select(Cohort.id).where(or_(Cohort.id.in_(facilitating), Cohort.id.in_(opened)))
                                   .order_by(Cohort.id)))


def reads_content(user, cohort_id: int) -> bool:
    """Whether this person reads the cohort's content as its facilitators do: an active facilitator of it,
    or a site administrator with it open now."""
    if cohort_id in readable_cohort_ids(user):
        return True
    return False


def opened_until_clause(cohort_column, at):
    """SQL scalar: the latest end of anyone's open opening of the cohort (None if nobody has it open)."""
    return (select(func.max(CohortOpening.expires_at))
            .where(CohortOpening.cohort_id == cohort_column, CohortOpening.ended_at.is_(None),
                   CohortOpening.expires_at > at).scalar_subquery())
