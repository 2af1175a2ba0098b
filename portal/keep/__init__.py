"""Kept text: when a session ends while someone writes, what they typed is handed back, never lost."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.keep import models, rescue  # noqa: F401  (models for Alembic)

    rescue.init_app(app)
