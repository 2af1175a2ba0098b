"""Sign-in and reset limits: keyed on the address the lookup uses, and nobody can lock another person out."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.conftest import PASSWORD, csrf_token, fresh_totp_code

GENERIC = "Enter a correct email address and password"


@contextmanager
def limits(app, **values):
    old = {k: app.config[k] for k in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


def attempt(app, email: str, password: str, ip: str = "127.0.0.1", path: str = "/login"):
    """One sign-in (or reset request) from a fresh browser at the given address."""
    client = app.test_client()
    environ = {"REMOTE_ADDR": ip}
    data = {"email": email, "csrf_token": csrf_token(client, path)}
    if password is not None:
        data["password"] = password
    return client.post(path, data=data, environ_base=environ)


@pytest.mark.parametrize("variant", ["learner@example.org\x7f", "LEARNER@example.org", " learner@example.org\x1f",
                                     "\x00learner@Example.org"])
def test_spellings_of_one_address_share_its_limit(app, learner, variant):
    with limits(app, RATELIMIT_LOGIN_ACCOUNT="2 per minute"):
        assert attempt(app, learner.email, "guess 1").status_code == 422
        assert attempt(app, variant, "guess 2").status_code == 422
        assert attempt(app, variant, PASSWORD).status_code == 429


def test_guesses_from_one_address_cannot_lock_the_owner_out(app, learner):
    with limits(app, RATELIMIT_LOGIN_ACCOUNT="3 per minute"):
        for n in range(3):
            assert attempt(app, learner.email, f"guess {n}", ip="203.0.113.9").status_code == 422
        assert attempt(app, learner.email, PASSWORD, ip="203.0.113.9").status_code == 429
        # The owner, somewhere else, still signs in.
        assert attempt(app, learner.email, PASSWORD, ip="198.51.100.7").status_code == 302


def test_guesses_spread_over_many_addresses_meet_a_ceiling_per_account(app, learner, make_user):
    other = make_user("someone@example.org")
    with limits(app, RATELIMIT_LOGIN_ACCOUNT="2 per minute", RATELIMIT_LOGIN_ACCOUNT_ALL="4 per minute"):
        for n in range(4):
            assert attempt(app, learner.email, "guess", ip=f"192.0.2.{n + 1}").status_code == 422
        assert attempt(app, learner.email + "\x7f", "guess", ip="192.0.2.50").status_code == 429
        assert attempt(app, other.email, PASSWORD, ip="192.0.2.50").status_code == 302  # another account


def test_a_right_password_does_not_use_up_the_limit(app, learner):
    with limits(app, RATELIMIT_LOGIN_ACCOUNT="2 per minute", RATELIMIT_LOGIN_ACCOUNT_ALL="2 per minute"):
        for _ in range(3):
            assert attempt(app, learner.email, PASSWORD).status_code == 302


def test_reset_requests_for_one_address_share_a_limit_however_it_is_spelled(app, learner, outbox):
    with limits(app, RATELIMIT_RESET="2 per minute"):
        statuses = [attempt(app, email, None, ip=f"192.0.2.{n}", path="/forgot-password").status_code
                    for n, email in enumerate([learner.email, learner.email + "\x7f", "LEARNER@example.org\x1f"])]
    assert statuses == [200, 200, 429]
    assert len(outbox()) == 2


def _second_step(app, email: str, ip: str):
    client = app.test_client()
    environ = {"REMOTE_ADDR": ip}
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
                           environ_base=environ)
    step = response.headers["Location"]
    return client, step, environ


def test_second_step_attempts_are_limited_per_account_across_addresses(app, facilitator):
    with limits(app, RATELIMIT_TWO_FACTOR="3 per minute"):
        statuses = []
        for n in range(4):
            client, step, environ = _second_step(app, facilitator.email, f"192.0.2.{n + 1}")
            statuses.append(client.post(step, data={"code": "000000", "csrf_token": csrf_token(client, step)},
                                        environ_base=environ).status_code)
        assert statuses == [422, 422, 422, 429]


def test_a_new_password_gives_the_second_step_a_fresh_limit(app, db, facilitator):
    """Someone who knows the password can use up the code limit; a reset stops them and frees the owner."""
    from portal.auth import services
    with limits(app, RATELIMIT_TWO_FACTOR="1 per minute"):
        client, step, environ = _second_step(app, facilitator.email, "192.0.2.1")
        client.post(step, data={"code": "000000", "csrf_token": csrf_token(client, step)}, environ_base=environ)
        services.end_all_sessions(facilitator)
        client, step, environ = _second_step(app, facilitator.email, "192.0.2.2")
        response = client.post(step, data={"code": fresh_totp_code(facilitator.email),
                                           "csrf_token": csrf_token(client, step)}, environ_base=environ)
        assert response.status_code == 302
