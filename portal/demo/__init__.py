"""Demo data, added only by `flask demo seed`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.demo import cli

    app.cli.add_command(cli.demo)
