"""Recording events in the caller's transaction, and handing them to the queue once committed."""
from __future__ import annotations

from flask import current_app, has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.notifications.models import NotificationEvent

_PENDING, _READY = "notify_pending", "notify_ready"


def record(kind: str, cohort_id: int, actor_id: int | None, subject_kind: str, subject_id: int) -> NotificationEvent:
    """Add an event to the caller's transaction (the caller commits). Once it commits, a fan-out task is queued;
    if the queue is down then, the periodic sweep picks the event up later: nothing is lost."""
    event = NotificationEvent(kind=kind, cohort_id=cohort_id, actor_id=actor_id, subject_kind=subject_kind,
                              subject_id=subject_id)
    db.session.add(event)
    db.session.info.setdefault(_PENDING, []).append(event)
    return event


def _after_flush(session: Session, _context) -> None:
    pending = session.info.get(_PENDING)
    if pending:  # ids are known now: reading them after the commit would cost a query each
        session.info.setdefault(_READY, []).extend(e.id for e in pending if e.id is not None)
        session.info[_PENDING] = [e for e in pending if e.id is None]


def _after_commit(session: Session) -> None:
    ids = session.info.pop(_READY, None)
    if ids:
        _dispatch(ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(_READY, None)
    session.info.pop(_PENDING, None)


def _dispatch(ids: list[int]) -> None:
    """Queue the fan-out after the response has gone (the reply returns as fast with 300 followers as with
    none; no SQL may run inside a commit hook anyway). Outside a request (tasks, commands) the periodic
    sweep picks the events up within a minute."""
    if has_request_context():
        from portal.deferred import after_response

        after_response(enqueue, ids)


def enqueue(ids: list[int]) -> None:
    from portal.notifications.fanout import fan_out_task

    for event_id in ids:
        try:
            fan_out_task(event_id)
        except Exception:  # noqa: BLE001  (the queue's storage is down: the sweep redoes the event later)
            current_app.logger.exception("Could not queue notification event %s; the sweep will", event_id)


def init_app() -> None:
    if not sa_event.contains(Session, "after_flush", _after_flush):
        sa_event.listen(Session, "after_flush", _after_flush)
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_soft_rollback", _after_soft_rollback)


def _after_soft_rollback(session: Session, previous) -> None:
    if not previous.nested and previous.parent is None:  # a savepoint's rollback leaves the outer events be
        _after_rollback(session)
