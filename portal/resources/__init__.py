"""Session resources: the course's own (content/resources/) and each cohort's links and handouts."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.resources import models, views  # noqa: F401  (models must be known to Alembic)

    app.register_blueprint(views.bp)
    app.before_request_funcs.setdefault(None, []).insert(0, views.allow_upload)
