"""Fan-out: an event becomes one notification per recipient who may see its subject, then mail for those who
want it at once. Idempotent: the event is claimed in the same transaction that writes its notifications."""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from portal.dates import local_today, utcnow
from portal.extensions import db
from portal.announcements.notify import HANDLERS as _announcements
from portal.notifications import event_recipients, recipients
from portal.notifications.kinds import KINDS
from portal.notifications.models import Notification, NotificationEvent
from portal.notifications.subjects import visible_sql
from huey import crontab

from portal.queue import periodic, task

SWEEP_BATCH = 200

# Event kind -> function(event) -> {user id: notification kind}
HANDLERS = {"post": recipients.for_post, "session_released": recipients.for_session,
            "alert": recipients.for_alert, "checkin": recipients.for_checkin,
            "assignment_returned": recipients.for_submission}
HANDLERS.update(event_recipients.HANDLERS)  # exercises, moderation, assignments, reminders
HANDLERS.update(_announcements)  # announcements, agreement reminders, timetable changes


def fan_out(event_id: int) -> int:
    """Write the event's notifications and their at-once emails; returns how many were written (0 when
    another run already did it)."""
    claimed = db.session.execute(update(NotificationEvent).where(
        NotificationEvent.id == event_id, NotificationEvent.fanned_out_at.is_(None)).values(fanned_out_at=utcnow()))
    if claimed.rowcount != 1:
        db.session.rollback()
        return 0
    event = db.session.get(NotificationEvent, event_id)
    handler = HANDLERS.get(event.kind)
    wanted = handler(event) if handler else {}
    wanted.pop(event.actor_id, None)  # nobody is told about what they did themselves
    rows = [{"user_id": uid, "event_id": event.id, "kind": kind, "cohort_id": event.cohort_id,
             "actor_id": event.actor_id, "subject_kind": event.subject_kind, "subject_id": event.subject_id,
             "created_at": event.created_at} for uid, kind in wanted.items() if kind in KINDS]
    if rows:
        db.session.execute(Notification.__table__.insert(), rows)
        # Checked here, again on display, when mailing and in digests: whoever can't see it gets nothing.
        db.session.execute(delete(Notification).where(Notification.event_id == event.id,
                                                      ~visible_sql(Notification)),
                           {"today": local_today()}, execution_options={"synchronize_session": False})
        from portal.notifications.mailer import mail_at_once

        mail_at_once(event.id)
    try:
        db.session.commit()
    except IntegrityError:  # another run wrote them first
        db.session.rollback()
        return 0
    return len(rows)


@task(retries=3, retry_delay=30)
def fan_out_task(event_id: int) -> int:
    return fan_out(event_id)


def sweep(limit: int = SWEEP_BATCH) -> int:
    """Fan out events no task has handled (the queue was down, or a task was lost)."""
    ids = db.session.scalars(select(NotificationEvent.id).where(NotificationEvent.fanned_out_at.is_(None))
                             .order_by(NotificationEvent.id).limit(limit)).all()
    db.session.rollback()
    return sum(fan_out(i) for i in ids)


@periodic(crontab(minute="*"))
def sweep_task() -> int:
    from portal.notifications.releases import record_opened_sessions

    record_opened_sessions()
    return sweep()
