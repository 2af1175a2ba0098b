"""The course page."""
from __future__ import annotations

from portal.course.loader import load_content
from tests.conftest import REPO


def test_course_page_lists_all_sessions_with_their_aims(client, make_user, auth, db):
    load_content(REPO / "content")
    auth.login(make_user())
    body = client.get("/course/").get_data(as_text=True)
    for n in range(1, 12):
        assert f"Session {n}</span>" in body
    assert body.count('<ul class="aims">') == 11
    assert "What is Recovery?" in body


def test_course_page_runs_a_fixed_number_of_queries(client, make_user, auth, db, count_queries):
    load_content(REPO / "content")
    auth.login(make_user())
    with count_queries() as n:
        assert client.get("/course/").status_code == 200
    assert n() <= 3  # user, course, sessions


def test_course_page_before_content_is_loaded_says_so(client, make_user, auth):
    auth.login(make_user())
    body = client.get("/course/").get_data(as_text=True)
    assert "has not been set up yet" in body


def test_course_page_needs_sign_in(client):
    assert client.get("/course/").status_code == 302
