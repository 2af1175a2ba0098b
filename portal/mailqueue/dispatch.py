"""Hand new outbox rows to the queue once the transaction that wrote them has committed (never before:
a task must not look for a row that may yet be rolled back, and never instead: the row is the record)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.mailqueue.models import QueuedMail

_KEY = "portal_mail_to_send"


def send_after_commit(session: Session, mail_id: int) -> None:
    """Ask for a message (say one a site admin retries) to be sent once this session commits."""
    session.info.setdefault(_KEY, []).append(mail_id)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    for obj in session.new:
        if isinstance(obj, QueuedMail):
            send_after_commit(session, obj.id)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    ids = session.info.pop(_KEY, None)
    if ids:
        enqueue(ids)


def enqueue(ids: list[int]) -> None:
    from portal.mailqueue.delivery import deliver_mail
    from portal.queue import huey

    if not huey.immediate:
        for mail_id in ids:
            try:
                deliver_mail(mail_id)
            except Exception:  # noqa: BLE001 (queue storage down: the row is saved, the minute sweep sends it)
                current_app.logger.warning("Could not queue mail %s; the sweep will send it", mail_id, exc_info=True)
        return
    # No consumer (development, tests): send now, in this process, but not on the session now committing
    # (it may run no more SQL in this hook). Work that must not show in a response's timing (a reset email)
    # already runs after the response (portal/deferred.py).
    try:
        with current_app.app_context():  # a context of its own: its own database session
            _send_each(ids)
    except Exception:  # noqa: BLE001 (what the caller saved is committed: don't fail it; the row is kept)
        current_app.logger.exception("Sending mail %s failed; it stays in the outbox", ids)


def _send_each(ids: list[int]) -> None:
    from portal.mailqueue.delivery import deliver_mail

    for mail_id in ids:
        deliver_mail(mail_id)
