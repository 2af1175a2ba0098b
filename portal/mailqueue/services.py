"""What site admins see of the outbox (mail that failed or waits too long) and their "try again"."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, case, or_, select, update

from portal.audit.services import record
from portal.dates import utcnow
from portal.errors import NotFound, RuleViolation
from portal.extensions import db
from portal.mailqueue.dispatch import send_after_commit
from portal.mailqueue.models import QueuedMail

PAGE_SIZE = 50
ALREADY_GOING = "That message is already waiting to be sent again, or has gone."


def troubled_mail(page: int) -> tuple[list[QueuedMail], bool]:
    """Failed messages, then those unsent longer than MAIL_LATE_MINUTES; oldest first. One query.

    Only the columns shown are loaded: a message's body is never read here."""
    late = utcnow() - timedelta(minutes=int(current_app.config["MAIL_LATE_MINUTES"]))
    rows = db.session.execute(
        select(QueuedMail.id, QueuedMail.to, QueuedMail.subject, QueuedMail.attempts, QueuedMail.last_error,
               QueuedMail.created_at, QueuedMail.failed_at, QueuedMail.next_attempt_at)
        .where(QueuedMail.sent_at.is_(None),
               or_(QueuedMail.failed_at.is_not(None), and_(QueuedMail.failed_at.is_(None),
                                                           QueuedMail.created_at < late)))
        .order_by(case((QueuedMail.failed_at.is_(None), 1), else_=0), QueuedMail.created_at, QueuedMail.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def retry_mail(actor, mail_id: int) -> None:
    """Give a failed message its attempts back and send it once this commits; recorded in the audit log.

    A conditional UPDATE: of two clicks (or two admins), one wins; the other is told it is already going."""
    mail = db.session.get(QueuedMail, mail_id)
    if mail is None:
        raise NotFound("That message isn't in the outbox.")
    won = db.session.execute(
        update(QueuedMail).where(QueuedMail.id == mail_id, QueuedMail.failed_at.is_not(None),
                                 QueuedMail.sent_at.is_(None))
        .values(failed_at=None, attempts=0, next_attempt_at=None, claimed_until=None)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        db.session.rollback()
        raise RuleViolation(ALREADY_GOING)
    record(actor, "mail.retry", subject=mail)
    send_after_commit(db.session, mail_id)
    db.session.commit()
