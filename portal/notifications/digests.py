"""Daily and weekly digests, as periodic tasks (times in UTC)."""
from __future__ import annotations

from huey import crontab

from portal.notifications.mailer import digest
from portal.queue import periodic


@periodic(crontab(minute="0", hour="7"))
def daily_digest() -> int:
    return digest("daily")


@periodic(crontab(minute="0", hour="7", day_of_week="1"))
def weekly_digest() -> int:
    return digest("weekly")
