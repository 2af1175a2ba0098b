"""The members × exercises overview in a browser: axe on a wide screen and a phone, light and dark, and on
a phone every cell says which exercise it is about (the column headings are hidden there)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.dates import local_today
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import check
from tests.conftest import PASSWORD
from tests.exercises.factories import add_exercise, add_response


@pytest.fixture
def overview(db, course, cohort, learner, suspended, timetable):
    timetable(cohort)[0].day = local_today() - timedelta(days=30)
    db.session.commit()
    first, second = add_exercise(course, 1, mode="open"), add_exercise(course, 1, mode="allocated")
    add_exercise(course, 3)
    add_response(cohort, first, learner)
    add_response(cohort, second, suspended, submitted=False)
    return f"/cohorts/{cohort.id}/exercises/overview", first


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations(page, axe, facilitator, overview, scheme, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    sign_in(page, facilitator.email, PASSWORD)
    assert check(page, axe, overview[0]) == []


def test_on_a_phone_each_cell_names_its_exercise(page, facilitator, overview):
    url, first = overview
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(url)
    shown = page.evaluate("""() => { const td = document.querySelector('table tbody tr td');
        return getComputedStyle(td, '::before').content + td.innerText; }""")
    assert shown.startswith(f'"{first.title}: "Response: shared')
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of the screen
