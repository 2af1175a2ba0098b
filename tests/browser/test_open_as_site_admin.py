"""'Open as site administrator' in a real browser with axe-core: the offer, the form with its errors, the
opened cohort's notice, and the facilitators' record of it."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_open_a_cohort_as_site_admin(page, axe, browser, live_server, site_admin, facilitator, learner, cohort,
                                     opened, db):
    from portal.discussions import services as discussions

    discussions.start_thread(learner, cohort, None, "A hard week", "I have been struggling", None, None)
    sign_in(page, site_admin.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/discussions")
    expect(page.get_by_role("heading", level=1)).to_contain_text("what Cohort North's members shared")
    assert axe(page) == [], "offer"
    page.get_by_role("link", name="Open as site administrator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open Cohort North as site administrator")
    assert axe(page) == [], "form"
    page.get_by_label("For how many minutes?").fill("90")
    page.get_by_role("button", name="Open the cohort").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe(page) == [], "form with errors"
    page.get_by_label("Why do you need to read this cohort?").fill("A safeguarding call came in by phone")
    page.get_by_label("For how many minutes?").fill("15")
    page.get_by_role("button", name="Open the cohort").click()
    page.wait_for_url(f"**/cohorts/{cohort.id}/discussions")
    expect(page.get_by_text("You are reading Cohort North as a site administrator")).to_be_visible()
    assert axe(page) == [], "opened"
    page.goto(f"/cohorts/{cohort.id}/discussions/general")
    expect(page.get_by_role("link", name="A hard week")).to_be_visible()

    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    try:
        sign_in(other, facilitator.email, PASSWORD)
        other.goto(f"/cohorts/{cohort.id}/manage/audit")
        expect(other.get_by_text("A site administrator has opened this cohort")).to_be_visible()
        expect(other.get_by_role("cell", name="A safeguarding call came in by phone").first).to_be_visible()
        assert axe(other) == [], "facilitators' audit page"
    finally:
        context.close()

    page.get_by_role("button", name="Close it now").first.click()
    page.goto(f"/cohorts/{cohort.id}/discussions")
    expect(page.get_by_role("link", name="Open as site administrator")).to_be_visible()
