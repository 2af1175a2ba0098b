"""Configuration: defaults here, then instance/config.py, then PORTAL_* variables, then the caller's."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",  # "production" switches on the strict checks below
    "DATABASE_URL": None,  # None: SQLite at instance/portal.sqlite3
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "portal_session",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # absolute limit of a signed-in session
    "SESSION_IDLE_TIMEOUT": 2 * 3600,  # seconds without a request before signing out (not with remember me)
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: a long essay must not expire its token
    "PASSWORD_RESET_MAX_AGE": 3600,  # seconds
    "MAIL_SERVER": None,  # None: messages go to instance/outbox/ as .eml files
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Cohort Portal <portal@localhost>",
    "MAIL_OUTBOX": None,  # None: instance/outbox
    "MAIL_TIMEOUT": 30,  # seconds the SMTP server may take to answer each step before the attempt counts as failed
    "MAIL_LEASE_SECONDS": 300,  # a worker's claim on a message; if it dies mid-delivery, another sends it after this
    "MAIL_MAX_ATTEMPTS": 10,  # then the message is marked failed (site admins see it and can try again)
    "MAIL_RETRY_BASE_SECONDS": 60,  # the pause after a failed attempt, doubling each time ...
    "MAIL_RETRY_MAX_SECONDS": 4 * 3600,  # ... up to this (10 attempts span about 8 hours)
    "MAIL_LATE_MINUTES": 15,  # unsent this long: listed for site admins as waiting too long
    "REDIS_URL": None,  # shared state for several app processes: rate limits, the task queue
    "QUEUE_PATH": None,  # None: instance/queue.sqlite3 (the task queue's storage when there is no Redis)
    # True: tasks run at once in the calling process (no consumer needed). None: False in production (a
    # `flask queue worker` runs them), True otherwise; `make run` sets it off and starts a consumer.
    "QUEUE_IMMEDIATE": None,
    "STORAGE_PATH": None,  # None: instance/storage. Uploaded files; one folder shared by every app process
    "RATELIMIT_STORAGE_URI": None,  # None: REDIS_URL when set, else memory:// (one process only)
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_LOGIN": "10 per minute; 50 per hour",
    "RATELIMIT_LOGIN_ACCOUNT": "10 per 15 minutes",  # per account and address (portal/auth/limits.py)
    "RATELIMIT_LOGIN_ACCOUNT_ALL": "100 per hour",  # per account, over every address
    "RATELIMIT_TWO_FACTOR": "10 per 15 minutes; 50 per day",  # codes per account, over every address
    "RATELIMIT_RESET": "5 per 15 minutes",
    "RATELIMIT_POST": "30 per minute; 300 per hour",  # per person: new threads and replies
    "RATELIMIT_INVITE": "100 per hour",  # per person: invitations sent, CSV lists checked
    "POSTS_PER_PAGE": 50,
    "COHORT_SIZE_WARNING": 20,  # a CSV preview warns when it would take a cohort past this many people
    "FLAG_HIDE_THRESHOLD": 3,
    # Course evaluation: results (totals, free text) show once this many people have answered; never below 3
    "EVALUATION_MIN_ANSWERS": 5,
    "EVALUATION_OPEN_DAYS": 14,  # an evaluation closes at the end of this many days after its session's date  # flags from this many different members hide an item until a facilitator looks
    # How often (seconds) each process asks whether a site admin saved a new safety-word list; None: never
    # (only saves in this process count: the tests)
    "SAFETY_PHRASES_RECHECK_SECONDS": 5,
    "CONTENT_DIR": None,  # None: content/ beside the portal package
    "TIMEZONE": "Europe/London",  # the course's zone: session times are entered and shown in it
    "PREFERRED_URL_SCHEME": "http",
    "PROXY_COUNT": 0,  # reverse proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted
    "BASE_URL": None,  # where people reach the portal; every emailed link starts with it. Required in production
    "TRUSTED_HOSTS": None,  # more host names to answer besides the base URL's (requests for others get 400)
    # Data rights (portal/privacy/): what erasure does with posts, responses and feedback ("replace": the words
    # become "Removed at the member's request"; "keep": they stay under "A former member"), how long a finished
    # cohort's content is kept, and how many days a "my data" download stays available.
    "ERASURE_POLICY": "replace",
    "RETENTION_MONTHS": 12,
    "DATA_EXPORT_DAYS": 7,
}

DEV_BASE_URL = "http://127.0.0.1:5000"  # where `make run` serves
DEV_HOSTS = ("localhost", "127.0.0.1")

def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config in order of precedence and check it is safe to run."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if overrides:
        app.config.from_mapping(overrides)
    _derive(app)
    _check(app)


def _derive(app: Flask) -> None:
    cfg = app.config
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = cfg.get("SQLALCHEMY_DATABASE_URI") or cfg.get("DATABASE_URL")
    cfg["SQLALCHEMY_DATABASE_URI"] = url or f"sqlite:///{instance / 'portal.sqlite3'}"
    cfg.setdefault("MAIL_OUTBOX", None)
    cfg["MAIL_OUTBOX"] = cfg["MAIL_OUTBOX"] or str(instance / "outbox")
    cfg["CONTENT_DIR"] = cfg["CONTENT_DIR"] or str(Path(app.root_path).parent / "content")
    cfg["STORAGE_PATH"] = cfg["STORAGE_PATH"] or str(instance / "storage")
    cfg["RATELIMIT_STORAGE_URI"] = cfg["RATELIMIT_STORAGE_URI"] or cfg["REDIS_URL"] or "memory://"
    if cfg.get("QUEUE_IMMEDIATE") is None:
        cfg["QUEUE_IMMEDIATE"] = cfg["ENV_NAME"] != "production"
    if cfg["ENV_NAME"] == "production":
        cfg["SESSION_COOKIE_SECURE"] = True
        cfg["REMEMBER_COOKIE_SECURE"] = True
        cfg["PREFERRED_URL_SCHEME"] = "https"
    elif not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    _derive_hosts(cfg)


def _derive_hosts(cfg) -> None:
    """The base URL (development: `make run`'s address) and the hosts allowed in the Host header: the base
    URL's, any configured, and loopback in development. Flask answers 400 to a request for any other."""
    production = cfg["ENV_NAME"] == "production"
    base = str(cfg.get("BASE_URL") or ("" if production else DEV_BASE_URL)).strip().rstrip("/")
    cfg["BASE_URL"] = base or None
    extra = cfg.get("TRUSTED_HOSTS") or []
    if isinstance(extra, str):
        extra = extra.replace(",", " ").split()
    hosts = [*extra, urlsplit(base).hostname or "", *([] if production else DEV_HOSTS)]
    cfg["TRUSTED_HOSTS"] = list(dict.fromkeys(h.strip().lower() for h in hosts if h and h.strip()))


def _check(app: Flask) -> None:
    cfg = app.config
    try:
        ZoneInfo(cfg["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"Unknown time zone {cfg['TIMEZONE']!r}: use a name like Europe/London.") from None
    _check_evaluation(cfg)
    production = cfg["ENV_NAME"] == "production"
    if float(cfg["MAIL_LEASE_SECONDS"]) < 4 * float(cfg["MAIL_TIMEOUT"]):
        raise ConfigError("PORTAL_MAIL_LEASE_SECONDS must be at least 4 times PORTAL_MAIL_TIMEOUT: a slow but "
                          "working delivery must not lose its claim to another worker (that would send it twice).")
    if cfg["BASE_URL"]:
        _check_base_url(cfg["BASE_URL"], production)
    if not production:
        return
    if app.debug:
        raise ConfigError("Refusing to start: debug mode is on in production.")
    if not cfg.get("SECRET_KEY") or len(str(cfg["SECRET_KEY"])) < 32:
        raise ConfigError("Refusing to start: set PORTAL_SECRET_KEY (32 characters or more) in production.")
    if not cfg["BASE_URL"]:
        raise ConfigError("Refusing to start: set PORTAL_BASE_URL (like https://portal.example.org) in production: "
                          "links in emails are built from it.")


EVALUATION_FLOOR = 3  # fewer answers than this could point to a person, whatever the setting says


def _check_evaluation(cfg) -> None:
    least, days = cfg["EVALUATION_MIN_ANSWERS"], cfg["EVALUATION_OPEN_DAYS"]
    if not isinstance(least, int) or isinstance(least, bool) or least < EVALUATION_FLOOR:
        raise ConfigError(f"PORTAL_EVALUATION_MIN_ANSWERS must be a whole number of at least {EVALUATION_FLOOR}: "
                          "fewer answers could point to the person who wrote them.")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise ConfigError("PORTAL_EVALUATION_OPEN_DAYS must be a whole number of days from 1 to 365.")


def _check_base_url(base: str, production: bool) -> None:
    parts = urlsplit(base)
    schemes = ("https",) if production else ("http", "https")
    if parts.scheme not in schemes or not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
        raise ConfigError(f"PORTAL_BASE_URL {base!r} is not an address like "
                          f"{'https' if production else 'http'}://portal.example.org"
                          f"{' (https in production)' if production else ''}.")


def _instance_secret(path: Path) -> str:
    """Read the generated secret key, creating it once with owner-only permissions."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
