"""The site-wide moderation page for site administrators: the words only of cohorts they may read now (those
they facilitate or have open), and for every other cohort only how much is waiting, with no words or names.
A cohort with no active facilitator is marked and listed first: its alerts come to the site administrators."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.cohorts.models import Cohort
from portal.extensions import db
from portal.moderation.alerts import facilitated_sql
from portal.moderation.flag_models import Flag
from portal.moderation.models import ModerationAlert


@dataclass(frozen=True)
class Waiting:
    cohort_id: int
    cohort_name: str
    alerts: int
    flags: int
    follow_ups: int
    unattended: bool = False  # no active facilitator: nobody else will look


def waiting_elsewhere(readable: list[int], today) -> list[Waiting]:
    """Per cohort not in `readable`: open alerts, open flags and safeguarding follow-ups due. One query."""
    from portal.safeguarding.concerns import followup_due_sql
    from portal.safeguarding.models import Concern

    alerts = (select(ModerationAlert.cohort_id.label("cid"), func.count().label("n"))
              .where(ModerationAlert.handled_at.is_(None)).group_by(ModerationAlert.cohort_id).subquery())
    flags = (select(Flag.cohort_id.label("cid"), func.count().label("n"))
             .where(Flag.resolved_at.is_(None)).group_by(Flag.cohort_id).subquery())
    due = (select(Concern.cohort_id.label("cid"), func.count().label("n"))
           .where(followup_due_sql(today)).group_by(Concern.cohort_id).subquery())
    unattended = ~facilitated_sql(Cohort.id)
    statement = (select(Cohort.id, Cohort.name, func.coalesce(alerts.c.n, 0), func.coalesce(flags.c.n, 0),
                        func.coalesce(due.c.n, 0), unattended)
                 .outerjoin(alerts, alerts.c.cid == Cohort.id).outerjoin(flags, flags.c.cid == Cohort.id)
                 .outerjoin(due, due.c.cid == Cohort.id)
                 .where(or_(alerts.c.n > 0, flags.c.n > 0, due.c.n > 0))
                 .order_by(unattended.desc(), Cohort.name, Cohort.id))
    if readable:
        statement = statement.where(Cohort.id.not_in(readable))
    return [Waiting(cid, name, a, f, d, bool(u)) for cid, name, a, f, d, u in db.session.execute(statement).all()]
