"""Moderation and safeguarding: matchers for what people write (safety words, recovery-language hints,
other people's details), alerts to facilitators, flags, held content and the queue."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.moderation import models  # noqa: F401  (models must be known to Alembic)
    from portal.moderation.held_views import bp
    from portal.moderation.hours import usual_hours

    app.register_blueprint(bp)
    app.jinja_env.globals["usual_hours"] = usual_hours
