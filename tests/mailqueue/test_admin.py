"""Site admins see mail that failed or waits too long (never what it says) and can try a failed one again."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from portal.audit.models import AuditEvent
from portal.dates import utcnow
from portal.extensions import db
from portal.mailqueue.models import QueuedMail, new_message_id
from tests.conftest import csrf_token, login

SECRET_BODY = "Words about how I am feeling that nobody else should read"


def _row(**values) -> QueuedMail:
    """A row as a failure (or a slow queue) leaves it: inserted without being handed to the queue."""
    fields = {"to": "a@example.org", "subject": "Hello", "body": SECRET_BODY, "attempts": 0,
              "created_at": utcnow(), "message_id": new_message_id(), **values}
    db.session.execute(insert(QueuedMail).values(**fields))
    db.session.commit()
    return db.session.scalars(select(QueuedMail).where(QueuedMail.message_id == fields["message_id"])).one()


def _as(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def test_failed_and_late_mail_is_listed_without_its_words(app, site_admin, count_queries):
    long_ago = utcnow() - timedelta(hours=2)
    _row(to="failed@example.org", subject="Gave up", attempts=10, last_error="SMTPDataError: 550 Mailbox unavailable",
         failed_at=utcnow(), created_at=long_ago)
    _row(to="late@example.org", subject="Still waiting", attempts=2, last_error="TimeoutError: timed out",
         next_attempt_at=utcnow() + timedelta(minutes=4), created_at=long_ago)
    _row(to="fresh@example.org", subject="Just written")  # not late yet
    _row(to="sent@example.org", subject="Gone", sent_at=utcnow(), created_at=long_ago)
    client = _as(app, site_admin)
    with count_queries() as queries:
        page = client.get("/admin/mail")
    assert page.status_code == 200
    assert queries() <= 10
    html = page.get_data(as_text=True)
    assert "failed@example.org" in html and "late@example.org" in html and "550 Mailbox unavailable" in html
    assert "fresh@example.org" not in html and "sent@example.org" not in html
    assert SECRET_BODY not in html
    assert html.index("failed@example.org") < html.index("late@example.org")  # failures first
    assert html.count("Try again") == 1  # only for the one that gave up


def test_the_page_runs_the_same_queries_however_much_is_waiting(app, site_admin, count_queries):
    client = _as(app, site_admin)
    _row(failed_at=utcnow())
    with count_queries() as one:
        client.get("/admin/mail")
    for i in range(30):
        _row(to=f"p{i}@example.org", failed_at=utcnow())
    with count_queries() as many:
        client.get("/admin/mail")
    assert one() == many()


def test_try_again_sends_a_failed_message_once_and_is_recorded(app, site_admin, outbox):
    mail = _row(attempts=10, failed_at=utcnow(), last_error="SMTPDataError: 550 no")
    client = _as(app, site_admin)
    token = csrf_token(client, "/admin/mail")
    response = client.post(f"/admin/mail/{mail.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/mail"
    db.session.expire_all()
    mail = db.session.get(QueuedMail, mail.id)
    assert mail.sent_at is not None and mail.failed_at is None and mail.attempts == 1
    assert [m["Message-ID"] for m in outbox()] == [mail.message_id]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.retry")).one()
    assert (event.actor_id, event.subject_id) == (site_admin.id, mail.id)
    again = client.post(f"/admin/mail/{mail.id}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "already waiting to be sent again, or has gone" in again.get_data(as_text=True)
    assert len(outbox()) == 1  # a second click sends nothing more


def test_try_again_needs_the_csrf_token_and_an_existing_message(app, site_admin, outbox):
    mail = _row(attempts=10, failed_at=utcnow())
    client = _as(app, site_admin)
    assert client.post(f"/admin/mail/{mail.id}/retry").status_code == 400
    token = csrf_token(client, "/admin/mail")
    assert client.post(f"/admin/mail/{mail.id + 1000}/retry", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(QueuedMail, mail.id).failed_at is not None and outbox() == []


def test_nobody_but_site_admins_reaches_the_page(app, facilitator, learner):
    mail = _row(failed_at=utcnow())
    for user in (facilitator, learner):
        client = _as(app, user)
        assert client.get("/admin/mail").status_code == 404
        token = csrf_token(client, "/account")
        assert client.post(f"/admin/mail/{mail.id}/retry", data={"csrf_token": token}).status_code == 404
    assert app.test_client().get("/admin/mail").status_code == 302  # signed out: to the sign-in page
