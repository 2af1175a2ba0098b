"""Accounts: signing in, passwords and profiles."""
from __future__ import annotations

from flask import Flask

from portal.extensions import db, login_manager


def init_app(app: Flask) -> None:
    from portal.auth import admin_views, cli, lifetimes, two_factor_views, views  # noqa: F401  (routes)
    from portal.auth.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        """Tokens are 'id:session_version'; an older version means the session was ended."""
        user_id, _, version = token.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user

    lifetimes.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)  # site admins' account repairs
    app.cli.add_command(cli.users)
