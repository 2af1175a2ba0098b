"""Reminding the members who have not yet accepted the cohort's current group agreement: one press, at most
once a day per cohort, audited. Each such member gets an "agreement_reminder" notification (portal and email,
under their preferences)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.agreements.services import current_version, select_acceptance_status
from portal.audit.services import record
from portal.cohorts.models import Cohort
from portal.dates import human_date, utcnow
from portal.errors import NotFound, RuleViolation
from portal.extensions import db
from portal.notifications.events import record as notify
from portal.notifications.models import NotificationEvent
from portal.words import plural

GAP = timedelta(hours=24)


class AlreadyReminded(RuleViolation):
    """A reminder went out less than a day ago: people are not pressed twice."""

    def __init__(self, at: datetime) -> None:
        super().__init__(f"A reminder was already sent on {human_date(at)}, so we haven't sent another. People "
                         "often need a little time: you can send the next one a day after the last.")
        self.at = at


def not_yet_accepted(cohort_id: int, except_user_id: int | None = None) -> list[tuple[int, str]]:
    """(user id, name) of the cohort's active members who have not accepted the agreement in force."""
    return [(m.user_id, user.display_name) for m, user, at in db.session.execute(select_acceptance_status(cohort_id))
            if at is None and m.status == "active" and user.active and m.user_id != except_user_id]


def last_reminder(cohort_id: int) -> datetime | None:
    """When the last reminder of the past day was sent, if one was."""
    return db.session.scalar(select(NotificationEvent.created_at).where(
        NotificationEvent.kind == "agreement_reminder", NotificationEvent.cohort_id == cohort_id,
        NotificationEvent.created_at > utcnow() - GAP).order_by(NotificationEvent.id.desc()).limit(1))


def remind_agreement(actor, cohort: Cohort) -> int:
    """Send the reminder; returns how many people it goes to. Raises AlreadyReminded within a day of the last."""
    # One press at a time per cohort: two facilitators pressing together send one reminder (PostgreSQL locks the
    # row; SQLite has one writer anyway).
    db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    if (at := last_reminder(cohort.id)) is not None:
        db.session.rollback()
        raise AlreadyReminded(at)
    version = current_version(cohort.id)
    if version is None:
        raise NotFound("This cohort has no group agreement yet.")
    people = not_yet_accepted(cohort.id, actor.id)
    if not people:
        db.session.rollback()
        raise RuleViolation("Everyone has accepted the group agreement: there is nobody to remind.")
    notify("agreement_reminder", cohort.id, actor.id, "agreement", version.id)
    record(actor, "agreement.reminded", subject=version, cohort=cohort,
           detail=f"{plural(len(people), 'person', 'people')} reminded")
    db.session.commit()
    return len(people)
