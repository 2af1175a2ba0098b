"""Accounts: signing in, passwords and profiles."""
from __future__ import annotations

from flask import Flask

from portal.extensions import login_manager


def init_app(app: Flask) -> None:
    from portal.auth import admin_views, cli, lifetimes, remember, two_factor_views, views  # noqa: F401  (routes)
    from portal.auth.models import User, user_for_login_token

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        return user_for_login_token(token)

    lifetimes.init_app(app)
    remember.init_app(app)  # after lifetimes: its hook goes first, lifetimes' second
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)  # site admins' account repairs
    app.cli.add_command(cli.users)
