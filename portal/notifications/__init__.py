"""Notifications: events written with what caused them, fanned out on the task queue into one notification per
recipient, listed in the portal and emailed at once or in digests under each member's preferences (issue 15)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # models, tasks and periodic jobs, routes
    from portal.notifications import digests, events, fanout, models, reminders, views  # noqa: F401

    events.init_app()
    app.register_blueprint(views.bp)
