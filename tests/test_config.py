"""Configuration: defaults, instance file, PORTAL_* variables, production refusals."""
from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from portal.config import ConfigError


def test_secret_key_is_generated_once_with_owner_only_permissions(fresh_app, tmp_path):
    first = fresh_app()
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    second = fresh_app()
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_portal_environment_variables_override_defaults(fresh_app, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-the-environment-" + "x" * 20)
    monkeypatch.setenv("PORTAL_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE_URI", "memory://")
    app = fresh_app(DATABASE_URL=None)
    assert app.config["SECRET_KEY"].startswith("from-the-environment-")
    assert app.config["MAIL_SERVER"] == "smtp.example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/portal.sqlite3")
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    assert fresh_app().config["SQLALCHEMY_DATABASE_URI"].endswith("elsewhere.sqlite3")


def test_instance_config_file_is_read(fresh_app, tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text('MAIL_DEFAULT_SENDER = "Course team <team@example.org>"\n')
    assert fresh_app().config["MAIL_DEFAULT_SENDER"] == "Course team <team@example.org>"


def test_production_refuses_to_start_without_a_secret(fresh_app, tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        fresh_app(ENV_NAME="production")
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_production_refuses_to_start_in_debug_mode(fresh_app, tmp_path):
    with pytest.raises(ConfigError, match="debug"):
        fresh_app(ENV_NAME="production", DEBUG=True, SECRET_KEY="s" * 40)


def test_production_sets_secure_cookies(fresh_app, tmp_path):
    app = fresh_app(ENV_NAME="production", SECRET_KEY="s" * 40, BASE_URL="https://portal.example.org")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/login", base_url="https://portal.example.org")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_database_connections_are_set_up_for_safe_concurrent_use(app, db):
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        else:  # PostgreSQL: text is stored as UTF-8 and read committed is the isolation in use
            assert conn.execute(text("SHOW server_encoding")).scalar() == "UTF8"
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"


def test_an_unknown_time_zone_is_refused(fresh_app):
    with pytest.raises(ConfigError, match="time zone"):
        fresh_app(TIMEZONE="Mars/Olympus")


def test_rate_limits_use_redis_when_it_is_configured(tmp_path):
    from flask import Flask

    from portal.config import load_config

    def storage(**overrides):
        app = Flask("portal", instance_path=str(tmp_path / "instance"))
        load_config(app, overrides)
        return app.config["RATELIMIT_STORAGE_URI"]

    assert storage() == "memory://"
    assert storage(REDIS_URL="redis://127.0.0.1:6379/3") == "redis://127.0.0.1:6379/3"
    assert storage(REDIS_URL="redis://a/1", RATELIMIT_STORAGE_URI="memory://") == "memory://"


def test_behind_a_proxy_the_real_address_is_used(fresh_app):
    app = fresh_app(PROXY_COUNT=1)
    seen = []

    @app.get("/_test/addr")
    def addr():
        from flask import request
        seen.append((request.remote_addr, request.scheme))
        return "ok"

    from portal.permissions import PUBLIC, access
    access(PUBLIC)(app.view_functions["addr"])
    app.test_client().get("/_test/addr", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == [("203.0.113.9", "https")]
