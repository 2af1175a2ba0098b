"""The cohort dashboard, learners' own progress and the facilitators' CSV downloads (views.py)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.dashboard import models, snapshot, views  # noqa: F401  (the table and the refresh task)

    app.register_blueprint(views.bp)
