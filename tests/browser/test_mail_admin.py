"""The site admins' undelivered mail page, in a real browser with axe-core: listed, and tried again."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import insert

from portal.dates import utcnow
from portal.mailqueue.models import QueuedMail, new_message_id
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_undelivered_mail_page(page, axe, site_admin, db):
    long_ago = utcnow() - timedelta(hours=3)
    db.session.execute(insert(QueuedMail), [
        {"message_id": new_message_id(), "to": "gone@example.org", "subject": "Feedback is ready", "body": "B",
         "attempts": 10, "last_error": "SMTPRecipientsRefused: 550 no such mailbox", "created_at": long_ago,
         "failed_at": utcnow()},
        {"message_id": new_message_id(), "to": "slow@example.org", "subject": "Received: essay", "body": "B",
         "attempts": 2, "last_error": "TimeoutError: timed out", "created_at": long_ago,
         "next_attempt_at": utcnow() + timedelta(minutes=3)}])
    db.session.commit()
    sign_in(page, site_admin.email, PASSWORD)
    page.goto("/admin/mail")
    expect(page.get_by_role("heading", name="Mail not delivered")).to_be_visible()
    assert axe(page) == [], "/admin/mail"
    page.get_by_role("button", name="Try again to send “Feedback is ready” to gone@example.org").click()
    expect(page.get_by_text("We'll try sending that message again now.")).to_be_visible()
    assert axe(page) == [], "/admin/mail after trying again"
