"""flask users …"""
from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from portal.auth import services
from portal.auth.passwords import PASSWORD_MIN, weakness
from portal.errors import RuleViolation

users = AppGroup("users", help="Manage accounts.")


@users.command("create-admin")
@click.option("--email", prompt="Email address")
@click.option("--name", prompt="Display name")
@click.password_option("--password", prompt="Password", help=f"At least {PASSWORD_MIN} characters.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create a site administrator."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as e:
        raise click.BadParameter(str(e), param_hint="--email") from None
    if len(password) < PASSWORD_MIN:
        raise click.BadParameter(f"must be at least {PASSWORD_MIN} characters", param_hint="--password")
    if len(password) >= PASSWORD_MIN and (problem := weakness(password, user_inputs=[email, name])):
        raise click.BadParameter(problem, param_hint="--password")
    if not name.strip():
        raise click.BadParameter("enter a name", param_hint="--name")
    try:
        services.create_user(email, name, password, is_site_admin=True)
    except RuleViolation as e:
        raise click.ClickException(e.message) from None
    click.echo(f"Created site administrator {email}.")
