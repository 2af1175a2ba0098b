"""flask worker: delivers queued mail, so web processes never wait on a mail server."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select, update

from portal.dates import utcnow
from portal.extensions import db
from portal.mail import deliver
from portal.mailqueue.models import QueuedMail

MAX_ATTEMPTS = 5


def deliver_waiting(batch: int = 50) -> int:
    """Send what is waiting; each message is claimed first, so two workers never send it twice."""
    sent = 0
    ids = db.session.scalars(select(QueuedMail.id).where(QueuedMail.sent_at.is_(None),
                                                          QueuedMail.attempts < MAX_ATTEMPTS)
                             .order_by(QueuedMail.id).limit(batch)).all()
    for mail_id in ids:
        claimed = db.session.execute(update(QueuedMail).where(QueuedMail.id == mail_id, QueuedMail.sent_at.is_(None))
                                     .values(sent_at=utcnow(), attempts=QueuedMail.attempts + 1)).rowcount
        db.session.commit()
        if not claimed:
            continue
        mail = db.session.get(QueuedMail, mail_id)
        try:
            deliver(mail.to, mail.subject, mail.body, mail.headers)
        except Exception as e:  # noqa: BLE001 (any failure: keep the message and try again later)
            mail.sent_at, mail.last_error = None, f"{type(e).__name__}: {e}"[:500]
            current_app.logger.warning("Mail %s not sent yet: %s", mail_id, mail.last_error)
        else:
            sent += 1
        db.session.commit()
    return sent


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is waiting, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between checks.")
@with_appcontext
def worker(once: bool, interval: float) -> None:
    """Deliver queued mail (run it under a process supervisor next to the web servers)."""
    while True:
        sent = deliver_waiting()
        if sent:
            click.echo(f"Sent {sent} message(s).")
        if once:
            return
        db.session.remove()
        time.sleep(interval)
