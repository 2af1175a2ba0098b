"""Copying an entry into a discussion goes through the discussions service: its rules all apply."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.discussions import services as discussions
from portal.discussions.models import Post, Thread
from portal.journal import services
from portal.journal.models import JournalEntry
from tests.conftest import login, post


def j(cohort, path: str = "") -> str:
    return f"/cohorts/{cohort.id}/journal{path}"


def token_of(html: str) -> str:
    return re.search(r'name="client_token" type="hidden" value="([^"]*)"', html).group(1)


def posts(db):
    return db.session.scalars(select(Post).where(Post.author_id.is_not(None))).all()


def test_copy_as_a_new_thread_once_and_the_entry_stays_private(client, db, cohort, learner):
    entry = services.write_entry(learner, cohort, None, "Noticing", "Something I *noticed*.", None)
    login(client, learner.email)
    token = token_of(client.get(j(cohort, f"/{entry.id}/copy")).get_data(as_text=True))
    for _ in range(2):  # a double submit makes one post
        r = post(client, j(cohort, f"/{entry.id}/copy"), {"space": "general", "title": "Noticing",
                                                          "thread": "", "client_token": token})
        assert r.status_code == 302
    copied, = posts(db)
    assert copied.body_source == "Something I *noticed*." and copied.author_id == learner.id
    assert db.session.get(Thread, copied.thread_id).title == "Noticing"
    assert db.session.get(JournalEntry, entry.id).shared_at is None


def test_copy_as_a_reply(client, db, cohort, learner, facilitator):
    first = discussions.start_thread(facilitator, cohort, None, "Check-in", "How was it?", None, None)
    entry = services.write_entry(learner, cohort, None, None, "It went well.", None)
    login(client, learner.email)
    r = post(client, j(cohort, f"/{entry.id}/copy"), {"space": "general", "thread": str(first.thread_id),
                                                      "client_token": "t1"})
    assert r.status_code == 302
    reply = db.session.scalars(select(Post).where(Post.author_id == learner.id)).one()
    assert reply.thread_id == first.thread_id and reply.number == 2


def test_safety_words_hold_the_copy_for_a_facilitator(client, db, cohort, learner):
    entry = services.write_entry(learner, cohort, None, "Tonight", "I want to end my life tonight.", None)
    login(client, learner.email)
    r = post(client, j(cohort, f"/{entry.id}/copy"), {"space": "general", "title": "Tonight", "thread": "",
                                                      "client_token": "t2"}, follow_redirects=True)
    assert r.status_code == 200
    copied, = posts(db)
    assert copied.held_at is not None


def test_forged_thread_space_and_entry(client, db, cohort, learner, facilitator, other_cohort, outsider):
    entry = services.write_entry(learner, cohort, None, "T", "Words", None)
    elsewhere = discussions.start_thread(outsider, other_cohort, None, "Elsewhere", "Hi", None, None)
    login(client, learner.email)
    for data in ({"space": "99", "thread": ""}, {"space": "general", "thread": str(elsewhere.thread_id)}):
        r = post(client, j(cohort, f"/{entry.id}/copy"), {**data, "title": "T", "client_token": "x"})
        assert r.status_code == 422
    theirs = services.write_entry(facilitator, cohort, None, "F", "Theirs", None)
    assert client.get(j(cohort, f"/{theirs.id}/copy")).status_code == 404
    assert len(posts(db)) == 1  # only the other cohort's thread


def test_the_copy_page_takes_a_fixed_number_of_queries(client, db, cohort, learner, facilitator, timetable,
                                                       count_queries):
    """One query for every open space's threads, however many sessions are open (issue 14)."""
    from datetime import timedelta

    from portal.dates import local_today

    entry = services.write_entry(learner, cohort, None, "T", "Words", None)
    login(client, learner.email)
    sessions, counts, made = timetable(cohort), [], 0
    for opened in (1, 6):
        for session in sessions[:opened]:
            session.day = local_today() - timedelta(days=1)
        db.session.commit()
        for session in sessions[:opened]:
            discussions.start_thread(facilitator, cohort, session.course_session_id, f"In {session.course_session_id}", f"Hi {made}",
                                     None, None)
            made += 1
        client.get(j(cohort, f"/{entry.id}/copy"))
        with count_queries() as queries:
            body = client.get(j(cohort, f"/{entry.id}/copy")).get_data(as_text=True)
        counts.append(queries())
        assert body.count("– In ") == made
    assert counts[0] == counts[1] <= 10
