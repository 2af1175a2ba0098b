"""Announcements from a cohort's facilitators, reminders to accept the group agreement, and timetable changes
that announce themselves (issue 15). Built on the notifications machinery: each is an event recorded in the
caller's transaction and fanned out on the queue under each member's email preferences."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.announcements import models, views  # noqa: F401  (models must be known to Alembic)

    app.register_blueprint(views.bp)
