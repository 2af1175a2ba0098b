"""Practice exercises: written in content/exercises/, loaded with the course (see loader.py)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.exercises import feedback_models, feedback_views, models, practice_views, response_models, views  # noqa: F401  (models must be known to Alembic)
    from portal.exercises import overview_views  # noqa: F401  (its routes join the exercises blueprint)

    app.register_blueprint(views.bp)
