"""Who reaches the dashboard and the downloads: the cohort's facilitators; everyone else gets 404."""
from __future__ import annotations

import pytest

from tests.conftest import login

PAGES = ["dashboard", "dashboard/attendance.csv", "dashboard/participation.csv", "dashboard/assignments.csv"]


@pytest.mark.parametrize("page", PAGES)
def test_only_the_cohorts_facilitators(app, known, other_facilitator, page, assert_isolated):
    url = f"/cohorts/{known.cohort.id}/{page}"
    for person, expected in ((known.facilitator, 200), (known.lee, 404), (known.quinn, 404)):
        client = app.test_client()
        login(client, person.email)
        assert client.get(url).status_code == expected, person.email
    assert_isolated(url)


@pytest.mark.parametrize("path", ["/cohorts/99999999/dashboard", "/cohorts/0/dashboard", "/cohorts/-1/dashboard",
                                  "/cohorts/abc/dashboard", "/cohorts/1e3/dashboard",
                                  "/cohorts/99999999999999999999999999/dashboard.csv"])
def test_forged_cohort_ids(app, client, known, path):
    login(client, known.facilitator.email)
    assert client.get(path).status_code == 404


def test_the_dashboard_is_linked_from_the_facilitator_tools(app, client, known):
    login(client, known.facilitator.email)
    body = client.get(f"/cohorts/{known.cohort.id}/manage/timetable").get_data(as_text=True)
    assert f'href="/cohorts/{known.cohort.id}/dashboard"' in body
    client = app.test_client()
    login(client, known.lee.email)
    body = client.get(f"/cohorts/{known.cohort.id}/").get_data(as_text=True)
    assert f'href="/cohorts/{known.cohort.id}/dashboard"' not in body
    assert f'href="/cohorts/{known.cohort.id}/my-progress"' in body


def test_an_empty_cohort(app, client, facilitator, cohort):
    login(client, facilitator.email)
    body = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert "There are no learners in this cohort yet" in body and "Nothing is waiting for you" in body
