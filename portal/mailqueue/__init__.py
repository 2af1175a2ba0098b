"""Mail delivered by a worker process: `flask worker` (PORTAL_MAIL_DELIVERY=worker)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.mailqueue import cli, models  # noqa: F401  (models must be known to Alembic)

    app.cli.add_command(cli.worker)
