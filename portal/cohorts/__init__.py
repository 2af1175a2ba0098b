"""Cohorts: groups of learners and facilitators taking the course together."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.cohorts import admin, display, manage, views

    app.add_template_filter(display.session_when)
    app.add_template_filter(display.session_place)

    for module in (views, manage, admin):
        app.register_blueprint(module.bp)
