"""Header values are one line whatever names they carry (issue 10 #10): a cohort named with a line separator
made every email about it raise after the invitation was saved, and a line break could add headers."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.enrolment.models import Invitation
from portal.mail import deliver, header_text, send_mail
from portal.mailqueue.models import QueuedMail
from tests.conftest import csrf_token, login

BREAKS = ["\u2028", "\u2029", "\r\n", "\n", "\r", "\x85", "\x0b", "\x0c", "\x1c", "\x00"]


@pytest.mark.parametrize("brk", BREAKS)
def test_a_subject_with_a_line_break_is_sent_on_one_line(app, outbox, brk):
    deliver("a@example.org", f"Joining North{brk}Bcc: evil@example.org", f"Body with North{brk}Star")
    (mail,) = outbox()
    assert mail["Subject"] == "Joining North Bcc: evil@example.org"
    assert mail["Bcc"] is None and mail["To"] == "a@example.org"


def test_queued_mail_is_cleaned_before_it_is_stored(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DELIVERY", "worker")
    send_mail("a@example.org", "North\u2028Star " + "x" * 400, "Body")
    queued = db.session.scalars(select(QueuedMail)).one()
    assert "\u2028" not in queued.subject and len(queued.subject) <= 300


def test_header_text():
    assert header_text("  a\u2028\u2029b\t c \udcff ") == "a b c ?"


def test_an_invitation_to_a_cohort_named_with_a_line_separator_is_saved_and_sent(app, db, cohort, facilitator,
                                                                                 outbox):
    cohort.name = "North\u2028Star"
    db.session.commit()
    client = app.test_client()
    login(client, facilitator.email)
    url = f"/cohorts/{cohort.id}/invitations"
    response = client.post(url, data={"email": "new@example.org", "name": "Nia", "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert db.session.scalars(select(Invitation)).one().email == "new@example.org"
    (mail,) = outbox()
    assert mail["Subject"] == "You're invited to join North Star"
