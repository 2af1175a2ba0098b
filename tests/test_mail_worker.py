"""PORTAL_MAIL_DELIVERY=worker: web requests queue mail; `flask worker` delivers it, retrying failures."""
from __future__ import annotations

from sqlalchemy import select

from portal.mailqueue.models import QueuedMail
from tests.conftest import csrf_token


def test_the_worker_delivers_what_requests_queued(app, client, db, learner, outbox):
    app.config["MAIL_DELIVERY"] = "worker"
    try:
        client.post("/forgot-password", data={"email": learner.email,
                                              "csrf_token": csrf_token(client, "/forgot-password")})
        assert outbox() == []
        queued = db.session.scalars(select(QueuedMail)).one()
        assert queued.to == learner.email and queued.sent_at is None
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
        assert result.exit_code == 0 and "Sent 1 message" in result.output
        assert outbox()[0]["To"] == learner.email
        db.session.expire_all()
        assert db.session.get(QueuedMail, queued.id).sent_at is not None
        app.test_cli_runner().invoke(args=["worker", "--once"])
        assert len(outbox()) == 1  # sent once only
    finally:
        app.config["MAIL_DELIVERY"] = "inline"


def test_a_failed_delivery_stays_queued_with_its_error(app, db):
    from portal.mailqueue.cli import deliver_waiting

    db.session.add(QueuedMail(to="a@example.org", subject="S", body="B"))
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    try:
        assert deliver_waiting() == 0
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=587)
    mail = db.session.scalars(select(QueuedMail)).one()
    assert mail.sent_at is None and mail.attempts == 1 and "ConnectionRefused" in mail.last_error
