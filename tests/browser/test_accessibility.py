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


def test_form_with_errors(page, axe):
    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".error-summary")
    assert axe(page) == []
