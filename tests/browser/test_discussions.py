"""Discussions in a real browser: autosave survives a lost login; content warnings open by choice."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.discussions import services
from portal.discussions.models import Thread
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_a_draft_survives_a_lost_login_and_posts_with_its_warning(page, learner, cohort):
    sign_in(page, learner.email, PASSWORD)
    new_url = f"/cohorts/{cohort.id}/discussions/general/new"
    page.goto(new_url)
    page.get_by_label("Title").fill("Something I want to say")
    page.get_by_label("What would you like to say?").fill("It has been a hard week, and writing helps.")
    page.get_by_text("Add a content warning").click()
    page.get_by_label("Content warning (optional)").select_option("Self-harm")
    page.wait_for_selector("text=Draft saved", timeout=10_000)

    page.context.clear_cookies()  # the login is lost: expired, or the browser dropped it
    page.reload()
    assert "/login" in page.url
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{new_url}")
    assert page.get_by_label("Title").input_value() == "Something I want to say"
    assert page.get_by_label("What would you like to say?").input_value() == \
        "It has been a hard week, and writing helps."
    assert page.get_by_label("Content warning (optional)").input_value() == "Self-harm"

    page.get_by_role("button", name="Share with my cohort").click()
    page.wait_for_url("**/threads/*")
    warning = page.locator("details.content-warning")
    expect(warning.get_by_text("Content warning: Self-harm")).to_be_visible()
    expect(page.get_by_text("It has been a hard week")).not_to_be_visible()  # closed until chosen
    warning.locator("summary").click()
    expect(page.get_by_text("It has been a hard week")).to_be_visible()


def test_live_preview_shows_sanitised_markdown(page, learner, cohort, db):
    post = services.start_thread(learner, cohort, None, "Preview me", "Opening", None, None)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{post.thread_id}")
    page.get_by_label("Your reply").fill("**bold words** <script>window.pwned=1</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("[data-composer-preview-body]")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "bold words"
    assert page.evaluate("window.pwned === undefined")


def test_discussion_pages_have_no_serious_accessibility_problems(page, axe, learner, cohort, db):
    first = services.start_thread(learner, cohort, None, "A thread", "Opening words", "Trauma", None)
    thread = first.thread_id
    sign_in(page, learner.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"
    for path in ("/discussions", "/discussions/general", "/discussions/general/new", f"/threads/{thread}",
                 "/search?q=opening", f"/posts/{first.id}/edit", f"/posts/{first.id}/withdraw",
                 f"/threads/{thread}?reply_to={first.id}"):
        page.goto(base + path)
        assert axe(page) == [], path


def test_reactions_and_withdraw_post_through_the_pages_one_actions_form(page, learner, cohort, db):
    """The buttons sit outside any form of their own (form= and formaction=): a real browser must send them."""
    first = services.start_thread(learner, cohort, None, "Buttons", "Opening words", None, None)
    services.reply(learner, db.session.get(Thread, first.thread_id), "Words to take back", None, None, "b1")
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{first.thread_id}")
    opening = page.locator(f"#post-{first.id}")
    opening.get_by_role("button", name="Me too").click()
    page.wait_for_load_state()
    assert page.locator(f"#post-{first.id}").get_by_role("button", name="Me too 1").get_attribute(
        "aria-pressed") == "true"
    page.locator("li.post").nth(1).get_by_role("link", name="Withdraw").click()  # it asks first
    expect(page.get_by_role("heading", name="Withdraw this post?")).to_be_visible()
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.wait_for_load_state()
    expect(page.get_by_text("This post was withdrawn by its author.")).to_be_visible()
    expect(page.get_by_text("Words to take back")).not_to_be_visible()


WORDS = "Tonight was harder than I expected.\nI kept thinking about what we said in session two – thank you all."


def _sign_out_elsewhere(page, learner, where: str) -> None:
    """Sign out in another tab of the same browser, or on another device (sign-out ends every session)."""
    if where == "tab":
        other = page.context.new_page()
    else:
        other = page.context.browser.new_context(base_url=page.url.split("/cohorts")[0]).new_page()
        sign_in(other, learner.email, PASSWORD)
    other.goto("/account")
    other.get_by_role("button", name="Sign out").click()
    other.wait_for_url("**/login")
    other.close()


@pytest.mark.parametrize("where", ["tab", "device"])
def test_words_posted_after_signing_out_elsewhere_come_back_after_signing_in(page, learner, cohort, db, where):
    first = services.start_thread(learner, cohort, None, "Evenings", "Opening words", None, None)
    sign_in(page, learner.email, PASSWORD)
    url = f"/cohorts/{cohort.id}/threads/{first.thread_id}"
    page.goto(url)
    reply = page.get_by_label("Your reply")
    reply.fill("Tonight was harder than I expected.")
    page.wait_for_selector("text=Draft saved")
    _sign_out_elsewhere(page, learner, where)
    reply.press("End")
    reply.type("\nI kept thinking about what we said in session two – thank you all.")
    page.wait_for_selector("text=You have been signed out")  # autosave noticed, and says so
    page.get_by_role("button", name="Post reply").click()

    expect(page.get_by_role("heading", name="Your words are safe")).to_be_visible()
    assert page.get_by_label("Your words").input_value() == WORDS  # copyable, as typed
    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{url}")
    assert page.get_by_label("Your reply").input_value() == WORDS
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url("**#post-*")
    expect(page.locator(".post").last.get_by_text("thank you all")).to_be_visible()


def test_words_posted_at_once_without_autosave_are_kept_too(page, axe, learner, cohort, db):
    sign_in(page, learner.email, PASSWORD)
    url = f"/cohorts/{cohort.id}/discussions/general/new"
    page.goto(url)
    page.get_by_label("Title").fill("Hard evenings")
    page.get_by_label("What would you like to say?").fill(WORDS)
    _sign_out_elsewhere(page, learner, "tab")  # before autosave had a chance (1.5 s)
    page.get_by_role("button", name="Share with my cohort").click()
    assert page.get_by_label("Your words").input_value() == WORDS
    assert axe(page) == []
    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{url}")
    assert page.get_by_label("Title").input_value() == "Hard evenings"
    assert page.get_by_label("What would you like to say?").input_value() == WORDS


def test_posted_words_never_come_back_in_the_composer(page, learner, cohort, db):
    first = services.start_thread(learner, cohort, None, "Quotes", "Something worth quoting", None, None)
    sign_in(page, learner.email, PASSWORD)
    new_url = f"/cohorts/{cohort.id}/discussions/general/new"
    for n in range(4):  # type, post at once (the save-on-leave races the post), open a new composer
        page.goto(new_url)
        page.get_by_label("Title").fill(f"Thread {n}")
        page.get_by_label("What would you like to say?").fill(f"Opening words number {n}")
        page.get_by_label("What would you like to say?").press("Tab")
        page.get_by_role("button", name="Share with my cohort").click()
        page.wait_for_url("**/threads/*")
        page.wait_for_timeout(300)
        page.goto(new_url)
        assert page.get_by_label("Title").input_value() == ""
        assert page.get_by_label("What would you like to say?").input_value() == ""
    url = f"/cohorts/{cohort.id}/threads/{first.thread_id}"
    page.goto(url)
    for n in range(4):
        page.get_by_label("Your reply").fill(f"My reply number {n}")
        page.get_by_role("button", name="Post reply").click()
        page.wait_for_url("**#post-*")
        page.wait_for_timeout(300)
        page.locator(".post").first.get_by_role("link", name="Quote").click()
        assert page.get_by_label("Your reply").input_value().strip() == "> Something worth quoting"
        page.get_by_label("Your reply").fill("")


def test_reply_to_says_to_whom_and_cancels_keeping_the_words(page, learner, facilitator, cohort, db):
    first = services.start_thread(facilitator, cohort, None, "Replies", "Something to answer", None, None)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/threads/{first.thread_id}")
    page.locator(f"#post-{first.id}").get_by_role("link", name="Reply").click()
    expect(page.get_by_text(f"Replying to {facilitator.display_name}")).to_be_visible()
    page.get_by_label("Your reply").fill("A thought for everyone")
    page.get_by_role("button", name="Cancel reply").click()
    expect(page.get_by_text("Replying to")).not_to_be_visible()
    assert page.get_by_label("Your reply").input_value() == "A thought for everyone"
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url("**#post-*")
    assert page.locator(".post").last.locator(".post__reply-to").count() == 0


def test_words_typed_after_signing_out_come_back_from_the_tab_after_reloading(page, learner, cohort, db):
    """Autosave could not take them; the script's own copy in the tab brings them back after signing in."""
    first = services.start_thread(learner, cohort, None, "Evenings", "Opening words", None, None)
    sign_in(page, learner.email, PASSWORD)
    url = f"/cohorts/{cohort.id}/threads/{first.thread_id}"
    page.goto(url)
    reply = page.get_by_label("Your reply")
    reply.fill("Tonight was harder than I expected.")
    page.wait_for_selector("text=Draft saved")
    _sign_out_elsewhere(page, learner, "tab")
    reply.press("End")
    reply.type("\nI kept thinking about what we said in session two – thank you all.")
    page.wait_for_selector("text=You have been signed out")
    page.reload()  # the page itself now asks to sign in
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{url}")
    assert page.get_by_label("Your reply").input_value() == WORDS
