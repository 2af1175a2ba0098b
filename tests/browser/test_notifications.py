"""Mentions by keyboard in the composer, then the mentioned member's notification list; axe on both."""
from __future__ import annotations

from portal.discussions import services
from portal.notifications import fanout
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_a_mention_chosen_by_keyboard_reaches_the_member_list(page, axe, db, cohort, learner, peer, browser,
                                                              live_server):
    first = services.start_thread(peer, cohort, None, "Settling in", "How is everyone finding it?", None, "b1")
    fanout.sweep()
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{first.thread_id}")
    box = page.get_by_label("Your reply")
    box.click()
    page.keyboard.type("Thank you @pa")
    option = page.get_by_role("option", name="Pat Peer")
    option.wait_for()
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert axe(page) == []
    page.keyboard.press("Enter")  # chooses the name: the form is not sent
    assert box.input_value() == "Thank you @Pat Peer "
    page.keyboard.type("for asking.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url("**/threads/*")

    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    other = context.new_page()
    sign_in(other, peer.email, PASSWORD)
    fanout.sweep()  # whatever the queue has not done yet
    other.goto("/notifications")
    link = other.get_by_role("link", name="Lee Learner mentioned you in “Settling in”")
    assert link.is_visible()
    assert other.get_by_text("1 unread").count() == 1 or other.locator(".count-badge").inner_text().startswith("1")
    assert axe(other) == []
    link.click()
    other.wait_for_url("**/threads/*")
    assert other.get_by_text("Thank you @Pat Peer for asking.").is_visible()
    other.goto("/notifications/settings")
    assert axe(other) == []
    context.close()
