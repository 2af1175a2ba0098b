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


def test_queued_mail_is_cleaned_before_it_is_stored(app, db):
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


def test_added_headers_reach_the_message_on_one_line(app):
    from portal.mail import deliver

    with app.app_context():
        msg = deliver("a@example.org", "Hello", "Body",
                      {"List-Unsubscribe": "<https://x/u/abc>\r\nBcc: evil@example.org",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    assert msg["List-Unsubscribe"] == "<https://x/u/abc> Bcc: evil@example.org"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Bcc"] is None


@pytest.mark.parametrize("name", ["Bcc", "To", "From", "X Bad", "X-Bad\r\nBcc", "Subject"])
def test_a_message_may_not_add_its_own_addressing_headers(app, name):
    from portal.mail import deliver

    with app.app_context(), pytest.raises(ValueError):
        deliver("a@example.org", "Hello", "Body", {name: "x"})


def test_queued_mail_keeps_its_headers_for_the_worker(app):
    from portal.extensions import db
    from portal.mail import queue_mail
    from portal.mailqueue.models import QueuedMail

    with app.app_context():
        queue_mail("a@example.org", "Hi", "Body", headers={"List-Unsubscribe": "<https://x/u/1>"})
        db.session.commit()
        mail = db.session.scalars(db.select(QueuedMail).order_by(QueuedMail.id.desc())).first()
        assert mail.headers == {"List-Unsubscribe": "<https://x/u/1>"}
        db.session.delete(mail)
        db.session.commit()
