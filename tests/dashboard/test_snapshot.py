"""The dashboard's activity snapshot (portal/dashboard/snapshot.py): the same figures as counting live, said
honestly how old, counted again when stale or asked, and the cohort's own."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from portal.dashboard.activity import load_activity
from portal.dashboard.models import DashboardSnapshot
from portal.dashboard.queries import load_dashboard
from portal.dashboard.snapshot import from_figures, refresh_snapshot, to_figures
from portal.dates import from_local, local_today, utcnow
from portal.discussions.models import Post
from tests.conftest import csrf_token, login


def _live(cohort_id, days=14):
    since_day = local_today() - timedelta(days=days)
    return load_activity(cohort_id, since=from_local(since_day, None), since_day=since_day)


def _lee_in_session_1(client, known) -> str:
    body = client.get(f"/cohorts/{known.cohort.id}/dashboard").get_data(as_text=True)
    return re.search(rf'data-cell="{known.lee.id}-1">([^<]*)</td>', body).group(1)


def _one_more_post(db, known) -> None:
    thread_id = db.session.scalar(select(Post.thread_id).where(Post.id == known.lee_post))
    db.session.add(Post(cohort_id=known.cohort.id, thread_id=thread_id, number=99, author_id=known.lee.id,
                        body_source="More", body_html="<p>More</p>"))
    db.session.commit()


def test_the_snapshot_holds_exactly_the_live_figures(app, db, known):
    live = _live(known.cohort.id)
    assert from_figures(to_figures(live)) == live
    taken_at = refresh_snapshot(known.cohort.id)
    with app.test_request_context():
        d = load_dashboard(known.cohort.id)
    assert d.as_of == taken_at
    assert d.activity == live
    assert [m.name for m in d.quiet] == ["Pat Peer", "Quinn Quiet"]  # "recent" comes from the snapshot too


def test_the_page_says_how_old_its_figures_are_and_a_facilitator_can_count_them_again(app, db, known):
    client = app.test_client()
    login(client, known.facilitator.email)
    assert _lee_in_session_1(client, known) == "attended; 2 posts; 0 responses; 0 feedback"
    assert db.session.scalar(select(DashboardSnapshot.cohort_id)) == known.cohort.id  # kept by the queue task
    _one_more_post(db, known)
    body = client.get(f"/cohorts/{known.cohort.id}/dashboard").get_data(as_text=True)
    assert re.search(r"Figures as of <time datetime=\"[^\"]+\">\d{1,2}(:\d\d)?[ap]m</time>", body)
    assert _lee_in_session_1(client, known) == "attended; 2 posts; 0 responses; 0 feedback"  # as of then
    token = csrf_token(client, f"/cohorts/{known.cohort.id}/dashboard")
    answer = client.post(f"/cohorts/{known.cohort.id}/dashboard/refresh", data={"csrf_token": token})
    assert answer.status_code == 302 and answer.location.endswith("/dashboard#activity")
    assert _lee_in_session_1(client, known) == "attended; 3 posts; 0 responses; 0 feedback"


def test_a_stale_snapshot_is_not_shown(app, db, known):
    client = app.test_client()
    login(client, known.facilitator.email)
    _lee_in_session_1(client, known)
    _one_more_post(db, known)
    db.session.execute(update(DashboardSnapshot).values(taken_at=utcnow() - timedelta(minutes=6)))
    db.session.commit()
    assert _lee_in_session_1(client, known) == "attended; 3 posts; 0 responses; 0 feedback"  # counted live
    assert db.session.scalar(select(DashboardSnapshot.taken_at)) > utcnow() - timedelta(minutes=1)  # and kept


def test_nor_one_counted_for_another_quiet_days_setting(app, db, known):
    refresh_snapshot(known.cohort.id)
    app.config["QUIET_DAYS"] = 30
    try:
        with app.test_request_context():
            assert [m.name for m in load_dashboard(known.cohort.id).quiet] == ["Quinn Quiet"]
    finally:
        app.config.pop("QUIET_DAYS")


def test_no_snapshot_when_the_setting_is_zero(app, db, known):
    app.config["DASHBOARD_SNAPSHOT_SECONDS"] = 0
    try:
        client = app.test_client()
        login(client, known.facilitator.email)
        _lee_in_session_1(client, known)
        _one_more_post(db, known)
        assert _lee_in_session_1(client, known) == "attended; 3 posts; 0 responses; 0 feedback"
        assert db.session.scalar(select(DashboardSnapshot.cohort_id)) is None
    finally:
        app.config.pop("DASHBOARD_SNAPSHOT_SECONDS")


def test_only_the_cohorts_facilitators_may_refresh_it(app, db, known, other_facilitator):
    url = f"/cohorts/{known.cohort.id}/dashboard/refresh"
    for person in (known.lee, other_facilitator):
        client = app.test_client()
        login(client, person.email)
        assert client.post(url, data={"csrf_token": csrf_token(client, "/home")}).status_code == 404, person.email
    assert db.session.scalar(select(DashboardSnapshot.cohort_id)) is None


def test_counting_live_costs_no_more_than_ten_queries(app, db, known, count_queries):
    client = app.test_client()
    login(client, known.facilitator.email)
    url = f"/cohorts/{known.cohort.id}/dashboard"
    client.get(url).close()  # warm; the snapshot is kept
    with count_queries() as snapshot:
        client.get(url).close()
    db.session.execute(update(DashboardSnapshot).values(taken_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    with count_queries() as live:  # the page's queries and, once it is sent, the refresh's (count and keep)
        client.get(url).close()
    assert snapshot() < live() <= 10
