"""Abuse limits for signing in and password resets.

Every key that names an account is built from `normal_email`, the same form the account lookup uses,
so no other spelling of an address (letter case, control characters, spaces) gets a limit of its own.
Keys hold a digest, never the address itself: rate-limit storage (Redis) sees no personal data.

Password guesses, per account:
- strict per (account, network address): RATELIMIT_LOGIN_ACCOUNT (10 per 15 minutes). Someone
  guessing from one place is stopped quickly, and can only ever lock out themselves, never the owner
  signing in from elsewhere;
- a ceiling per account over every address: RATELIMIT_LOGIN_ACCOUNT_ALL (100 per hour). It stops
  guessing spread over many addresses (2,400 guesses a day at most, against passwords that zxcvbn
  rates hard to guess), and is well above what one address can send (40 an hour under the strict
  limit), so a single attacker cannot use it to lock a facilitator out.
Only refused attempts count: signing in correctly never uses up anyone's limit.
"""
from __future__ import annotations

import hashlib

from flask import current_app, request, session
from flask_limiter.util import get_remote_address

from portal.auth.models import normal_email


def _account() -> str:
    value = request.form.get("email") or ""
    return hashlib.sha256(normal_email(value).encode()).hexdigest()[:32]


def account_key() -> str:
    return "acct:" + _account()


def account_and_address_key() -> str:
    return f"acct-ip:{_account()}:{get_remote_address()}"


def pending_account_key() -> str:
    """The account half-way through signing in (from the signed session), with its session version:
    a new password (which ends the pending step of whoever knew the old one) starts a fresh count."""
    from portal.auth.two_factor_views import PENDING

    pending = session.get(PENDING) or {}
    return f"2fa:{pending.get('id')}" if pending.get("id") else f"2fa-ip:{get_remote_address()}"


def refused(response) -> bool:
    """Count an attempt only when it was refused (a form shown again), never a successful sign-in."""
    return response.status_code == 422


def login() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def login_account() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def login_account_all() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT_ALL"]


def two_factor() -> str:
    return current_app.config["RATELIMIT_TWO_FACTOR"]


def reset() -> str:
    return current_app.config["RATELIMIT_RESET"]
