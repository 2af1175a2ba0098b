"""A crawl of every page as every role: nothing changes, nothing is cached, nothing errors."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from tests.security.test_access_matrix import ROLES, URLS, _client, _routes, world  # noqa: F401  (fixture)

# Reading bookkeeping that a page view is meant to move: how far someone has read a thread, and when they
# last opened their cohort ("new since your last visit"). Everything else must stay exactly as it was.
READ_STATE = {"thread_reads": None, "memberships": {"last_seen_at"},
              "exercise_responses": {"feedback_read_at"},  # reading feedback moves its read marker
              "checkin_conversations": {"member_read_at", "facilitators_read_at"},  # so does reading a check-in
              "resource_opens": None,  # and opening a session resource (the "new to you" marker)
              "notifications": {"read_at"},  # and opening a notification
              "dashboard_snapshots": None}  # and the dashboard's counts, kept by a queue task when stale


def _fingerprint(db) -> dict[str, str]:
    result = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            skip = READ_STATE.get(table.name, set())
            if skip is None:
                continue
            columns = [c for c in table.columns if c.name not in skip]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            result[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return result


def test_a_crawl_changes_nothing_and_every_page_is_no_store(app, db, world):
    w, users = world
    before = _fingerprint(db)
    problems = []
    for role in ROLES:
        client = _client(app, users.get(role))
        for endpoint, method in _routes(app):
            if method != "GET" or endpoint not in URLS:
                continue
            response = client.get(URLS[endpoint](w))
            if response.status_code >= 500:
                problems.append(f"{role} {endpoint}: {response.status_code}")
            if endpoint != "static" and response.headers.get("Cache-Control") != "no-store":
                problems.append(f"{role} {endpoint}: Cache-Control {response.headers.get('Cache-Control')}")
    assert problems == []
    assert _fingerprint(db) == before
