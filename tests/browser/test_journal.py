"""The journal in a real browser: write from the prompts, autosave, share; the facilitator replies; axe."""
from __future__ import annotations

from sqlalchemy import select

from portal.discussions.models import Draft
from portal.journal.models import JournalEntry
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_a_learner_writes_autosaves_and_shares_and_a_facilitator_replies(page, axe, db, cohort, learner,
                                                                         facilitator, browser, live_server):
    # (the facilitator signs in in a second, separate browser context)
    base = f"/cohorts/{cohort.id}/journal"
    sign_in(page, learner.email, PASSWORD)
    page.goto(base)
    assert page.get_by_role("heading", name="My journal").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Start from the prompts").click()
    page.wait_for_url("**/journal/new?start=prompts")
    assert "## What happened" in page.get_by_label("Your entry").input_value()
    assert axe(page) == []
    page.get_by_label("Title (optional)").fill("A first reflection")
    page.get_by_label("Your entry").fill("## What happened\n\nI spoke up for the first time.")
    page.wait_for_selector("text=Draft saved", timeout=10_000)
    db.session.expire_all()
    assert db.session.scalars(select(Draft).where(Draft.key == "journal:new")).one().body.startswith("## What")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/journal/*")
    assert page.get_by_text("Only you can read this.").first.is_visible()
    assert axe(page) == []
    db.session.expire_all()
    entry = db.session.scalars(select(JournalEntry)).one()
    page.get_by_role("link", name="Share with my facilitators").click()
    assert axe(page) == []
    page.get_by_role("button", name="Yes, share it").click()
    page.wait_for_url(f"**/journal/{entry.id}")

    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    other = context.new_page()
    sign_in(other, facilitator.email, PASSWORD)
    other.goto(f"{base}/shared")
    assert axe(other) == []
    other.get_by_role("link", name="A first reflection").click()
    assert axe(other) == []
    other.get_by_label("Your reply").fill("Well done for speaking up.")
    other.get_by_role("button", name="Send reply").click()
    other.wait_for_selector("text=Your reply is sent")
    context.close()

    page.reload()
    assert page.get_by_text("Well done for speaking up.").is_visible()
    page.goto(f"{base}/{entry.id}/copy")
    assert axe(page) == []
