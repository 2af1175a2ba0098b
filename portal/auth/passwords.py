"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")

PASSWORD_MIN = 10
PASSWORD_MAX = 1024


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def weakness(password: str, *, user_inputs: list[str] = ()) -> str | None:
    """Why a new password is too easy to guess, or None. zxcvbn knows the 30,000 most common passwords,
    keyboard patterns, repeats and dates, and penalises the person's own name and email."""
    result = zxcvbn(password[:64], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= 2:
        return None
    hint = result["feedback"].get("warning") or "It would be easy to guess."
    return f"Choose a password that is harder to guess. {hint} A few unrelated words work well."
