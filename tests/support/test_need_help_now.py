"""The "Need help now?" page and the header link to it."""
from __future__ import annotations

import re

from tests.conftest import login

HEADER = re.compile(r"<header\b.*?</header>", re.S)


def _header(client, path):
    response = client.get(path)
    match = HEADER.search(response.get_data(as_text=True))
    assert match, path
    return match.group(0)


def test_every_number_can_be_tapped(client):
    body = client.get("/need-help-now").get_data(as_text=True)
    for href in ("tel:999", "tel:116123", "tel:111", "sms:85258?body=SHOUT"):
        assert f'href="{href}"' in body, href
    assert "text shout to 85258" in body.lower()  # the word to send, even where sms: cannot fill it in
    assert "<strong>999</strong>" not in body  # numbers are links now, not bold text


def test_the_header_links_to_help_on_every_page(app, client, learner, cohort):
    for path in ("/login", "/forgot-password", "/need-help-now", "/no-such-page"):
        assert 'href="/need-help-now"' in _header(client, path), path
    login(client, learner.email)
    for path in ("/home", "/course/", "/account", f"/cohorts/{cohort.id}/", f"/cohorts/{cohort.id}/members"):
        assert 'href="/need-help-now"' in _header(client, path), path


def test_members_are_told_who_their_facilitators_are(app, client, learner, facilitator, cohort,
                                                      other_facilitator, other_cohort):
    login(client, learner.email)
    body = client.get("/need-help-now").get_data(as_text=True)
    assert "Fran Facilitator" in body and "Cohort North" in body
    assert "Oz Otherfac" not in body and "Cohort South" not in body
    assert facilitator.email not in body


def test_no_names_for_visitors_or_people_outside_a_cohort(app, facilitator, cohort, loner):
    anonymous = app.test_client().get("/need-help-now").get_data(as_text=True)
    assert "Fran Facilitator" not in anonymous and "Cohort North" not in anonymous
    assert "facilitator" in anonymous.lower()  # still says how support on the course works
    client = app.test_client()
    login(client, loner.email)
    body = client.get("/need-help-now").get_data(as_text=True)
    assert "Fran Facilitator" not in body and "Cohort North" not in body


def test_removed_members_and_archived_cohorts_name_no_one(app, make_user, enrol, facilitator, cohort, db):
    gone = make_user("gone@example.org")
    enrol(gone, cohort, "learner", status="removed")
    client = app.test_client()
    login(client, gone.email)
    assert "Fran Facilitator" not in client.get("/need-help-now").get_data(as_text=True)
