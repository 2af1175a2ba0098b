"""Idle and absolute session lifetimes, checked on every request."""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

_STARTED, _SEEN, _REMEMBER = "_portal_started", "_portal_seen", "_portal_remember"


def start(remember: bool, since: int | None = None) -> None:
    """Call right after login_user. `since`: when the password was typed (a session restored from the
    remember cookie counts from then, so it never outlasts the cookie's 14 days)."""
    from portal.auth import remember as remember_cookie

    now = int(time.time())
    session[_STARTED], session[_SEEN], session[_REMEMBER] = since or now, now, bool(remember)
    if not remember:
        remember_cookie.forget()  # an earlier person's cookie must not outlive this session on the device


def end() -> None:
    """Sign out on this device: the session and the remember cookie both go."""
    from portal.auth import remember

    logout_user()
    session.clear()
    remember.forget()  # after session.clear(), which would drop Flask-Login's own instruction


def _enforce_lifetimes():
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    cfg = current_app.config
    if _STARTED not in session:  # a session from before these checks: its clock starts now
        start(remember=False)
        return None
    remember = session.get(_REMEMBER, False)
    limit = cfg["REMEMBER_COOKIE_DURATION"] if remember else cfg["PERMANENT_SESSION_LIFETIME"]
    idle = now - session.get(_SEEN, now)
    if now - session[_STARTED] > limit.total_seconds() or (
            not remember and idle > cfg["SESSION_IDLE_TIMEOUT"]):
        end()
        flash("You were signed out after a while without activity, to keep your account safe. "
              "Please sign in again.", "info")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    if now - session.get(_SEEN, 0) > 60:  # don't rewrite the cookie on every click
        session[_SEEN] = now
    return None


def init_app(app: Flask) -> None:
    # Before the access checks, so an ended session is never half-used (remember.py goes first of all).
    app.before_request_funcs.setdefault(None, []).insert(0, _enforce_lifetimes)
