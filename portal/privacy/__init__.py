"""Members' data rights (issue 16): "my data" export, erasure, and retention of finished cohorts."""
from __future__ import annotations

from flask import Flask

from portal.config import ConfigError


def init_app(app: Flask) -> None:
    # models for Alembic; export and retention declare queue tasks the worker must know
    from portal.privacy import export, models, retention, views  # noqa: F401
    from portal.privacy.erasure import POLICIES

    if app.config["ERASURE_POLICY"] not in POLICIES:
        raise ConfigError(f"PORTAL_ERASURE_POLICY must be 'replace' or 'keep', not {app.config['ERASURE_POLICY']!r}.")
    try:
        retention.check_months(app.config["RETENTION_MONTHS"])
    except Exception as e:
        raise ConfigError(f"PORTAL_RETENTION_MONTHS: {getattr(e, 'message', e)}") from None
    app.config["RETENTION_MONTHS"] = retention.check_months(app.config["RETENTION_MONTHS"])
    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.cli.add_command(retention.retention_cli)
