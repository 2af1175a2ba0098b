"""axe-core on every page that exists: no serious or critical violations, in light and dark schemes."""
from __future__ import annotations

import pytest

from portal.course.loader import load_content
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, REPO

PUBLIC_PAGES = ["/login", "/forgot-password", "/need-help-now", "/reset-password/not-a-real-token",
                "/no-such-page"]
SIGNED_IN_PAGES = ["/home", "/course/", "/account", "/account/password"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages(page, axe, scheme):
    page.emulate_media(color_scheme=scheme)
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert axe(page) == [], path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_in_pages(page, axe, learner, db, scheme):
    load_content(REPO / "content")
    page.emulate_media(color_scheme=scheme)
    sign_in(page, learner.email, PASSWORD)
    for path in SIGNED_IN_PAGES:
        page.goto(path)
        assert axe(page) == [], path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cohort_pages(page, axe, facilitator, learner, cohort, timetable, db, scheme):
    from datetime import timedelta

    from portal.dates import utcnow

    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    timetable(cohort)[1].starts_at = utcnow() + timedelta(days=7)
    db.session.commit()
    page.emulate_media(color_scheme=scheme)
    sign_in(page, facilitator.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"
    for path in ("/", "/sessions/1", "/members", "/agreement", "/leave", "/manage/timetable",
                 "/manage/agreement", "/invitations", "/invitations/csv", "/invite-links", "/attendance",
                 "/attendance/1"):
        page.goto(base + path)
        assert axe(page) == [], path


def test_admin_pages(page, axe, site_admin, cohort):
    sign_in(page, site_admin.email, PASSWORD)
    for path in ("/admin/cohorts", "/admin/cohorts/new", f"/admin/cohorts/{cohort.id}"):
        page.goto(path)
        assert axe(page) == [], path


def test_join_and_invitation_pages(page, axe, facilitator, cohort, db):
    from datetime import timedelta

    from portal.dates import utcnow
    from portal.enrolment.models import InviteLink

    db.session.add(InviteLink(cohort_id=cohort.id, code="axe-link", expires_at=utcnow() + timedelta(days=1),
                              max_uses=3, uses=0))
    db.session.commit()
    for path in ("/join/axe-link", "/join/gone", "/login/two-factor"):
        page.goto(path)
        assert axe(page) == [], path


def test_form_with_errors(page, axe):
    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".error-summary")
    assert axe(page) == []
