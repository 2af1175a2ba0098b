"""Home pages say how many new replies wait in threads the person has joined, showing only what the
thread page would show them (share-first, closed spaces and the agreement gate included)."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from portal.dates import utcnow
from portal.discussions import services
from portal.discussions.models import Thread
from tests.conftest import login

_tokens = itertools.count(1)


def write(thread, author, body=None):
    n = next(_tokens)
    return services.reply(author, thread, body or f"Reply {n}", None, None, f"nr{n}")


def start(db, cohort, author, session_id=None, **settings):
    post = services.start_thread(author, cohort, session_id, "Our thread", f"Opening words {next(_tokens)}", None,
                                 None)
    thread = db.session.get(Thread, post.thread_id)
    for key, value in settings.items():
        setattr(thread, key, value)
    db.session.commit()
    return thread


@pytest.fixture
def bea(make_user, enrol, cohort):
    user = make_user("bea@example.org", name="Bea")
    enrol(user, cohort)
    return user


def home_of(app, user, path="/home"):
    client = app.test_client()
    login(client, user.email)
    return client, client.get(path).get_data(as_text=True)


def test_new_replies_in_a_joined_thread_are_counted_and_linked(app, db, cohort, learner, bea):
    thread = start(db, cohort, bea)
    write(thread, learner)
    write(thread, bea)
    write(thread, bea)
    client, body = home_of(app, learner)
    assert "2 new replies in threads you've joined" in body
    link = f'href="/cohorts/{cohort.id}/threads/{thread.id}/unread"'
    assert link in body and "Our thread" in body
    assert link in client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)  # the cohort home too
    client.get(f"/cohorts/{cohort.id}/threads/{thread.id}")  # read it
    assert "new repl" not in client.get("/home").get_data(as_text=True)


def test_one_new_reply(app, db, cohort, learner, bea):
    thread = start(db, cohort, learner)
    write(thread, bea)
    assert "1 new reply in threads you've joined" in home_of(app, learner)[1]


def test_threads_not_joined_and_own_posts_are_not_counted(app, db, cohort, learner, bea):
    theirs = start(db, cohort, bea)
    write(theirs, bea)
    mine = start(db, cohort, learner)
    write(mine, learner)
    assert "new repl" not in home_of(app, learner)[1]


def test_share_first_replies_do_not_leak_to_someone_who_has_not_shared(app, db, cohort, learner, bea, make_user,
                                                                      enrol):
    cal = make_user(name="Cal")
    enrol(cal, cohort)
    thread = start(db, cohort, learner, share_first=True)  # Lee opened it but has not replied
    write(thread, bea)
    write(thread, cal)
    assert "new repl" not in home_of(app, learner)[1]
    write(thread, learner)  # Lee shares (posting moves their read mark to their own post)
    write(thread, bea)
    assert "1 new reply in threads" in home_of(app, learner)[1]


def test_a_closed_space_and_an_unaccepted_agreement_hide_replies(app, db, cohort, learner, bea, timetable):
    from portal.agreements.services import add_version
    entry = timetable(cohort)[0]
    entry.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    thread = start(db, cohort, learner, session_id=entry.course_session_id)
    write(thread, bea)
    assert "1 new reply" in home_of(app, learner)[1]
    entry.starts_at = utcnow() + timedelta(days=3)  # moved later: the space is closed again
    db.session.commit()
    assert "new repl" not in home_of(app, learner)[1]
    entry.starts_at = utcnow() - timedelta(hours=1)
    add_version(cohort, ground_rules="New rules")  # a new agreement nobody has accepted yet
    db.session.commit()
    body = home_of(app, learner)[1]
    assert "new repl" not in body and "Our thread" not in body


def test_home_queries_stay_few_and_constant(app, db, learner, bea, cohort, enrol, make_cohort, count_queries):
    def measure():
        client = app.test_client()
        login(client, learner.email)
        with count_queries() as n:
            assert "new repl" in client.get("/home").get_data(as_text=True)
        client.get(f"/cohorts/{cohort.id}/")  # a first visit skips the "new since" query
        with count_queries() as m:
            client.get(f"/cohorts/{cohort.id}/")
        return n(), m()

    write(start(db, cohort, learner), bea)
    few = measure()
    for i in range(4):
        other = make_cohort(f"More {i}")
        enrol(learner, other)
        enrol(bea, other)
        for _ in range(3):
            write(start(db, other, learner), bea)
    assert measure() == few
    assert few[0] <= 10 and few[1] <= 10


def test_new_replies_are_counted_from_the_joined_threads_index_not_every_post(app, db, cohort, learner, bea):
    """The count reads the joined threads' posts through ix_posts_thread_unread (thread, number, and what the
    count checks), never every post row of the cohort: on the benchmark that was most of the cohort home."""
    from sqlalchemy import event

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the query plan is SQLite's")
    thread = start(db, cohort, bea)
    write(thread, learner)
    write(thread, bea)
    seen = []

    def capture(conn, cursor, statement, parameters, *args):
        if "thread_reads" in statement and "count(" in statement:
            seen.append((statement, parameters))
    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        assert "1 new reply" in home_of(app, learner, f"/cohorts/{cohort.id}/")[1]
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    (statement, parameters), = seen
    with db.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    steps = " | ".join(str(row[-1]) for row in plan)
    assert "ix_posts_thread_unread" in steps, steps
    # Covering: the posts' rows are never read (held, hidden and withdrawn are in the index too).
    assert "SEARCH posts USING COVERING INDEX ix_posts_thread_unread" in steps, steps
    assert "SEARCH joined USING COVERING INDEX ix_posts_author_threads" in steps, steps
    assert "ix_posts_cohort" not in steps, steps
