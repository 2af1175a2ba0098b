"""Safeguarding: concerns a facilitator records about a member (with actions, outcome and follow-ups),
check-in messages between a cohort's facilitators and one member, and the site admins' safety-word list."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.safeguarding import checkin_views, models, phrase_views, views  # noqa: F401  (models for Alembic)

    app.register_blueprint(views.bp)
    app.register_blueprint(checkin_views.bp)
    app.register_blueprint(phrase_views.bp)
