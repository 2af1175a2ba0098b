"""axe-core on the safeguarding record, check-in and safety-word pages: no serious or critical violations, light
and dark, wide and phone width; and a check-in sent and answered in a real browser, without JavaScript tricks."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.discussions import services as discussions
from portal.safeguarding import checkins, concerns
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import check
from tests.conftest import PASSWORD


@pytest.fixture
def concern(db, cohort, facilitator, learner):
    post = discussions.start_thread(learner, cohort, None, "A hard week", "Some words", None, None)
    made = concerns.open_concern(facilitator, cohort, learner.id, "Worried after a post", "What happened",
                                 None, ("post", post.id), None)
    concerns.add_action(facilitator, made, None, "Sent a check-in", None, None)
    checkins.send_checkin(facilitator, cohort, learner.id, "How are you doing?", None)
    return made


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_facilitator_pages(page, axe, facilitator, cohort, concern, learner, scheme, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    sign_in(page, facilitator.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"
    for path in ("/safeguarding", f"/safeguarding/{concern.id}", "/safeguarding/new",
                 f"/safeguarding/{concern.id}/close", "/check-ins", f"/check-ins/{learner.id}", "/manage/audit"):
        assert check(page, axe, base + path) == [], path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_members_messages_page(page, axe, learner, cohort, concern, scheme):
    page.emulate_media(color_scheme=scheme)
    sign_in(page, learner.email, PASSWORD)
    assert check(page, axe, f"/cohorts/{cohort.id}/") == []
    assert check(page, axe, f"/cohorts/{cohort.id}/messages") == []
    page.get_by_label("Your message").fill("Thank you, I'm doing all right.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to your facilitators")).to_be_visible()
    expect(page.get_by_text("I'm doing all right.")).to_be_visible()
    page.get_by_role("button", name="Send").click()  # empty: a clear message, tied to the field
    expect(page.get_by_text("Please write your message before sending it").first).to_be_visible()
    assert axe(page) == []


def test_the_safety_words_page(page, axe, site_admin):
    sign_in(page, site_admin.email, PASSWORD)
    assert check(page, axe, "/admin/safety-words") == []
    page.get_by_label("Safety words and phrases, one a line").fill("want to die\n{end|take my life")
    page.get_by_role("button", name="Check and save the list").click()
    expect(page.get_by_text("line 2").first).to_be_visible()
    assert axe(page) == []
