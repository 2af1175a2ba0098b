"""Password reset by an emailed, signed, time-limited, single-use link."""
from __future__ import annotations

import re
import time

import pytest

from portal.auth.models import User
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "a brand new passphrase"


def _request(client, email):
    return client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})


def _link(mail) -> str:
    match = re.search(r"http://localhost(/reset-password/\S+)", mail.get_content())
    assert match, mail.get_content()
    return match.group(1)


def _reset(client, path, password=NEW_PASSWORD, confirm=None):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": confirm or password, "csrf_token": token})


def test_known_and_unknown_addresses_get_the_same_answer(client, learner, outbox):
    known = _request(client, learner.email)
    unknown = _request(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace(learner.email, "X") == \
        unknown.get_data(as_text=True).replace("nobody@example.org", "X")
    mails = outbox()
    assert len(mails) == 1
    assert mails[0]["To"] == learner.email
    assert mails[0]["Subject"] == "Reset your Cohort Portal password"
    assert "within the next hour" in mails[0].get_content()


def test_link_sets_a_new_password_once(client, learner, outbox):
    _request(client, learner.email)
    path = _link(outbox()[0])
    assert client.get(path).status_code == 200
    response = _reset(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(client, learner.email, PASSWORD).status_code == 422
    assert login(client, learner.email, NEW_PASSWORD).status_code == 302
    auth_client = client.application.test_client()
    assert auth_client.get(path).status_code == 410  # used links are dead
    assert "no longer works" in auth_client.get(path).get_data(as_text=True)


def test_only_the_newest_link_works(client, learner, outbox):
    _request(client, learner.email)
    _request(client, learner.email)
    first, second = (_link(m) for m in outbox())
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_expired_link_is_refused(client, learner, outbox, monkeypatch):
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 2 * 3600)
    _request(client, learner.email)
    monkeypatch.setattr(time, "time", real_time)
    path = _link(outbox()[0])
    assert client.get(path).status_code == 410
    token = csrf_token(client, "/forgot-password")
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert response.status_code == 410
    assert login(client, learner.email, NEW_PASSWORD).status_code == 422


@pytest.mark.parametrize("token", ["forged", "eyJ1IjoxfQ.abc.def", "x" * 500])
def test_forged_links_are_refused(client, token):
    assert client.get(f"/reset-password/{token}").status_code == 410


def test_mismatched_or_short_passwords_are_explained(client, learner, outbox):
    _request(client, learner.email)
    path = _link(outbox()[0])
    mismatch = _reset(client, path, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 422
    assert "do not match" in mismatch.get_data(as_text=True)
    short = _reset(client, path, "short")
    assert short.status_code == 422 and "between 10 and 1024" in short.get_data(as_text=True)
    assert client.get(path).status_code == 200  # still usable after a refused try


def test_reset_signs_out_every_other_session(app, client, learner, outbox):
    other_device = app.test_client()
    assert login(other_device, learner.email).status_code == 302
    assert other_device.get("/home").status_code == 200
    _request(client, learner.email)
    _reset(client, _link(outbox()[0]))
    assert other_device.get("/home").status_code == 302


def test_deactivated_account_gets_no_mail(client, make_user, outbox):
    user = make_user("inactive@example.org", active=False)
    assert _request(client, user.email).status_code == 200
    assert outbox() == []


def test_requesting_a_reset_does_not_sign_anyone_out(app, client, learner, outbox, db):
    other_device = app.test_client()
    login(other_device, learner.email)
    _request(client, learner.email)
    assert other_device.get("/home").status_code == 200
    assert db.session.get(User, learner.id).password_hash  # unchanged account still usable


def test_reset_request_is_rate_limited(app, client, learner, outbox):
    app.config["RATELIMIT_RESET"] = "2 per minute"
    try:
        statuses = [_request(client, learner.email).status_code for _ in range(3)]
    finally:
        app.config["RATELIMIT_RESET"] = "10000 per minute"
    assert statuses == [200, 200, 429]
    assert len(outbox()) == 2
