"""Two-factor sign-in: required of facilitators and site admins, codes work once, recovery codes."""
from __future__ import annotations

import re

import pyotp

from portal.auth.models import User
from tests.conftest import PASSWORD, TOTP_SECRET, csrf_token, fresh_totp_code, login


def _password_step(client, email):
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)})


def test_an_account_with_two_factor_needs_a_code_after_the_password(client, facilitator):
    response = _password_step(client, facilitator.email)
    assert response.headers["Location"].startswith("/login/two-factor")
    assert client.get("/home").status_code == 302  # not signed in yet
    step = response.headers["Location"]
    wrong = client.post(step, data={"code": "000000", "csrf_token": csrf_token(client, step)})
    assert wrong.status_code == 422 and "didn&#39;t work" in wrong.get_data(as_text=True)
    right = client.post(step, data={"code": fresh_totp_code(facilitator.email),
                                    "csrf_token": csrf_token(client, step)})
    assert right.status_code == 302 and client.get("/home").status_code == 200


def test_a_code_works_only_once(app, facilitator):
    code = fresh_totp_code(facilitator.email)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        step = _password_step(client, facilitator.email).headers["Location"]
        client.post(step, data={"code": code, "csrf_token": csrf_token(client, step)})
    assert first.get("/home").status_code == 200
    assert second.get("/home").status_code == 302


def test_the_second_step_expires_and_cannot_be_reached_without_a_password(client, facilitator, monkeypatch):
    import time
    assert client.get("/login/two-factor").headers["Location"] == "/login"
    _password_step(client, facilitator.email)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 301)
    assert client.get("/login/two-factor").headers["Location"] == "/login"


def test_facilitators_without_two_factor_must_set_it_up_before_seeing_the_cohort(client, db, make_user, enrol,
                                                                                cohort, learner):
    fac = make_user("new-fac@example.org", two_factor=False)
    enrol(fac, cohort, "facilitator")
    login(client, fac.email)
    response = client.get(f"/cohorts/{cohort.id}/members")
    assert response.headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert 'src="data:image/svg+xml' in page
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(),
                                                        "csrf_token": csrf_token(client, "/account")})
    codes = re.findall(r"<code>([2-9a-z]{4}(?:-[2-9a-z]{4}){3})</code>", response.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get(f"/cohorts/{cohort.id}/members").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, fac.id).recovery_codes and codes[0] not in str(db.session.get(User, fac.id).recovery_codes)


def test_a_recovery_code_signs_in_once(app, db, make_user):
    user = make_user("rescue@example.org", two_factor=False)
    from portal.auth import two_factor
    codes = two_factor.enable(user, TOTP_SECRET, pyotp.TOTP(TOTP_SECRET).now())
    for attempt, expected in ((codes[3], 200), (codes[3], 302)):
        client = app.test_client()
        step = _password_step(client, user.email).headers["Location"]
        client.post(step, data={"code": attempt.upper(), "csrf_token": csrf_token(client, step)})
        assert client.get("/home").status_code == expected


def test_site_admin_pages_need_two_factor_and_learners_may_turn_it_off(client, db, make_user, auth):
    admin = make_user("admin2@example.org", admin=True, two_factor=False)
    login(client, admin.email)
    assert client.get("/admin/cohorts").headers["Location"] == "/account/two-factor"
    assert client.post("/account/two-factor/turn-off",
                       data={"csrf_token": csrf_token(client, "/account")}).status_code == 403
    learner = make_user("optional@example.org", two_factor=True)
    other = client.application.test_client()
    login(other, learner.email)
    other.post("/account/two-factor/turn-off", data={"current_password": PASSWORD,
                                                     "csrf_token": csrf_token(other, "/account")})
    db.session.expire_all()
    assert not db.session.get(User, learner.id).has_two_factor


def test_turning_two_factor_off_asks_for_the_password_again(client, db, make_user, outbox):
    user = make_user("careful@example.org", two_factor=True)
    login(client, user.email)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'name="current_password"' in page and 'autocomplete="current-password"' in page
    for password, message in (("", "Enter your current password"), ("not it at all", "current password is not right")):
        response = client.post("/account/two-factor/turn-off", data={
            "current_password": password, "csrf_token": csrf_token(client, "/account")})
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert message in body and "There is a problem" in body
        db.session.expire_all()
        assert db.session.get(User, user.id).has_two_factor
    assert outbox() == []
    response = client.post("/account/two-factor/turn-off", data={
        "current_password": PASSWORD, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).has_two_factor
    (mail,) = outbox()
    assert mail["To"] == user.email and "Two-factor sign-in was turned off" in mail["Subject"]
    assert "If this wasn't you" in mail.get_content()


def test_the_sign_in_code_box_is_ready_to_type_into(client, facilitator):
    step = _password_step(client, facilitator.email).headers["Location"]
    page = client.get(step).get_data(as_text=True)
    box = page[page.index('<input', page.index('id="code"') - 400):].split(">", 1)[0]
    for attribute in ("autofocus", 'autocomplete="one-time-code"', 'inputmode="numeric"'):
        assert attribute in box, attribute
