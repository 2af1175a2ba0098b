"""Who may use what. Every view declares its access level; one hook enforces it for all."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, request
from flask_login import current_user

from portal.extensions import login_manager

F = TypeVar("F", bound=Callable)

PUBLIC = "public"  # anyone, signed in or not
USER = "user"  # any signed-in person
SITE_ADMIN = "site_admin"  # site administrators only; everyone else gets 404
LEVELS = (PUBLIC, USER, SITE_ADMIN)

_ATTR = "portal_access"


def access(level: str) -> Callable[[F], F]:
    """Declare who may use a view. Undeclared views answer 404 (fail closed)."""
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}")

    def mark(view: F) -> F:
        setattr(view, _ATTR, level)
        return view

    return mark


def access_of(view: Callable) -> str | None:
    return getattr(view, _ATTR, None)


def is_site_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_site_admin)


def init_app(app: Flask) -> None:
    app.view_functions["static"] = access(PUBLIC)(app.view_functions["static"])

    @app.before_request
    def enforce_access():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if view is None:
            return None  # routing will answer 404/405 itself
        level = access_of(view)
        if level == PUBLIC:
            return None
        if level is None:
            app.logger.error("View %s declares no access level", request.endpoint)
            abort(404)
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if level == SITE_ADMIN and not is_site_admin(current_user):
            abort(404)
        return None

    app.jinja_env.globals.update(is_site_admin=is_site_admin)
