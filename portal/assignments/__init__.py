"""The two assignments: due dates, extensions, submissions with receipts and versions, marking and release."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.assignments import models  # noqa: F401  (models must be known to Alembic)
