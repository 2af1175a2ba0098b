"""Remember me: the server, not the browser, decides when the 14 days are up; signing out clears the cookie;
the cookie stands in for the password only, never for the second step."""
from __future__ import annotations

import time

import pyotp

from portal.dates import utcnow
from tests.conftest import TOTP_SECRET, csrf_token, fresh_totp_code, login

DAY = 86400


def _shift(monkeypatch, seconds):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def _cookie_only(app, client):
    """A browser holding nothing but the remember cookie (as someone who copied it would)."""
    other = app.test_client()
    other.set_cookie("remember_token", client.get_cookie("remember_token").value)
    return other


def test_the_cookie_restores_a_session_within_fourteen_days(app, client, learner, monkeypatch):
    login(client, learner.email, remember="y")
    _shift(monkeypatch, 13 * DAY)
    assert _cookie_only(app, client).get("/home").status_code == 200


def test_the_server_refuses_a_cookie_older_than_fourteen_days(app, client, learner, monkeypatch):
    login(client, learner.email, remember="y")
    _shift(monkeypatch, 14 * DAY + 60)
    holder = _cookie_only(app, client)
    assert holder.get("/home").status_code == 302
    assert holder.get_cookie("remember_token") is None  # the dead cookie is cleared too


def test_a_restored_session_ends_fourteen_days_after_the_password_was_typed(app, client, learner, monkeypatch):
    login(client, learner.email, remember="y")
    _shift(monkeypatch, 13 * DAY)
    holder = _cookie_only(app, client)
    assert holder.get("/home").status_code == 200
    monkeypatch.undo()
    _shift(monkeypatch, 14 * DAY + 60)
    assert holder.get("/home").status_code == 302


def test_signing_out_at_the_end_of_the_lifetime_clears_the_remember_cookie(client, learner, monkeypatch):
    login(client, learner.email, remember="y")
    _shift(monkeypatch, 14 * DAY + 60)
    response = client.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get_cookie("remember_token") is None
    with client.session_transaction() as s:
        assert "_user_id" not in s
    assert client.get("/home").status_code == 302


def test_signing_out_clears_the_remember_cookie(client, learner, auth):
    login(client, learner.email, remember="y")
    auth.logout()
    assert client.get_cookie("remember_token") is None


def test_signing_in_without_remember_me_clears_an_older_cookie(app, client, learner, make_user):
    login(client, learner.email, remember="y")
    other = make_user("next-person@example.org")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/home")})
    client.set_cookie("remember_token", "left-over")
    login(client, other.email)
    assert client.get_cookie("remember_token") is None


def test_the_cookie_never_skips_the_second_step(app, client, facilitator, monkeypatch):
    login(client, facilitator.email, remember="y")
    issued = client.get_cookie("remember_token").expires
    _shift(monkeypatch, 3 * DAY)
    holder = _cookie_only(app, client)
    response = holder.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login/two-factor")
    step = response.headers["Location"]
    assert "Welcome back" in holder.get(step).get_data(as_text=True)
    assert holder.get("/account").status_code == 302  # not signed in
    fresh_totp_code(facilitator.email)
    code = pyotp.TOTP(TOTP_SECRET).at(utcnow())  # pyotp's now() would follow the shifted clock
    response = holder.post(step, data={"code": code, "csrf_token": csrf_token(holder, step)})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert holder.get("/home").status_code == 200
    # The code renewed the session, not the fourteen days: the cookie ends when the first one did.
    assert abs(holder.get_cookie("remember_token").expires.timestamp() - issued.timestamp()) < 5


def test_public_pages_do_not_push_a_remembered_facilitator_into_the_second_step(app, client, facilitator):
    login(client, facilitator.email, remember="y")
    holder = _cookie_only(app, client)
    assert holder.get("/login").status_code == 200  # someone else can still sign in on this device
