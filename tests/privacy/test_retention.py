"""Retention: finished cohorts' content goes after the period; a dry run lists it; a purge records it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cohorts.models import Cohort, Membership
from portal.dates import local_today
from portal.discussions.models import Post
from portal.errors import InvalidInput
from portal.extensions import db
from portal.journal.models import JournalEntry
from portal.privacy import retention
from tests.privacy.factories import MARK
from tests.privacy.test_registry import words_left


def _finish(cohort, timetable, days_ago: int) -> None:
    cohort.status = "finished"
    for row in timetable(cohort):
        row.day = local_today() - timedelta(days=days_ago)
    db.session.commit()


def test_a_dry_run_lists_and_deletes_nothing(filled, cohort, timetable):
    _finish(cohort, timetable, 400)
    posts = db.session.scalar(select(func.count()).select_from(Post))
    due = retention.purge(12, dry_run=True)
    assert [d.cohort_id for d in due] == [cohort.id]
    assert due[0].counts["posts"] == posts and due[0].counts["journal_entries"] == 1
    assert db.session.scalar(select(func.count()).select_from(Post)) == posts


def test_a_purge_deletes_the_content_keeps_the_cohort_and_records_what_went(filled, cohort, timetable, own_storage):
    from portal import storage

    path = storage.path_of(filled["file_key"])
    _finish(cohort, timetable, 400)
    retention.purge(12)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Post)) == 0
    assert db.session.scalar(select(func.count()).select_from(JournalEntry)) == 0
    assert not path.exists()
    # what stays is not cohort content: the account's own records (kept text expires by itself in a day)
    assert set(words_left(MARK)) <= {"audit_events.detail", "kept_texts.fields"}
    assert db.session.get(Cohort, cohort.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort.id))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")).one()
    assert event.cohort_id == cohort.id and "posts: " in event.detail and "journal entries: 1" in event.detail
    assert retention.purge(12) == []  # nothing left: a second run does nothing and records nothing


def test_recent_running_or_young_cohorts_are_kept(filled, cohort, timetable):
    _finish(cohort, timetable, 200)
    assert retention.purge(12, dry_run=True) == []
    assert [d.cohort_id for d in retention.purge(6, dry_run=True)] == [cohort.id]
    cohort.status = "running"
    db.session.commit()
    assert retention.purge(1, dry_run=True) == []


@pytest.mark.parametrize("months", [-1, 0, "twelve", "", None, 1.5, "12; DROP TABLE posts", 10 ** 9])
def test_a_nonsense_period_is_refused_with_a_clear_message(months):
    with pytest.raises(InvalidInput, match="whole number of months"):
        retention.purge(months, dry_run=True)


def test_the_command_line(app, filled, cohort, timetable):
    _finish(cohort, timetable, 400)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "Would delete" in dry.output and "nothing was deleted" in dry.output
    assert db.session.scalar(select(func.count()).select_from(Post))
    bad = runner.invoke(args=["retention", "purge", "--months", "-3"])
    assert bad.exit_code == 2 and "whole number of months" in bad.output and "Traceback" not in bad.output
    done = runner.invoke(args=["retention", "purge", "--months", "12"])
    assert done.exit_code == 0 and "Deleted from" in done.output
    assert runner.invoke(args=["retention", "purge"]).output.startswith("Nothing to delete")


def test_the_periodic_job_purges_with_the_configured_period(app, filled, cohort, timetable, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 24)
    _finish(cohort, timetable, 400)
    retention.purge_periodically()
    assert db.session.scalar(select(func.count()).select_from(Post))
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 12)
    retention.purge_periodically()
    assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_months_before_keeps_to_real_days():
    assert retention.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert retention.months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_the_settings_are_checked_at_start(fresh_app):
    from portal.config import ConfigError

    with pytest.raises(ConfigError, match="RETENTION_MONTHS"):
        fresh_app(RETENTION_MONTHS=-4)
    with pytest.raises(ConfigError, match="ERASURE_POLICY"):
        fresh_app(ERASURE_POLICY="shred")


def test_every_table_of_a_cohort_is_purged_or_kept_with_a_reason(app):
    """A new feature's table with a cohort must be decided on: purged with the cohort's content, or kept."""
    purged = {name for name, _rule in retention.CONTENT}
    with_cohort = {table.name for table in db.Model.metadata.sorted_tables if "cohort_id" in table.c}
    assert with_cohort - purged - set(retention.KEPT) == set()
    assert not purged & set(retention.KEPT)
