"""The two assignments: due dates, extensions, submissions with receipts and versions, marking and release."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.assignments import manage_views, models, views  # noqa: F401  (models must be known to Alembic)

    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.before_request_funcs.setdefault(None, []).insert(0, views.allow_upload)
