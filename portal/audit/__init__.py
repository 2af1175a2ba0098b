"""The audit log: an append-only record of what site admins and facilitators did, and why.

Services call `record(...)` inside their own unit of work; the log is read on one site-admin page.
Nothing in the portal edits or deletes an event.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.audit import models, views  # noqa: F401  (models must be known to Alembic)

    models.guard_append_only()
    app.register_blueprint(views.bp)
    app.register_blueprint(views.cohort_bp)
