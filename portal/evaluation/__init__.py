"""Course evaluation: forms from content/evaluation/, anonymous answers, results as totals only."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.evaluation import models, views  # noqa: F401  (models must be known to Alembic)

    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
