"""Retention: the content of cohorts that finished long enough ago is deleted, by a periodic job and by
`flask retention purge [--dry-run] [--months N]`. A dry run lists what would go; a purge records what went.

A cohort has finished when its status is finished or archived; it finished on its last session's day (its
start date, or the day it was made, when it has no dated session). The cohort, its members, attendance and
agreement acceptances stay (a record that the course ran and who took part); everything people wrote goes.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from huey import crontab
from sqlalchemy import delete, func, select

from portal import storage
from portal.audit.services import record
from portal.dates import local_today
from portal.errors import InvalidInput
from portal.extensions import db
from portal.privacy.registry import t
from portal.queue import periodic

MAX_MONTHS = 1200


def _in(parent: str, link: str):
    return lambda table, cohort_id: table.c[link].in_(select(t(parent).c.id).where(t(parent).c.cohort_id == cohort_id))


def _own(table, cohort_id):
    return table.c.cohort_id == cohort_id


# (table, how its rows belong to a cohort): children first, so no foreign key is left dangling.
CONTENT = (
    ("post_revisions", _in("posts", "post_id")), ("reactions", _in("posts", "post_id")),
    ("thread_reads", _in("threads", "thread_id")), ("thread_follows", _in("threads", "thread_id")),
    ("notifications", _own), ("notification_events", _own), ("cohort_follows", _own),
    ("concern_items", _in("concerns", "concern_id")),
    ("concern_actions", _in("concerns", "concern_id")), ("feedback", _own), ("review_allocations", _own),
    ("response_revisions", _in("exercise_responses", "response_id")),
    ("response_self_checks", _in("exercise_responses", "response_id")), ("example_practice", _own),
    ("assignment_markings", _in("submissions", "submission_id")),
    ("checkin_messages", _in("checkin_conversations", "conversation_id")), ("flags", _own),
    ("moderation_alerts", _own), ("posts", _own), ("threads", _own), ("exercise_responses", _own),
    ("submissions", _own), ("journal_entries", _own), ("checkin_conversations", _own), ("concerns", _own),
    ("drafts", _own), ("csv_imports", _own), ("resource_opens", _own), ("resources", _own),
    ("evaluation_answers", _own), ("evaluation_receipts", _own), ("invitations", _own), ("invite_links", _own),
    ("dashboard_snapshots", _own),
    ("announcement_dismissals", _in("announcements", "announcement_id")), ("announcements", _own),
)
# Tables with a cohort that a purge keeps, and why (a test fails for a cohort's table in neither list).
KEPT = {
    "memberships": "who took part, and in what role: the record that the course ran",
    "cohort_sessions": "the cohort's timetable: no one's words",
    "agreement_versions": "the group agreement people accepted: the acceptances refer to it",
    "assignment_dues": "a cohort's due dates: no one's words",
    "assignment_extensions": "dates only, kept with the memberships",
    "cohort_exercise_settings": "facilitators' settings: no one's words",
    "audit_events": "append-only: what was done and by whom, including this purge",
    "cohort_openings": "who opened the cohort as site administrator and why: kept with the audit log",
}
# Tables whose rows carry a stored file's key: the files go once the rows have.
FILES = ("submissions", "resources")


@dataclass
class CohortDue:
    cohort_id: int
    name: str
    finished_on: date
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        return ", ".join(f"{table.replace('_', ' ')}: {n}" for table, n in self.counts.items() if n)


def check_months(value) -> int:
    """A period of whole months, 1 to 1200; anything else is refused with a clear message."""
    try:
        months = int(str(value).strip())
    except (TypeError, ValueError):
        months = None
    if months is None or not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(f"The retention period must be a whole number of months from 1 to {MAX_MONTHS} "
                           f"(like 12); {value!r} can't be used.")
    return months


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def cohorts_due(months: int) -> list[CohortDue]:
    """Cohorts finished before the cut-off that still hold content, with how much of each kind."""
    cohorts, sessions = t("cohorts"), t("cohort_sessions")
    last_day = select(func.max(sessions.c.day)).where(sessions.c.cohort_id == cohorts.c.id).scalar_subquery()
    cutoff = months_before(local_today(), months)
    due = []
    for cohort_id, name, last, start, created in db.session.execute(
            select(cohorts.c.id, cohorts.c.name, last_day, cohorts.c.start_date, cohorts.c.created_at)
            .where(cohorts.c.status.in_(("finished", "archived"))).order_by(cohorts.c.id)):
        finished_on = last or start or created.date()
        if finished_on >= cutoff:
            continue
        counts = {name_: db.session.scalar(select(func.count()).select_from(t(name_)).where(rule(t(name_), cohort_id)))
                  for name_, rule in CONTENT}
        if any(counts.values()):
            due.append(CohortDue(cohort_id, name, finished_on, counts))
    return due


def purge(months, *, dry_run: bool = False) -> list[CohortDue]:
    """Delete (or, dry, only list) the content of every cohort due; one audit event per cohort purged."""
    months = check_months(months)
    due = cohorts_due(months)
    if dry_run:
        return due
    for cohort in due:
        keys = [k for name in FILES for k in db.session.scalars(
            select(t(name).c.file_key).where(t(name).c.cohort_id == cohort.cohort_id)) if k]
        for name, rule in CONTENT:
            db.session.execute(delete(t(name)).where(rule(t(name), cohort.cohort_id))
                               .execution_options(synchronize_session=False))
        record(None, "retention.purged", cohort=cohort.cohort_id,
               detail=f"Finished {cohort.finished_on.isoformat()}, over {months} months ago. "
                      f"Deleted: {cohort.summary}.")
        db.session.commit()
        for key in keys:
            storage.delete(key)
    return due


@periodic(crontab(hour="3", minute="20"))
def purge_periodically() -> None:
    """Every night: expired exports and cohorts past the retention period."""
    from portal.privacy.services import delete_expired_exports

    delete_expired_exports()
    purge(current_app.config["RETENTION_MONTHS"])


retention_cli = AppGroup("retention", help="Delete the content of cohorts that finished long ago.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@click.option("--months", default=None, help="How long after a cohort finishes its content is kept "
                                              "(default: the RETENTION_MONTHS setting, 12).")
def purge_command(dry_run: bool, months: str | None) -> None:
    """Delete the content of cohorts that finished more than the retention period ago."""
    chosen = current_app.config["RETENTION_MONTHS"] if months is None else months
    try:
        due = purge(chosen, dry_run=dry_run)
    except InvalidInput as e:
        raise click.UsageError(e.message) from None
    if not due:
        click.echo("Nothing to delete: no finished cohort past the retention period still holds content.")
    for cohort in due:
        verb = "Would delete" if dry_run else "Deleted"
        click.echo(f"{verb} from {cohort.name} (finished {cohort.finished_on.isoformat()}): {cohort.summary}")
    if dry_run and due:
        click.echo("Dry run: nothing was deleted.")
