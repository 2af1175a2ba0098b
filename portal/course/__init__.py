"""The course, as described by the files in content/."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal import exercises
    from portal.course import cli, views

    app.register_blueprint(views.bp)
    exercises.init_app(app)  # exercises are loaded with the course, by the same command
    app.cli.add_command(cli.content)
