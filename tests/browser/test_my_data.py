"""My data in a real browser: ask for the ZIP, download it, read what erasure means; axe on each page."""
from __future__ import annotations

import zipfile

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_a_member_downloads_their_data_and_reads_about_erasure(page, axe, db, cohort, learner, tmp_path):
    sign_in(page, learner.email, PASSWORD)
    page.goto("/account")
    page.get_by_role("link", name="Download everything the portal holds about you").click()
    page.wait_for_url("**/my-data")
    assert page.get_by_role("heading", name="Your data", exact=True).is_visible()
    assert axe(page) == []
    page.get_by_role("button", name="Put my data together").click()
    page.wait_for_url("**/my-data")
    assert page.get_by_text("We're putting your data together").is_visible()
    assert page.get_by_role("table", name="Your recent downloads").is_visible()
    assert axe(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Download ZIP").click()
    saved = tmp_path / "mine.zip"
    info.value.save_as(saved)
    assert "README.md" in zipfile.ZipFile(saved).namelist()
    page.get_by_role("link", name="ask for your account to be erased").click()
    page.wait_for_url("**/my-data/erase")
    assert axe(page) == []
    page.get_by_role("button", name="Ask for my account to be erased").click()
    page.wait_for_selector("text=We've received your request")
    assert axe(page) == []
