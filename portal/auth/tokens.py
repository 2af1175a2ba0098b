"""Signed, time-limited, single-use password reset tokens."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.auth.models import User
from portal.extensions import db

_SALT = "portal.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "s": user.reset_stamp})


def user_for_reset_token(token: str) -> User | None:
    """The user a live token belongs to, or None if it is forged, expired or already used."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.is_active or data.get("s") != user.reset_stamp:
        return None
    return user
