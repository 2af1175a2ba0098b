"""Announcements in a real browser: a facilitator posts one (a missing title is refused with the words kept), a
learner sees it at the top of the cohort home (on a phone-sized screen) and closes it with a plain form, then finds
it on the list. axe on every page visited. (Without JavaScript the same form works: tests/announcements posts it
with the test client, which runs none.)"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_post_show_and_close_an_announcement(page, axe, browser, live_server, db, cohort, learner, facilitator):
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/announcements")
    assert axe(page) == []
    page.get_by_role("link", name="Post an announcement").click()
    expect(page.get_by_label("Title")).to_have_attribute("maxlength", "120")  # the browser stops at the limit
    page.get_by_label("Your announcement").fill("We meet in **Room 3** next week.")
    page.get_by_role("button", name="Post to the cohort").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Your announcement")).to_have_value("We meet in **Room 3** next week.")
    assert axe(page) == []
    page.get_by_label("Title").fill("Room change next week")
    page.get_by_role("button", name="Post to the cohort").click()
    page.wait_for_url(f"**/cohorts/{cohort.id}/announcements")
    expect(page.get_by_text("Your announcement “Room change next week” is posted")).to_be_visible()

    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800})
    context.set_default_timeout(10_000)
    reader = context.new_page()
    sign_in(reader, learner.email, PASSWORD)
    reader.goto(f"/cohorts/{cohort.id}/")
    banner = reader.get_by_role("region", name="Room change next week")
    expect(banner).to_be_visible()
    expect(banner.locator("strong", has_text="Room 3")).to_be_visible()
    assert axe(reader) == []
    banner.get_by_role("button", name="Close this announcement").click()
    reader.wait_for_url(f"**/cohorts/{cohort.id}/")
    expect(reader.get_by_role("region", name="Room change next week")).to_have_count(0)
    reader.get_by_role("link", name="All announcements").click()
    expect(reader.get_by_text("you closed it on the home page")).to_be_visible()
    assert axe(reader) == []
    context.close()
