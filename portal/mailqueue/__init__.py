"""The mail outbox and its delivery on the task queue; `flask queue worker` runs the queue's consumer."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # models for Alembic; delivery declares the queue's tasks; dispatch hands new mail to the queue on commit
    from portal.mailqueue import admin, cli, delivery, dispatch, models  # noqa: F401

    app.cli.add_command(cli.queue_cli)
    app.register_blueprint(admin.bp)
