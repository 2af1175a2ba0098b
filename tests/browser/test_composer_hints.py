"""Live hints in the composer: they appear while typing, change nothing, and never stop a post."""
from __future__ import annotations

from playwright.sync_api import expect

from portal.discussions import services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_hints_appear_while_typing_and_the_post_still_goes(page, axe, learner, cohort, db):
    first = services.start_thread(learner, cohort, None, "Hints here", "Opening", None, None)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{first.thread_id}")
    hints = page.locator("[data-composer-hints]")
    box = page.get_by_label("Your reply")
    box.fill("My cousin suffers from anxiety")
    hints.get_by_text("A thought on wording").wait_for()
    assert "you might try “lives with”" in hints.inner_text()
    assert hints.get_attribute("aria-live") == "polite"

    box.fill("My cousin suffers from anxiety, you could ring her on 07700 900123")
    hints.get_by_text("Before you post").wait_for()
    assert hints.get_by_role("link", name="Our group agreement").get_attribute("href") == \
        f"/cohorts/{cohort.id}/agreement"
    assert axe(page) == []

    box.fill("My cousin lives with anxiety")
    hints.get_by_text("A thought on wording").wait_for(state="detached")
    assert hints.inner_text().strip() == ""

    box.fill("My cousin suffers from anxiety; 07700 900123")  # posting is never blocked
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url("**/threads/*")
    page.get_by_text("About your post").wait_for()
    expect(page.get_by_text("A thought on wording")).to_be_visible()
    assert axe(page) == []
    page.reload()
    assert page.get_by_text("About your post").count() == 0  # shown once
