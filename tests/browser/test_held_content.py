"""A held post in a real browser: the author's crisis message and choice, a facilitator's review page and
release, and each of the author's three choices respected (share, facilitators only, withdraw)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.discussions import services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

WORRYING = "I can't go on. I want to end my life tonight."


def _write_held_reply(page, cohort, thread_id):
    page.goto(f"/cohorts/{cohort.id}/threads/{thread_id}")
    page.get_by_label("Your reply").fill(WORRYING)
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(f"**/threads/{thread_id}*")
    message = page.locator(".held-message")
    expect(message.get_by_role("heading", name="Your post is waiting for a facilitator")).to_be_visible()
    expect(message.get_by_text("This portal is not a crisis service.")).to_be_visible()
    expect(message.locator("a[href='tel:116123']")).to_be_visible()  # Samaritans, dialled from the page
    return message


def _sign_out(page):
    page.context.clear_cookies()


def _peer_sees(page, peer, cohort, thread_id) -> bool:
    _sign_out(page)
    sign_in(page, peer.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{thread_id}")
    return page.get_by_text("I want to end my life").count() > 0


def _facilitator_opens_review(page, facilitator, cohort, thread_id):
    _sign_out(page)
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{thread_id}")
    page.get_by_role("link", name="Look at it").click()
    page.wait_for_url("**/held/post/*")


@pytest.mark.parametrize("choice", ["share", "facilitators", "withdraw"])
def test_a_held_post_from_the_crisis_message_to_a_facilitator(page, axe, cohort, learner, peer, facilitator, choice):
    first = services.start_thread(facilitator, cohort, None, "How are you doing?", "Check in here.", None, None,
                                  exempt=True)
    thread_id = first.thread_id
    sign_in(page, learner.email, PASSWORD)
    message = _write_held_reply(page, cohort, thread_id)
    assert axe(page) == []
    if choice == "facilitators":
        message.get_by_label("Keep it for my facilitators only").check()
        message.get_by_role("button", name="Save my choice").click()
        page.wait_for_url(f"**/threads/{thread_id}*")
        assert page.get_by_label("Keep it for my facilitators only").is_checked()
    elif choice == "withdraw":
        message.get_by_role("link", name="Withdraw it").click()
        page.get_by_role("button", name="Yes, withdraw it").click()
        page.wait_for_url(f"**/threads/{thread_id}*")
        assert page.locator(".held-message").count() == 0

    assert not _peer_sees(page, peer, cohort, thread_id)  # held: nobody else sees it yet

    _facilitator_opens_review(page, facilitator, cohort, thread_id)
    assert axe(page) == []
    if choice == "share":
        page.get_by_role("button", name="Release it to the cohort").click()
        expect(page.get_by_text("Released: the cohort can see it now.").first).to_be_visible()
    elif choice == "facilitators":
        assert page.get_by_role("button", name="Release it to the cohort").count() == 0
        expect(page.get_by_text("asked to keep it for the facilitators only").first).to_be_visible()
        page.get_by_role("button", name="Keep it for the facilitators and reach out").click()
        expect(page.get_by_text("Kept for the facilitators.").first).to_be_visible()
    else:
        expect(page.get_by_text("Withdrawn by its author: nobody else will see it")).to_be_visible()
        assert page.get_by_role("button", name="Release it to the cohort").count() == 0

    assert _peer_sees(page, peer, cohort, thread_id) == (choice == "share")


def test_new_facilitator_pages_have_no_serious_accessibility_problems(page, axe, cohort, facilitator, learner, db,
                                                                      timetable):
    from datetime import timedelta

    from portal.dates import utcnow
    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    sign_in(page, facilitator.email, PASSWORD)
    for path in ("/manage/usual-hours", "/manage/timetable", "/"):
        page.goto(f"/cohorts/{cohort.id}{path}")
        assert axe(page) == [], path
    page.goto(f"/cohorts/{cohort.id}/manage/timetable")
    page.get_by_label("Session 1: Getting started").select_option("before")
    page.get_by_role("button", name="Save for session 1").click()
    _sign_out(page)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/discussions/1/new")
    expect(page.get_by_text("read by a facilitator before others see them")).to_be_visible()
    assert axe(page) == []
