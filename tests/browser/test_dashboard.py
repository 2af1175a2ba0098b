"""The cohort dashboard and "My progress" in a browser: axe in light, dark and high-contrast (forced colours),
on a wide screen and a phone; the chart is one image with its name and description, and its marks stay
visible in forced colours and in print."""
from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import check
from tests.conftest import PASSWORD
from tests.dashboard.conftest import known  # noqa: F401  (fixture)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark", "forced"])
def test_no_serious_violations(page, axe, known, scheme, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 800})
    if scheme == "forced":
        page.emulate_media(forced_colors="active")
    else:
        page.emulate_media(color_scheme=scheme)
    sign_in(page, known.facilitator.email, PASSWORD)
    assert check(page, axe, f"/cohorts/{known.cohort.id}/dashboard") == []
    assert check(page, axe, f"/cohorts/{known.cohort.id}/progress/{known.pat.id}") == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_my_progress_has_no_serious_violations(page, axe, known, scheme):  # noqa: F811
    page.emulate_media(color_scheme=scheme)
    sign_in(page, known.lee.email, PASSWORD)
    assert check(page, axe, f"/cohorts/{known.cohort.id}/my-progress") == []


def test_the_chart_is_one_named_image_whose_marks_show_in_forced_colours_and_print(page, known):  # noqa: F811
    sign_in(page, known.facilitator.email, PASSWORD)
    page.goto(f"/cohorts/{known.cohort.id}/dashboard")
    chart = page.get_by_role("img", name="Activity of each learner in each session of Cohort North")
    assert chart.count() == 1
    assert "circle marked A means they attended" in chart.evaluate(
        "svg => document.getElementById(svg.getAttribute('aria-describedby')).textContent")
    mark = "() => getComputedStyle(document.querySelector('#mark-posted')).stroke"
    for media in ({"forced_colors": "active"}, {"media": "print"}):
        page.emulate_media(**media)
        assert page.evaluate(mark) not in ("none", "", "rgba(0, 0, 0, 0)"), media
    page.emulate_media(media="print")
    letters = page.evaluate("() => [...document.querySelectorAll('svg g[data-member] text')].map(t => t.textContent)")
    assert "P2" in letters and "A" in letters and "F" in letters
