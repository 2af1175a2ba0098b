"""Attendance: see models.py, services.py and views.py."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.attendance import models, views  # noqa: F401  (models must be known to Alembic)

    app.register_blueprint(views.bp)
