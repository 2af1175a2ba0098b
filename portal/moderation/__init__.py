"""Facilitator moderation and safeguarding (issue 13). So far only the safety-words matcher
(portal/moderation/safety.py); the holding of posts, the queue and alerts come later and call it."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet: the matcher is pure and reads its list when first asked."""
