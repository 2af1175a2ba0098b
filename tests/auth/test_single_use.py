"""Single-use secrets are claimed once in the database, even when several requests use one at the same moment.

Each test sends the same secret from four browsers at once, in threads, each request with its own database
session (as separate app processes would have). Every request reads the account before any of them writes
(the form check is slowed down to make sure), so only an atomic claim in the database lets exactly one in.
Run on SQLite and on PostgreSQL (PORTAL_TEST_DATABASE_URL).
"""
from __future__ import annotations

import time

import pyotp
import pytest
from flask_wtf import FlaskForm

from portal.auth import two_factor
from tests.conftest import PASSWORD, TOTP_SECRET, csrf_token, post_at_once

BROWSERS = 4


def _slow_form_checks(monkeypatch):
    real = FlaskForm.validate_on_submit

    def slow(self, *args, **kwargs):
        valid = real(self, *args, **kwargs)
        time.sleep(0.3)  # every request has read the account by now; none has written yet
        return valid
    monkeypatch.setattr(FlaskForm, "validate_on_submit", slow)


def _at_once(posts) -> list:
    return [r.status_code for r in post_at_once(posts)]


def _password_step(app, email):
    client = app.test_client()
    step = client.post("/login", data={"email": email, "password": PASSWORD,
                                       "csrf_token": csrf_token(client)}).headers["Location"]
    return client, step, csrf_token(client, step)


@pytest.mark.parametrize("kind", ["authenticator code", "recovery code"])
def test_one_code_sent_by_several_browsers_at_once_signs_in_once(app, db, make_user, monkeypatch, kind):
    user = make_user("race@example.org", two_factor=False)
    codes = two_factor.enable(user, TOTP_SECRET, pyotp.TOTP(TOTP_SECRET).now())
    user.totp_last_step = None  # as if set up a while ago: the current code is unused
    db.session.commit()
    code = pyotp.TOTP(TOTP_SECRET).now() if kind == "authenticator code" else codes[0]
    browsers = [_password_step(app, user.email) for _ in range(BROWSERS)]
    _slow_form_checks(monkeypatch)
    statuses = _at_once([(client, step, {"code": code, "csrf_token": token}) for client, step, token in browsers])
    monkeypatch.undo()
    assert sorted(statuses) == [302] + [422] * (BROWSERS - 1)
    assert [client.get("/home").status_code for client, _, _ in browsers].count(200) == 1


def test_one_reset_link_used_in_several_browsers_at_once_works_once(app, db, learner, monkeypatch):
    from portal.auth.tokens import make_reset_token
    token = make_reset_token(learner)
    url = f"/reset-password/{token}"
    browsers = []
    for n in range(BROWSERS):
        client = app.test_client()
        password = f"a brand new passphrase {n}"
        browsers.append((client, url, {"password": password, "confirm": password,
                                       "csrf_token": csrf_token(client, url)}))
    _slow_form_checks(monkeypatch)
    statuses = _at_once(browsers)
    monkeypatch.undo()
    assert sorted(statuses) == [302] + [410] * (BROWSERS - 1)
