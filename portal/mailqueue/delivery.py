"""Delivering the outbox: at least once, and once only in normal running.

Each message is claimed with a lease (a conditional UPDATE: of several workers, one wins), sent with the
Message-ID it was given when written, and marked sent only once the server accepted it. A failure is kept
with its error and tried again after a growing pause, up to MAIL_MAX_ATTEMPTS; a worker killed mid-delivery
leaves a lease that lapses, and the minute sweep sends the message then.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import or_, select, update

from portal.dates import utcnow
from portal.extensions import db
from portal.mailqueue.models import QueuedMail
from portal.queue import periodic, task

SWEEP_BATCH = 200
ERROR_LIMIT = 500  # QueuedMail.last_error


def _cfg(name: str) -> int:
    return int(current_app.config[name])


def _due(now: datetime):
    """Not sent, not given up on, its pause over and nobody's lease running."""
    return (QueuedMail.sent_at.is_(None), QueuedMail.failed_at.is_(None),
            or_(QueuedMail.next_attempt_at.is_(None), QueuedMail.next_attempt_at <= now),
            or_(QueuedMail.claimed_until.is_(None), QueuedMail.claimed_until <= now))


def claim(mail_id: int) -> bool:
    """Take the lease on one due message (and count the attempt); False if it isn't due or someone has it.

    The attempt counts when claimed, so a message that kills its worker every time still reaches the cap."""
    now = utcnow()
    won = db.session.execute(
        update(QueuedMail).where(QueuedMail.id == mail_id, *_due(now))
        .values(claimed_until=now + timedelta(seconds=_cfg("MAIL_LEASE_SECONDS")), attempts=QueuedMail.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return won


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the nth failed attempt, never more than MAIL_RETRY_MAX_SECONDS."""
    seconds = _cfg("MAIL_RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, _cfg("MAIL_RETRY_MAX_SECONDS")))


def send_claimed(mail_id: int) -> bool:
    """Send a message this worker has claimed; record the outcome. True when the server accepted it."""
    from portal.mail import deliver

    mail = db.session.get(QueuedMail, mail_id, populate_existing=True)
    try:
        deliver(mail.to, mail.subject, mail.body, mail.headers, message_id=mail.message_id)
    except Exception as e:  # noqa: BLE001 (whatever went wrong: keep the message, say why, try again later)
        db.session.rollback()
        _failed(mail_id, e)
        return False
    db.session.execute(update(QueuedMail).where(QueuedMail.id == mail_id)
                       .values(sent_at=utcnow(), claimed_until=None, next_attempt_at=None, last_error=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return True


def _failed(mail_id: int, error: Exception) -> None:
    mail = db.session.get(QueuedMail, mail_id, populate_existing=True)
    now = utcnow()
    mail.last_error = _describe(error)
    mail.claimed_until = None
    if mail.attempts >= _cfg("MAIL_MAX_ATTEMPTS"):
        mail.failed_at, mail.next_attempt_at = now, None
        current_app.logger.error("Mail %s failed after %s attempts: %s", mail_id, mail.attempts, mail.last_error)
    else:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        current_app.logger.warning("Mail %s not sent yet (attempt %s): %s", mail_id, mail.attempts, mail.last_error)
    db.session.commit()


def _describe(error: Exception) -> str:
    """The error's kind and the server's words, on one line (shown to site admins; never the message)."""
    code, text = getattr(error, "smtp_code", None), getattr(error, "smtp_error", None)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    detail = f"{code} {text}" if code else str(error)
    return " ".join(f"{type(error).__name__}: {detail}".split())[:ERROR_LIMIT]


def deliver_now(mail_id: int) -> bool:
    """Claim and send one message, if it is due and nobody else has it."""
    return claim(mail_id) and send_claimed(mail_id)


def send_due_mail(batch: int = SWEEP_BATCH) -> int:
    """Send what is due and no task picked up (the queue was down, a worker died, a pause ended)."""
    ids = db.session.scalars(select(QueuedMail.id).where(*_due(utcnow())).order_by(QueuedMail.id)
                             .limit(batch)).all()
    db.session.commit()
    return sum(deliver_now(mail_id) for mail_id in ids)


@task()
def deliver_mail(mail_id: int) -> None:
    """The queue's task: enqueued once the transaction that wrote the message has committed.

    Returns nothing: Huey keeps a task's result until someone reads it, and nobody reads this one."""
    deliver_now(mail_id)


@periodic(crontab(minute="*"))
def sweep_mail() -> int:
    """Every minute: the safety net under the tasks (at least once, even when the queue lost one)."""
    return send_due_mail()
