"""Moderation and safeguarding: matchers for what people write (safety words, recovery-language hints,
other people's details), alerts to facilitators, flags, held content and the queue."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.moderation import flag_models, models  # noqa: F401  (models must be known to Alembic)
    from portal.moderation.held_views import bp as held_bp
    from portal.moderation.hours import usual_hours
    from portal.moderation.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(held_bp)
    app.jinja_env.globals["usual_hours"] = usual_hours
