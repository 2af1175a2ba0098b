"""Recovery codes: long, stored as argon2id, and codes issued before migration 0007 keep working once."""
from __future__ import annotations

import hashlib
import json

import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from portal.auth import two_factor
from portal.auth.models import RecoveryCode, User
from portal.extensions import db as _db
from tests.conftest import TOTP_SECRET, empty_database_url


def test_recovery_codes_are_long_and_stored_with_a_slow_salted_hash(db, make_user):
    user = make_user("codes@example.org", two_factor=False)
    codes = two_factor.enable(user, TOTP_SECRET, pyotp.TOTP(TOTP_SECRET).now())
    assert len(set(codes)) == 10
    assert all(len(c.replace("-", "")) >= 16 for c in codes)
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(hashlib.sha256(c.replace("-", "").encode()).hexdigest() in h for c in codes for h in stored)
    assert two_factor.verify(user, codes[0].upper().replace("-", " "))
    assert not two_factor.verify(user, codes[0])
    assert two_factor.recovery_codes_left(user) == 9


@pytest.mark.filterwarnings("ignore:autogenerate skipping", "ignore:Skipped unsupported reflection")
def test_codes_stored_before_the_migration_keep_working_once(fresh_app, tmp_path):
    old_codes = ["a1b2c3-d4e5f6", "0a0b0c-0d0e0f"]
    app = fresh_app(DATABASE_URL=empty_database_url(tmp_path, "recovery"), SECRET_KEY="x" * 40)
    with app.app_context():
        upgrade(revision="0006")
        with _db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (id, email, display_name, password_hash, is_site_admin, active, session_version, "
                "reset_stamp, created_at, updated_at, totp_secret, totp_enabled_at, recovery_codes) VALUES "
                "(1, 'old@example.org', 'Old', 'h', false, true, 1, 's', '2026-01-02 03:04:05', "
                "'2026-01-02 03:04:05', :secret, '2026-01-02 03:04:05', :codes)"),
                {"secret": TOTP_SECRET,
                 "codes": json.dumps([hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in old_codes])})
        upgrade()
        user = _db.session.get(User, 1)
        assert two_factor.recovery_codes_left(user) == 2
        assert two_factor.verify(user, "A1B2C3-D4E5F6")
        assert not two_factor.verify(user, "a1b2c3-d4e5f6")
        assert not two_factor.verify(user, "ffffff-ffffff")
        assert two_factor.recovery_codes_left(user) == 1
        _db.session.remove()
        _db.engine.dispose()
