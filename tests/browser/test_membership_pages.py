"""Membership pages in a real browser: the copy button (small progressive script), bulk withdraw and the removal
confirmation, with no serious accessibility problems."""
from __future__ import annotations

from datetime import timedelta

from portal.dates import utcnow
from portal.enrolment.models import Invitation, InviteLink
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_copy_link_withdraw_selected_and_remove_confirmation(page, axe, facilitator, learner, cohort, db):
    soon = utcnow() + timedelta(days=3)
    db.session.add(InviteLink(cohort_id=cohort.id, code="copy-me", expires_at=soon, max_uses=3, uses=0))
    db.session.add_all([Invitation(cohort_id=cohort.id, email=f"w{i}@example.org", nonce="n", expires_at=soon)
                        for i in range(2)])
    db.session.commit()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, facilitator.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"

    page.goto(base + "/invite-links")
    assert axe(page) == []
    page.get_by_role("button", name="Copy link 1").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith("/join/copy-me")

    page.goto(base + "/invitations")
    assert axe(page) == []
    page.get_by_label("Choose the invitation to w1@example.org").check()
    page.get_by_role("button", name="Withdraw selected").click()
    page.get_by_role("heading", name="Withdraw 1 invitation?").wait_for()
    assert axe(page) == []
    page.get_by_role("button", name="Withdraw 1 invitation").click()
    page.get_by_text("1 invitation withdrawn").wait_for()

    page.goto(base + "/members")
    page.get_by_role("link", name="Remove Lee Learner").click()
    page.get_by_role("heading", name="Remove Lee Learner from Cohort North?").wait_for()
    assert axe(page) == []
    page.get_by_role("button", name="Remove Lee Learner").click()
    page.get_by_text("Lee Learner has been removed from the cohort.").wait_for()
