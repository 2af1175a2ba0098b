"""Signing in with a real browser: keyboard only, focus, errors, small screens."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_sign_in_with_the_keyboard_only(page, learner):
    page.goto("/login")
    for _ in range(10):  # skip link, header link, then the form
        page.keyboard.press("Tab")
        if _focused(page) == "email":
            break
    assert _focused(page) == "email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused field has no visible outline"
    page.keyboard.type(learner.email)
    page.keyboard.press("Tab")
    assert _focused(page) == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert _focused(page) == "remember"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused(page) == "Sign in"
    page.keyboard.press("Enter")
    page.wait_for_url("**/home")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Lee Learner"
    expect(page.get_by_text("Cohort North")).to_be_visible()


def test_the_code_step_is_ready_to_type_into_with_the_keyboard(page, facilitator):
    from tests.conftest import fresh_totp_code

    page.goto("/login")
    page.get_by_label("Email address").fill(facilitator.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/two-factor**")
    # Chromium applies autofocus at its next rendering step after load: wait for it (2 s at most), no input sent.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'code'", timeout=2000)
    assert _focused(page) == "code"  # no click or Tab needed
    page.keyboard.type(fresh_totp_code(facilitator.email))
    page.keyboard.press("Enter")
    page.wait_for_url("**/home")


def test_skip_link_moves_to_the_main_content(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    assert _focused(page) == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).left") == "0px"  # visible when focused
    page.keyboard.press("Enter")
    assert _focused(page) == "main-content"


def test_error_summary_takes_focus_and_links_to_the_field(page, learner):
    page.goto("/login")
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.get_by_role("link", name="Enter your password").click()
    assert _focused(page) == "password"
    assert page.get_by_label("Email address").input_value() == learner.email


def test_wrong_password_then_right_password(page, learner):
    page.goto("/login")
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Enter a correct email address and password").first).to_be_visible()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")


def test_sign_out(page, learner):
    sign_in(page, learner.email, PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto("/home")
    assert "/login" in page.url


def test_pages_fit_a_small_phone(page, learner):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/login", "/need-help-now"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    sign_in(page, learner.email, PASSWORD)
    for path in ("/home", "/course/", "/account"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
