"""Two-factor sign-in with time-based codes (RFC 6238) and single-use recovery codes."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

import pyotp
import segno

from portal.auth.models import User
from portal.dates import utcnow
from portal.errors import RuleViolation
from portal.extensions import db

ISSUER = "Cohort Portal"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning(user: User, secret: str) -> tuple[str, str]:
    """The otpauth:// address for authenticator apps, and a QR code of it as an SVG data URI."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return uri, segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def _step(secret: str, code: str) -> int | None:
    """The time step a 6-digit code belongs to (allowing one step of clock drift), or None."""
    # Digits of any script as ASCII ('١٢٣' is 123); isdigit() alone let '²' through to compare_digest, which
    # raises on anything but ASCII.
    code = "".join(str(d) for d in (unicodedata.decimal(ch, None) for ch in code) if d is not None)
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for drift in (0, -1, 1):
        at = now.timestamp() + drift * totp.interval
        if hmac.compare_digest(totp.at(at), code):
            return int(at // totp.interval)
    return None


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn on two-factor sign-in once a code from the new secret checks out; returns recovery codes."""
    step = _step(secret, code)
    if step is None:
        raise RuleViolation("That code didn't match. Check the time on your phone is right and try the newest code.")
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    user.recovery_codes = [_digest(c) for c in codes]
    db.session.commit()
    return codes


def verify(user: User, code: str) -> bool:
    """Check a sign-in code: a current TOTP code not used before, or an unused recovery code (used up)."""
    if not user.has_two_factor:
        return False
    step = _step(user.totp_secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replayed
        user.totp_last_step = step
        db.session.commit()
        return True
    digest = _digest(code)
    remaining = list(user.recovery_codes or [])
    if any(hmac.compare_digest(digest, d) for d in remaining):
        user.recovery_codes = [d for d in remaining if d != digest]
        db.session.commit()
        return True
    return False


def disable(user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = user.recovery_codes = None
    db.session.commit()
