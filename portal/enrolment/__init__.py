"""Enrolment: models.py; services.py (invitations, CSV) and links.py (invite links); views.py and joining.py."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # models must be known to Alembic; joining adds the public routes to views.bp
    from portal.enrolment import joining, models, views  # noqa: F401

    app.register_blueprint(views.bp)
