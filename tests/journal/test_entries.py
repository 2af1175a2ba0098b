"""Writing, listing, editing, deleting and exporting journal entries; drafts, double submits, bad input."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.discussions.models import Draft
from portal.journal.models import ENTRY_MAX, JournalEntry
from portal.journal import services
from tests.conftest import login, post


def j(cohort, path: str = "") -> str:
    return f"/cohorts/{cohort.id}/journal{path}"


def entries(db):
    return db.session.scalars(select(JournalEntry).order_by(JournalEntry.id)).all()


def token_of(html: str) -> str:
    return re.search(r'name="client_token" type="hidden" value="([^"]*)"', html).group(1)


@pytest.fixture
def signed_in(client, learner):
    login(client, learner.email)
    return client


def test_write_list_show_edit_and_delete(signed_in, cohort, db, course):
    client = signed_in
    token = token_of(client.get(j(cohort, "/new")).get_data(as_text=True))
    r = post(client, j(cohort, "/new"), {"title": "After session one", "body": "I *felt* nervous.",
                                         "session": "", "client_token": token})
    assert r.status_code == 302
    entry, = entries(db)
    assert entry.body_html == "<p>I <em>felt</em> nervous.</p>\n" and entry.course_session_id is None
    assert "After session one" in client.get(j(cohort)).get_data(as_text=True)
    assert "nervous" in client.get(j(cohort, f"/{entry.id}")).get_data(as_text=True)
    r = post(client, j(cohort, f"/{entry.id}/edit"), {"title": "", "body": "Calmer now.", "session": "",
                                                      "version": entry.version})
    assert r.status_code == 302
    db.session.refresh(entry)
    assert entry.title is None and entry.body_source == "Calmer now."
    assert "Delete this entry?" in client.get(j(cohort, f"/{entry.id}/delete")).get_data(as_text=True)
    assert post(client, j(cohort, f"/{entry.id}/delete")).status_code == 302
    assert entries(db) == []


def test_newest_first_and_filter_by_session(signed_in, cohort, learner, db, timetable):
    sessions = [e.course_session_id for e in timetable(cohort)]
    services.write_entry(learner, cohort, sessions[0], "First", "one", None)
    services.write_entry(learner, cohort, None, "Second", "two", None)
    html = signed_in.get(j(cohort)).get_data(as_text=True)
    assert html.index("Second") < html.index("First")
    html = signed_in.get(j(cohort, f"?session={sessions[0]}")).get_data(as_text=True)
    assert "First" in html and "Second" not in html


def test_double_submit_makes_one_entry(signed_in, cohort, db):
    token = token_of(signed_in.get(j(cohort, "/new")).get_data(as_text=True))
    for _ in range(2):
        assert post(signed_in, j(cohort, "/new"), {"body": "Once", "session": "", "client_token": token}
                    ).status_code == 302
    assert len(entries(db)) == 1


def test_script_in_markdown_is_shown_as_text(signed_in, cohort, db):
    post(signed_in, j(cohort, "/new"), {"body": "<script>alert(1)</script> [x](javascript:alert(1))",
                                        "session": ""})
    entry, = entries(db)
    assert "<script" not in entry.body_html and "href=\"javascript" not in entry.body_html
    assert "<script>alert" not in signed_in.get(j(cohort, f"/{entry.id}")).get_data(as_text=True)


def test_over_long_and_empty_are_refused_kindly_and_kept(signed_in, cohort, db):
    r = post(signed_in, j(cohort, "/new"), {"body": "x" * (ENTRY_MAX + 1), "session": ""})
    assert r.status_code == 422 and "up to" in r.get_data(as_text=True)
    assert "x" * 1000 in r.get_data(as_text=True)  # what was typed is on the page again
    r = post(signed_in, j(cohort, "/new"), {"body": "  ", "session": ""})
    assert r.status_code == 422 and "Write something" in r.get_data(as_text=True)
    assert entries(db) == []


def test_forged_session_and_entry_ids(signed_in, cohort, db, learner):
    r = post(signed_in, j(cohort, "/new"), {"body": "Words", "session": "999999"})
    assert r.status_code == 422 and "Words" in r.get_data(as_text=True) and entries(db) == []
    for path in ("/999999", "/999999/edit", "/999999/delete", "/abc"):
        assert signed_in.get(j(cohort, path)).status_code == 404
    assert post(signed_in, j(cohort, "/999999/delete")).status_code == 404


def test_missing_csrf_refuses_and_a_lost_session_keeps_the_words(client, auth, cohort, learner, db):
    auth.login(learner)
    html = client.get(j(cohort, "/new")).get_data(as_text=True)
    owner = re.search(r'name="keep_owner" value="([^"]+)"', html).group(1)
    r = client.post(j(cohort, "/new"), data={"body": "No token", "session": ""})
    assert r.status_code in (400, 401) and entries(db) == []
    auth.logout()
    r = client.post(j(cohort, "/new"), data={"body": "Please keep me", "session": "", "keep_owner": owner,
                                             "csrf_token": "expired"})
    assert r.status_code in (400, 401) and "Please keep me" in r.get_data(as_text=True)
    auth.login(learner)
    assert "Please keep me" in client.get(j(cohort, "/new")).get_data(as_text=True)
    assert entries(db) == []


def test_prompts_fill_the_body_without_javascript(signed_in, cohort, db):
    html = signed_in.get(j(cohort, "/new?start=prompts")).get_data(as_text=True)
    assert "## What happened" in html and "## What I would do next time" in html
    r = post(signed_in, j(cohort, "/new"), {"title": "Kept", "body": "My start", "session": "",
                                            "action": "prompts"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "My start" in html and "## What I felt" in html and 'value="Kept"' in html
    assert entries(db) == []


def test_autosave_draft_comes_back_and_is_spent_once_saved(signed_in, cohort, db):
    token = token_of(signed_in.get(j(cohort, "/new")).get_data(as_text=True))
    r = post(signed_in, f"/cohorts/{cohort.id}/drafts", {"key": "journal:new", "body": "Half a thought",
                                                         "token": token})
    assert r.status_code == 200
    assert "Half a thought" in signed_in.get(j(cohort, "/new")).get_data(as_text=True)
    post(signed_in, j(cohort, "/new"), {"body": "Whole thought", "session": "", "client_token": token})
    assert db.session.scalars(select(Draft)).all() == []
    r = post(signed_in, f"/cohorts/{cohort.id}/drafts", {"key": "journal:new", "body": "late", "token": token})
    assert r.status_code == 409


def test_export_is_the_authors_own_markdown(signed_in, cohort, learner, facilitator, db):
    services.write_entry(learner, cohort, None, "Mine", "My words", None)
    services.write_entry(facilitator, cohort, None, "Theirs", "Facilitator words", None)
    r = signed_in.get(j(cohort, "/export.md"))
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.mimetype == "text/markdown"
    text = r.get_data(as_text=True)
    assert "My words" in text and "Facilitator words" not in text


def test_print_stylesheet_on_an_entry(signed_in, cohort, learner):
    entry = services.write_entry(learner, cohort, None, None, "Words", None)
    html = signed_in.get(j(cohort, f"/{entry.id}")).get_data(as_text=True)
    assert 'journal-print.css" media="print"' in html
    assert signed_in.get("/static/css/journal-print.css").status_code == 200


def test_an_edit_from_an_older_tab_keeps_both_texts(signed_in, cohort, learner, db):
    entry = services.write_entry(learner, cohort, None, None, "First words", None)
    old = entry.version
    services.edit_entry(learner, cohort, entry.id, None, None, "Changed in another tab")
    r = post(signed_in, j(cohort, f"/{entry.id}/edit"), {"body": "My older tab", "session": "", "version": old})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "My older tab" in html and "Changed in another tab" in html
    db.session.refresh(entry)
    assert entry.body_source == "Changed in another tab"
    version = re.search(r'name="version" type="hidden" value="([^"]*)"', html).group(1)
    r = post(signed_in, j(cohort, f"/{entry.id}/edit"), {"body": "My older tab", "session": "", "version": version})
    assert r.status_code == 302
