"""Time in one place: aware UTC in the code, naive UTC in the database, people's words on the page."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC (SQLite has no zones) and always hands back an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def zone_name() -> str:
    """The zone the course runs in (PORTAL_TIMEZONE); dates are shown and entered in it."""
    return current_app.config["TIMEZONE"] if has_app_context() else "Europe/London"


def local_zone() -> ZoneInfo:
    return ZoneInfo(zone_name())


def to_local(value: datetime, zone: str | None = None) -> datetime:
    return value.astimezone(ZoneInfo(zone or zone_name()))


def local_today() -> date:
    return to_local(utcnow()).date()


def from_local(day: date, at: time | None) -> datetime:
    """A date and time typed in the course's zone, as aware UTC."""
    return datetime.combine(day, at or time(0, 0), tzinfo=local_zone()).astimezone(timezone.utc)


def human_date(value: datetime | None, zone: str | None = None) -> str:
    """'Tuesday 3 March 2026, 6pm' in the course's zone (or `zone`): the way people say dates."""
    if value is None:
        return ""
    value = to_local(value, zone)
    return f"{value.strftime('%A')} {value.day} {value.strftime('%B %Y')}, {human_time(value.time())}"


def human_time(value: time) -> str:
    """'6pm', '6:30pm'."""
    hour = value.strftime("%I").lstrip("0") or "12"
    minutes = "" if value.minute == 0 else value.strftime(":%M")
    return f"{hour}{minutes}{value.strftime('%p').lower()}"


TIME_TBC, DATE_TBC = "time to be confirmed", "Date to be confirmed"


def human_meeting(day: date | None, at: time | None) -> str:
    """A meeting's date and time as people say them, saying plainly which part is not known yet:
    'Tuesday 3 March 2026, 6pm', 'Tuesday 3 March 2026, time to be confirmed', 'Date to be confirmed, 6pm'."""
    when = human_day(day) if day else DATE_TBC
    return f"{when}, {human_time(at) if at else TIME_TBC}" if day or at else DATE_TBC


def human_day(value) -> str:
    """'Tuesday 3 March 2026' for a date or datetime."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return f"{value.strftime('%A')} {value.day} {value.strftime('%B %Y')}"


def alembic_render_item(type_, obj, autogen_context):
    """Migrations spell UTCDateTime as a plain DateTime, so they never import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
