"""Two-factor sign-in with time-based codes (RFC 6238) and single-use recovery codes.

Both kinds of code work once, and that is decided by the database, not by what a request read earlier:
a conditional UPDATE claims the code, and only the request whose UPDATE changed a row gets in. So the
same code sent from several browsers (or app servers) at the same moment signs in once.

Recovery codes carry about 80 random bits and are stored as argon2id hashes. Codes issued before
migration 0007 (12 hex digits, stored as plain SHA-256) were re-hashed there as argon2id of that digest
("legacy:"), so they keep working until used, while a copy of the database no longer gives them away
to a quick brute-force search.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select, update

from portal.auth.models import RecoveryCode, User
from portal.dates import utcnow
from portal.errors import RuleViolation
from portal.extensions import db

ISSUER = "Cohort Portal"
RECOVERY_CODES = 10
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to read back from paper
_GROUPS, _GROUP = 4, 4  # 16 characters: log2(31) * 16 = 79 bits
_LEGACY = "legacy:"
# The codes are long random values, so the hash need not be as costly as a password's (OWASP minimum).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


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


def _normal(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(chars[i:i + _GROUP] for i in range(0, len(chars), _GROUP))


def _matches(stored: str, code: str) -> bool:
    try:
        if stored.startswith(_LEGACY):  # 12 hex digits, issued before 0007
            if len(code) != 12:
                return False
            return _hasher.verify(stored[len(_LEGACY):], hashlib.sha256(code.encode()).hexdigest())
        return len(code) == _GROUPS * _GROUP and _hasher.verify(stored, code)
    except (VerificationError, InvalidHashError):
        return False


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn on two-factor sign-in once a code from the new secret checks out; returns recovery codes."""
    step = _step(secret, code)
    if step is None:
        raise RuleViolation("That code didn't match. Check the time on your phone is right and try the newest code.")
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    user.recovery_codes = [RecoveryCode(code_hash=_hasher.hash(_normal(c))) for c in codes]
    db.session.commit()
    return codes


def _claim_step(user: User, step: int) -> bool:
    """Record the step as used, unless it (or a later one) already was: one request wins."""
    won = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return won


def _claim_recovery_code(user: User, code: str) -> bool:
    unused = db.session.execute(select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all()
    match = next((row.id for row in unused if _matches(row.code_hash, code)), None)
    if match is None:
        return False
    won = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.id == match, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return won


def verify(user: User, code: str) -> bool:
    """Check a sign-in code: a current TOTP code not used before, or an unused recovery code (used up)."""
    if not user.has_two_factor:
        return False
    step = _step(user.totp_secret, code)
    if step is not None:
        return _claim_step(user, step)
    normal = _normal(code)
    if len(normal) not in (12, _GROUPS * _GROUP):  # not shaped like a recovery code: no hashing work
        return False
    return _claim_recovery_code(user, normal)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def disable(user: User) -> None:
    clear(user)
    db.session.commit()


def clear(user: User) -> None:
    """Forget the authenticator and every recovery code, in the caller's unit of work."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
