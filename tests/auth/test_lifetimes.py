"""Sessions end after a while without activity, and after an absolute limit."""
from __future__ import annotations

import time

from tests.conftest import login


def _shift(monkeypatch, seconds):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def test_idle_session_ends_and_returns_to_where_you_were(client, learner, monkeypatch):
    login(client, learner.email)
    assert client.get("/home").status_code == 200
    _shift(monkeypatch, 2 * 3600 + 5)
    response = client.get("/course/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/course/")
    assert "signed out after a while" in client.get("/login").get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_activity_keeps_a_session_alive_until_the_absolute_limit(client, learner, monkeypatch):
    login(client, learner.email)
    real = time.time
    for hours in range(1, 12):
        monkeypatch.setattr(time, "time", lambda h=hours: real() + h * 3600)
        assert client.get("/home").status_code == 200, hours
    monkeypatch.setattr(time, "time", lambda: real() + 12 * 3600 + 120)
    assert client.get("/home").status_code == 302


def test_remember_me_outlasts_idleness_and_its_cookie_lasts_fourteen_days(client, learner, monkeypatch):
    response = login(client, learner.email, remember="y")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = client.get_cookie("remember_token").expires
    assert 13.9 * 86400 < expires.timestamp() - time.time() <= 14 * 86400 + 5
    _shift(monkeypatch, 5 * 3600)
    assert client.get("/home").status_code == 200
