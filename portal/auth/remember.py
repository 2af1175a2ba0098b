"""Keep me signed in: a cookie that stands in for the password, for 14 days from when it was typed.

Flask-Login's own remember cookie carries no time, so only the browser enforced its expiry, and its
"clear the cookie" instruction lived in the session that signing out empties. This cookie is signed and
holds the account token (id:session_version, so signing out everywhere or a new password ends it) and
the time the password was typed; the server refuses it once REMEMBER_COOKIE_DURATION has passed, and
a session restored from it ends at that same moment (lifetimes.py).

It never stands in for the second step: for an account with two-factor sign-in it only skips the
password, and the code is asked again. Facilitators and admins see what a whole cohort has shared, so a
copied cookie must not be enough to get in; a code from the app is a small price once a day or so.
"""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, redirect, request, url_for
from flask_login import current_user, login_user
from itsdangerous import BadSignature, URLSafeSerializer

from portal.auth.models import User, user_for_login_token

_SALT = "portal.remember"
_SET, _FORGET = "portal_remember_set", "portal_remember_forget"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _name() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")


def _lifetime() -> int:
    return int(current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds())


def remember(user: User, since: int) -> None:
    """Set the cookie on this response; `since` is when the password was typed."""
    g.pop(_FORGET, None)
    setattr(g, _SET, (user.get_id(), int(since)))


def forget() -> None:
    """Clear the cookie on this response (whatever happens to the session)."""
    g.pop(_SET, None)
    setattr(g, _FORGET, True)


def _read() -> tuple[User, int] | None:
    value = request.cookies.get(_name())
    if not value:
        return None
    try:
        data = _serializer().loads(value)
    except BadSignature:
        data = None
    now = time.time()
    valid = (isinstance(data, dict) and isinstance(data.get("u"), str) and isinstance(data.get("t"), int)
             and now - _lifetime() < data["t"] <= now + 60)
    user = user_for_login_token(data["u"]) if valid else None
    if user is None or not user.is_active:
        forget()
        return None
    return user, data["t"]


def _restore():
    """Before anything else looks at who is signed in: a remembered person gets their session back."""
    if request.endpoint in (None, "static") or current_user.is_authenticated:
        return None
    found = _read()
    if found is None:
        return None
    user, since = found
    if user.has_two_factor:
        from portal.auth.two_factor_views import begin
        from portal.permissions import PUBLIC, rule_of

        rule = rule_of(current_app.view_functions[request.endpoint])
        if rule is None or rule.level == PUBLIC:
            return None  # public pages (the code step itself, sign-in for someone else) stay as they are
        begin(user, remember=True, since=since)
        flash("Welcome back. Please enter the code from your authenticator app to carry on.", "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.two_factor_login", next=target))
    from portal.auth import lifetimes

    login_user(user)
    lifetimes.start(remember=True, since=since)
    return None


def _write(response):
    name, cfg = _name(), current_app.config
    options = {"path": cfg.get("REMEMBER_COOKIE_PATH", "/"), "domain": cfg.get("REMEMBER_COOKIE_DOMAIN"),
               "secure": bool(cfg.get("REMEMBER_COOKIE_SECURE")), "httponly": True,
               "samesite": cfg.get("REMEMBER_COOKIE_SAMESITE", "Lax")}
    if (issue := g.get(_SET)) is not None:
        token, since = issue
        response.set_cookie(name, _serializer().dumps({"u": token, "t": since}),
                            expires=since + _lifetime(), **options)
    elif g.get(_FORGET) and name in request.cookies:
        response.delete_cookie(name, **options)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_write)
    # First of all request hooks, so that access checks see the restored session.
    app.before_request_funcs.setdefault(None, []).insert(0, _restore)
