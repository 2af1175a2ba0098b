"""Discussions: a thread space per cohort and session, plus a general space."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.discussions import models, post_views, views  # noqa: F401  (models for Alembic; routes)

    app.register_blueprint(views.bp)
