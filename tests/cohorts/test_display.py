"""How places read: an online meeting is a link that says where it goes; nothing else becomes a link."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.cohorts.display import session_place
from portal.dates import local_today
from tests.conftest import login


@pytest.mark.parametrize("typed,html", [
    ("https://meet.example.org/abc-def", '<a href="https://meet.example.org/abc-def">Join online (meet.example.org)</a>'),
    ("Online: http://Video.Example.org/room?id=1&x=2.",
     'Online: <a href="http://Video.Example.org/room?id=1&amp;x=2">Join online (video.example.org)</a>.'),
    ("Room 4, Community Centre", "Room 4, Community Centre"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("ftp://files.example.org/x", "ftp://files.example.org/x"),
    ("https://", "https://"),
    ('https://a.example/"onmouseover="x', '<a href="https://a.example/&#34;onmouseover=&#34;x">Join online (a.example)</a>'),
    ("<b>https://x.example</b>", "&lt;b&gt;https://x.example&lt;/b&gt;"),
    ("", ""),
])
def test_only_web_addresses_become_links(app, typed, html):
    assert str(session_place(typed)) == html


def test_the_cohort_home_and_session_page_link_an_online_meeting(app, db, cohort, learner, timetable):
    first = timetable(cohort)[0]
    first.day, first.location = local_today() + timedelta(days=1), "https://meet.example.org/peer"
    second = timetable(cohort)[1]
    second.day, second.location = local_today() - timedelta(days=1), "https://meet.example.org/peer"
    db.session.commit()
    client = app.test_client()
    login(client, learner.email)
    link = '<a href="https://meet.example.org/peer">Join online (meet.example.org)</a>'
    for page in ("/home", f"/cohorts/{cohort.id}/", f"/cohorts/{cohort.id}/sessions/2"):
        assert link in client.get(page).get_data(as_text=True), page
