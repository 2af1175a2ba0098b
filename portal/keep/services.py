"""Keep rescued text for its author, and give it back once, to them only."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from portal.dates import utcnow
from portal.extensions import db
from portal.keep.models import KeptText


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keep_text(user_id: int, path: str, fields: dict[str, str], max_age: timedelta) -> str:
    """Store the fields for `user_id`; returns the token that finds them again. Expired ones go now."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.execute(_expired())
    db.session.add(KeptText(token_hash=_hash(token), user_id=user_id, path=path[:500], fields=fields,
                            created_at=now, expires_at=now + max_age))
    db.session.commit()
    return token


def take_text(token: str, user_id: int, path: str) -> dict[str, str] | None:
    """The fields kept under `token`, if they belong to this person and this form; they are then deleted."""
    kept = db.session.scalars(select(KeptText).where(KeptText.token_hash == _hash(token))).first()
    if kept is None or kept.user_id != user_id or kept.path != path:
        return None
    fields = dict(kept.fields) if kept.expires_at > utcnow() else None
    db.session.delete(kept)
    db.session.commit()
    return fields


def forget_expired() -> None:
    """Delete kept text past its time. Run whenever someone signs in (and text is kept), so nothing
    lingers after it could be given back."""
    db.session.execute(_expired())
    db.session.commit()


def _expired():
    return delete(KeptText).where(KeptText.expires_at < utcnow())
