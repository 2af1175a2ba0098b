"""The private reflective journal: each entry is its author's alone unless they share it (issue 14)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.journal import models, views  # noqa: F401  (models must be known to Alembic)
    from portal.journal import copy_views, sharing_views  # noqa: F401  (its routes join the journal blueprint)

    app.register_blueprint(views.bp)
