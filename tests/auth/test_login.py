"""Signing in and out."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from portal.auth.models import User
from tests.conftest import PASSWORD, csrf_token, login

GENERIC = "Enter a correct email address and password"


def test_sign_in_goes_home_and_shows_my_name(client, learner):
    response = login(client, learner.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert "Lee Learner" in client.get("/home").get_data(as_text=True)


def test_email_is_matched_whatever_its_letter_case(client, learner):
    assert login(client, "  LEARNER@Example.ORG ").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, learner):
    wrong = login(client, learner.email, "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    for response in (wrong, unknown):
        body = response.get_data(as_text=True)
        assert GENERIC in body
        assert "There is a problem" in body
        assert "<title>Error: Sign in" in body
    assert client.get("/home").status_code == 302  # still signed out


def test_typed_email_is_kept_when_sign_in_fails(client, learner):
    body = login(client, learner.email, "nope").get_data(as_text=True)
    assert f'value="{learner.email}"' in body


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user("gone@example.org", active=False)
    response = login(client, user.email)
    assert response.status_code == 422 and GENERIC in response.get_data(as_text=True)


@pytest.mark.parametrize("email,password,message", [
    ("", PASSWORD, "Enter your email address"),
    ("not-an-email", PASSWORD, "Enter an email address in the correct format"),
    ("a" * 250 + "@example.org", PASSWORD, "254 characters or fewer"),
    ("someone@example.org", "", "Enter your password"),
    ("someone@example.org", "p" * 1025, "1024 characters or fewer"),
    ("someone@example.org\x00", PASSWORD, GENERIC),  # control characters are dropped, never stored
])
def test_bad_input_gets_a_clear_message_and_no_sign_in(client, email, password, message):
    response = login(client, email, password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_form_errors_are_tied_to_their_fields(client):
    body = login(client, "", "").get_data(as_text=True)
    assert 'aria-describedby="email-error"' in body
    assert 'id="email-error"' in body
    assert 'href="#email"' in body
    assert 'aria-invalid="true"' in body


def test_sign_in_starts_a_fresh_session(client, learner):
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    login(client, learner.email)
    with client.session_transaction() as s:
        assert "planted" not in s
        assert s["_user_id"] == f"{learner.id}:{learner.session_version}"


@pytest.mark.parametrize("target,expected", [
    ("/course/", "/course/"),
    ("https://evil.example/", "/home"),
    ("//evil.example/", "/home"),
    ("/\\evil.example", "/home"),
    ("javascript:alert(1)", "/home"),
])
def test_next_only_goes_to_this_site(client, learner, target, expected):
    token = csrf_token(client)
    response = client.post(f"/login?next={target}", data={
        "email": learner.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == expected


def test_signed_out_visitor_is_sent_to_sign_in_and_back(client, learner):
    response = client.get("/course/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_remember_me_sets_a_long_lived_cookie(client, learner):
    login(client, learner.email, remember="y")
    assert client.get_cookie("remember_token") is not None


def test_sign_out_needs_a_post_and_ends_the_session(client, learner, auth):
    auth.login(learner)
    assert client.get("/logout").status_code == 405
    assert client.get("/home").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/home").status_code == 302


def test_sign_out_without_csrf_token_is_refused(client, learner, auth):
    auth.login(learner)
    assert client.post("/logout").status_code == 400
    assert client.get("/home").status_code == 200


def test_older_password_hash_is_upgraded_on_sign_in(client, db, make_user):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    user = make_user("old@example.org")
    user.password_hash = weak
    db.session.commit()
    assert login(client, user.email).status_code == 302
    db.session.expire_all()
    refreshed = db.session.get(User, user.id)
    assert refreshed.password_hash != weak
    assert refreshed.last_login_at is not None


def test_sign_in_is_rate_limited_per_address_with_a_friendly_page(app, client, learner):
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    try:
        for _ in range(3):
            assert login(client, learner.email, "wrong password").status_code == 422
        response = login(client, learner.email, PASSWORD)
    finally:
        app.config["RATELIMIT_LOGIN"] = "10000 per minute"
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Please wait a moment" in response.get_data(as_text=True)


def test_sign_in_is_rate_limited_per_account(app, learner):
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "2 per minute"
    try:
        statuses = []
        for n in range(3):  # a fresh client each time: different sessions, same account
            client = app.test_client()
            statuses.append(login(client, learner.email, f"guess {n}").status_code)
        other = login(app.test_client(), "someone-else@example.org", "guess").status_code
    finally:
        app.config["RATELIMIT_LOGIN_ACCOUNT"] = "10000 per minute"
    assert statuses == [422, 422, 429]
    assert other == 422


def test_signing_out_ends_every_session_and_remember_me_token(app, client, learner, auth):
    other_device = app.test_client()
    login(other_device, learner.email, remember="y")
    assert other_device.get("/home").status_code == 200
    auth.login(learner)
    auth.logout()
    assert other_device.get("/home").status_code == 302
    with other_device.session_transaction() as s:
        s.clear()  # only the remember-me cookie is left: it must be dead too
    assert other_device.get("/home").status_code == 302
