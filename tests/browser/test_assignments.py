"""Assignments in a real browser: a learner hands in the essay (text, autosaved while typing, and a PDF); a
facilitator downloads the file (the same bytes as the receipt's hash), gives feedback and an outcome and
releases it; the learner reads them. axe on every page visited."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.assignments.models import Submission
from portal.discussions.models import Draft
from tests.assignments.factories import add_sessions_to_eleven, open_session, pdf_bytes
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

SLUG = "my-recovery-story"


@pytest.fixture
def eleven_sessions(db, course, app, tmp_path, monkeypatch):
    """The course has all eleven sessions before the cohort's timetable is made. Files go to tmp."""
    add_sessions_to_eleven(db, course)
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))


@pytest.fixture
def essay_open(eleven_sessions, db, cohort):
    """The essay opens after session 6: the cohort's session 6 is released."""
    open_session(db, cohort, 6)
    return cohort


def test_hand_in_download_mark_release_and_read_the_feedback(page, axe, db, essay_open, learner, facilitator,
                                                           browser, live_server, tmp_path):
    cohort = essay_open
    base = f"/cohorts/{cohort.id}"
    pdf = tmp_path / "my-essay.pdf"
    pdf.write_bytes(pdf_bytes("My recovery story, in a browser"))

    # The learner finds the essay, writes (autosaved), attaches a PDF and hands it in.
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"{base}/assignments")
    assert axe(page) == []
    page.get_by_role("link", name="Reflective essay: my recovery story").first.click()
    page.wait_for_url(f"**/assignments/{SLUG}")
    assert axe(page) == []
    page.get_by_label("Your work", exact=True).fill("Hope came back slowly, through people who listened.")
    page.wait_for_selector("text=Draft saved", timeout=10_000)
    db.session.expire_all()
    draft = db.session.scalars(select(Draft).where(Draft.user_id == learner.id,
                                                   Draft.key == f"assignment:{SLUG}")).one()
    assert draft.body == "Hope came back slowly, through people who listened."
    page.get_by_label("A file with your work (optional)").set_input_files(str(pdf))
    page.get_by_role("button", name="Hand in my work").click()
    page.wait_for_url("**/submissions/*")
    expect(page.get_by_text("your work has been handed in")).to_be_visible()
    assert axe(page) == []
    db.session.expire_all()
    submission = db.session.scalars(select(Submission).where(Submission.user_id == learner.id)).one()
    assert db.session.scalars(select(Draft).where(Draft.user_id == learner.id)).all() == []
    receipt_hashes = re.findall(r"[0-9a-f]{64}", page.content())
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == submission.file_sha256
    assert submission.file_sha256 in receipt_hashes
    receipt_url = page.url

    # A facilitator, in another browser, downloads the file, gives feedback and an outcome, and releases it.
    other = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800}).new_page()
    other.context.set_default_timeout(10_000)
    sign_in(other, facilitator.email, PASSWORD)
    other.goto(f"{base}/manage/assignments/{SLUG}")
    assert axe(other) == []
    other.get_by_role("link", name="Give feedback").click()
    other.wait_for_url(f"**/submissions/{submission.id}/mark")
    assert axe(other) == []
    with other.expect_download() as info:
        other.get_by_role("link", name="download its file").click()
    download = info.value
    got = Path(download.path()).read_bytes()
    assert got == pdf.read_bytes()
    assert hashlib.sha256(got).hexdigest() == submission.file_sha256
    assert download.suggested_filename.endswith(".pdf")
    other.get_by_label("Your feedback").fill("You wrote about listening with real warmth.\n\nThank you.")
    other.get_by_label("meets the criteria").check()
    other.get_by_label("Release it to the learner now").check()
    other.get_by_role("button", name="Save feedback").click()
    other.wait_for_url(f"**/manage/assignments/{SLUG}")
    expect(other.get_by_text("feedback is ready")).to_be_visible()
    assert axe(other) == []
    other.context.close()

    # The learner sees the outcome and the feedback.
    page.goto(receipt_url)
    expect(page.get_by_text("Outcome: meets the criteria")).to_be_visible()
    expect(page.get_by_text("You wrote about listening with real warmth.")).to_be_visible()
    assert axe(page) == []
    page.goto(f"{base}/assignments/{SLUG}")
    expect(page.get_by_text("feedback is ready")).to_be_visible()
    assert axe(page) == []
