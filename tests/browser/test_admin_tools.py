"""The site admin repair pages and the ground-rules preview and diff, in a real browser with axe-core."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from portal.dates import utcnow
from portal.enrolment.models import Invitation
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_admin_repair_pages(page, axe, site_admin, facilitator, learner, cohort, db):
    invitation = Invitation(cohort_id=cohort.id, email="next-fac@example.org", role="facilitator", nonce="n",
                            expires_at=utcnow() + timedelta(days=3))
    db.session.add(invitation)
    db.session.commit()
    sign_in(page, site_admin.email, PASSWORD)
    c = f"/admin/cohorts/{cohort.id}"
    for path in (c, f"{c}/facilitators/{facilitator.id}/remove", f"{c}/invitations/{invitation.id}/resend",
                 f"{c}/invitations/{invitation.id}/withdraw", "/admin/people", f"/admin/people/{learner.id}",
                 f"/admin/people/{learner.id}/deactivate", f"/admin/people/{facilitator.id}/reset-two-factor"):
        page.goto(path)
        assert axe(page) == [], path
    # Deactivate through the confirmation page, with a reason; then read it in the log.
    page.goto(f"/admin/people/{learner.id}/deactivate")
    page.get_by_label("Reason (optional)").fill("They asked us to close it")
    page.get_by_role("button", name="Deactivate the account").click()
    page.wait_for_url(f"**/admin/people/{learner.id}")
    page.goto("/admin/audit")
    expect(page.get_by_role("cell", name="They asked us to close it")).to_be_visible()
    assert axe(page) == [], "/admin/audit"


def test_ground_rules_preview_and_what_changed(page, axe, facilitator, cohort, db):
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/manage/agreement")
    page.get_by_label("Ground rules for this cohort").fill("- Be kind\n- Phones away")
    page.get_by_role("button", name="Preview changes").click()
    page.wait_for_selector("text=Check your changes")
    assert axe(page) == [], "preview"
    page.get_by_label("No: a small correction", exact=False).check()
    page.get_by_role("button", name="Save ground rules").click()
    page.wait_for_selector("text=Correction saved")
    assert page.url.endswith("/manage/agreement")


def test_members_see_what_changed(browser, live_server, axe, facilitator, learner, cohort, db):
    from portal.agreements.services import update_ground_rules

    update_ground_rules(facilitator, cohort, "- Be kind\n- Phones away\n- Start on time")
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    try:
        sign_in(page, learner.email, PASSWORD)
        page.goto(f"/cohorts/{cohort.id}/agreement")
        expect(page.get_by_text("changed since you last agreed")).to_be_visible()
        expect(page.get_by_role("heading", name="What has changed since you agreed")).to_be_visible()
        expect(page.locator("ins").first).to_be_visible()
        assert axe(page) == []
    finally:
        context.close()
