"""Cohorts: groups of learners and facilitators taking the course together."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.cohorts import admin, display, manage, opening_models, opening_views, views  # noqa: F401

    app.add_template_filter(display.session_when)
    app.add_template_filter(display.session_place)

    for module in (views, manage, admin, opening_views):
        app.register_blueprint(module.bp)
