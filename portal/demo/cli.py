"""flask demo …"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.course.loader import ContentError
from portal.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo

demo = AppGroup("demo", help="Demo data for trying the portal.")


@demo.command("seed")
def seed() -> None:
    """Add the demo accounts and cohorts (only what is missing)."""
    try:
        result = seed_demo(Path(current_app.config["CONTENT_DIR"]))
    except ContentError as e:
        raise click.ClickException("The course content has problems:\n" + "\n".join(e.problems)) from None
    click.echo(f"Demo ready: {result['people']} demo accounts, {result['cohorts_created']} cohorts created.")
    click.echo(f"Demo password: {DEMO_PASSWORD}")
    click.echo(f"Demo TOTP secret (facilitators and admin): {DEMO_TOTP_SECRET}")
