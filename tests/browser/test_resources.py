"""Session resources in a real browser: a facilitator adds a handout and a link, reorders and withdraws; a
learner sees what is new to them and downloads the handout. axe on every page visited."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.resources.factories import course_resource, pdf_bytes


def test_add_reorder_withdraw_and_open_resources(page, axe, db, app, course, opened, learner, facilitator, browser,
                                                 live_server, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))
    course_resource(course, 1, "course-handout", file="getting-started.md", title="Getting started together")
    base = f"/cohorts/{opened.id}/sessions/1/resources"
    handout = tmp_path / "our-notes.pdf"
    handout.write_bytes(pdf_bytes("Our notes"))

    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/cohorts/{opened.id}/sessions/1")
    page.get_by_role("link", name="Resources").click()
    page.wait_for_url(f"**{base}")
    assert axe(page) == []
    page.get_by_role("link", name="Add a link or a handout").click()
    assert axe(page) == []
    page.get_by_label("Title").fill("Our notes")
    page.get_by_label("Short description (optional)").fill("What we said in the session.")
    page.get_by_label("Or a file").set_input_files(str(handout))
    page.get_by_role("button", name="Add to session 1").click()
    page.wait_for_url(f"**{base}")
    expect(page.get_by_text("Added \u201cOur notes\u201d")).to_be_visible()

    # A bad link: a clear message, the words kept.
    page.get_by_role("link", name="Add a link or a handout").click()
    page.get_by_label("Title").fill("A sneaky link")
    page.get_by_label("A link").fill("javascript:alert(1)")
    page.get_by_role("button", name="Add to session 1").click()
    expect(page.get_by_text("must be a web address starting with http:// or https://")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("A sneaky link")
    assert axe(page) == []
    page.get_by_label("A link").fill("https://www.example.org/groups")
    page.get_by_role("button", name="Add to session 1").click()
    page.wait_for_url(f"**{base}")
    expect(page.get_by_text("A link to www.example.org")).to_be_visible()
    assert axe(page) == []

    # Reorder with buttons, then withdraw after a confirmation.
    page.locator("li.card", has_text="A sneaky link").get_by_role("button", name="Move up").click()
    page.wait_for_url(f"**{base}*")
    titles = page.locator("h2.card__title a").all_inner_texts()
    assert titles == ["Getting started together", "A sneaky link", "Our notes"]
    expect(page.get_by_text("New to you")).to_have_count(0)  # facilitators aren't told what is new to them
    page.locator("li.card", has_text="A sneaky link").get_by_role("link", name="Withdraw").click()
    assert axe(page) == []
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.wait_for_url(f"**{base}")
    expect(page.get_by_text("has been withdrawn")).to_be_visible()
    assert axe(page) == []

    # The learner sees what is new to them and downloads the handout.
    other = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800}).new_page()
    other.context.set_default_timeout(10_000)
    sign_in(other, learner.email, PASSWORD)
    other.goto(base)
    assert axe(other) == []
    expect(other.get_by_text("A sneaky link")).to_have_count(0)
    expect(other.get_by_text("New to you")).to_have_count(2)
    with other.expect_download() as info:
        other.get_by_role("link", name="Our notes").click()
    assert Path(info.value.path()).read_bytes() == handout.read_bytes()
    other.goto(base)
    expect(other.get_by_text("New to you")).to_have_count(1)
    assert axe(other) == []
    other.context.close()
