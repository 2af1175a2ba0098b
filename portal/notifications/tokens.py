"""Signed one-click unsubscribe links: the person, the kind (or a digest) and a nonce, so each link works once."""
from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "portal.notifications.unsubscribe"
MAX_AGE = 90 * 24 * 3600  # a link in an old email still works for three months


class LinkProblem(Exception):
    def __init__(self, why: str):  # "expired" | "invalid"
        super().__init__(why)
        self.why = why


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind, "n": secrets.token_hex(8)})


def read_token(token: str) -> tuple[int, str, str]:
    """(user id, kind, nonce), or LinkProblem."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except SignatureExpired as e:
        raise LinkProblem("expired") from e
    except BadSignature as e:
        raise LinkProblem("invalid") from e
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str) \
            or not isinstance(data.get("n"), str):
        raise LinkProblem("invalid")
    return data["u"], data["k"], data["n"]
