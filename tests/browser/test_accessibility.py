"""axe-core on every page that exists: no serious or critical violations, in light and dark schemes, on a
wide screen and a phone (390 px, with its folded menus opened so their links are checked too)."""
from __future__ import annotations

import pytest

from portal.course.loader import load_content
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, REPO

PUBLIC_PAGES = ["/login", "/forgot-password", "/need-help-now", "/reset-password/not-a-real-token",
                "/no-such-page"]
SIGNED_IN_PAGES = ["/home", "/course/", "/account", "/account/password", "/need-help-now"]
WIDTHS = [1280, 390]


def check(page, axe, path: str) -> list[str]:
    page.goto(path)
    page.evaluate("document.querySelectorAll('details.site-menu, details.cohort-nav__manage')"
                  ".forEach(d => { d.open = true; })")
    return axe(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages(page, axe, scheme, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    for path in PUBLIC_PAGES:
        assert check(page, axe, path) == [], path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_in_pages(page, axe, learner, db, scheme, width):
    page.set_viewport_size({"width": width, "height": 800})
    load_content(REPO / "content")
    page.emulate_media(color_scheme=scheme)
    sign_in(page, learner.email, PASSWORD)
    for path in SIGNED_IN_PAGES:
        assert check(page, axe, path) == [], path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cohort_pages(page, axe, facilitator, learner, cohort, timetable, db, scheme, width):
    from datetime import timedelta

    from portal.dates import utcnow

    page.set_viewport_size({"width": width, "height": 800})
    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    timetable(cohort)[1].starts_at = utcnow() + timedelta(days=7)
    db.session.commit()
    page.emulate_media(color_scheme=scheme)
    sign_in(page, facilitator.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"
    for path in ("/", "/sessions/1", "/members", "/agreement", "/leave", "/manage/timetable",
                 "/manage/agreement", "/invitations", "/invitations/csv", "/invite-links", "/attendance",
                 "/attendance/1"):
        assert check(page, axe, base + path) == [], path


def test_admin_pages(page, axe, site_admin, cohort):
    sign_in(page, site_admin.email, PASSWORD)
    for path in ("/admin/cohorts", "/admin/cohorts/new", f"/admin/cohorts/{cohort.id}"):
        assert check(page, axe, path) == [], path


def test_join_and_invitation_pages(page, axe, facilitator, cohort, db):
    from datetime import timedelta

    from portal.dates import utcnow
    from portal.enrolment.models import InviteLink

    db.session.add(InviteLink(cohort_id=cohort.id, code="axe-link", expires_at=utcnow() + timedelta(days=1),
                              max_uses=3, uses=0))
    db.session.commit()
    for path in ("/join/axe-link", "/join/gone", "/login/two-factor"):
        assert check(page, axe, path) == [], path


def test_form_with_errors(page, axe):
    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".error-summary")
    assert axe(page) == []
