"""The account page: details and password."""
from __future__ import annotations

from portal.auth.models import User
from tests.conftest import PASSWORD, csrf_token, login


def _post(client, path, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def test_account_pages_need_sign_in(client):
    for path in ("/account", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_details_are_saved(client, learner, auth, db):
    auth.login(learner)
    response = _post(client, "/account", display_name="  Lee L. ", pronouns="they/them")
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, learner.id)
    assert (user.display_name, user.pronouns) == ("Lee L.", "they/them")


def test_over_long_name_is_explained_and_what_was_typed_is_kept(client, learner, auth, db):
    auth.login(learner)
    response = _post(client, "/account", display_name="N" * 81, pronouns="she/her")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Name must be 80 characters or fewer" in body
    assert 'value="' + "N" * 81 + '"' in body
    db.session.expire_all()
    assert db.session.get(User, learner.id).display_name == "Lee Learner"


def test_change_password_keeps_this_device_and_signs_out_others(app, client, learner, auth):
    other_device = app.test_client()
    login(other_device, learner.email)
    auth.login(learner)
    response = _post(client, "/account/password", current_password=PASSWORD,
                     password="another long passphrase", confirm="another long passphrase")
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    assert login(app.test_client(), learner.email, "another long passphrase").status_code == 302


def test_change_password_needs_the_current_one(client, learner, auth):
    auth.login(learner)
    response = _post(client, "/account/password", current_password="wrong guess",
                     password="another long passphrase", confirm="another long passphrase")
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)
    assert login(client.application.test_client(), learner.email).status_code == 302


def test_common_and_easily_guessed_passwords_are_refused(client, learner, auth):
    auth.login(learner)
    for weak in ("password123", "qwertyuiop", "aaaaaaaaaaaa", "lee learner 1", "learner@example.org"):
        response = _post(client, "/account/password", current_password=PASSWORD, password=weak, confirm=weak)
        assert response.status_code == 422, weak
        assert "harder to guess" in response.get_data(as_text=True), weak
    assert login(client.application.test_client(), learner.email).status_code == 302


def test_the_same_password_again_is_refused_clearly(client, learner, auth, outbox):
    auth.login(learner)
    response = _post(client, "/account/password", current_password=PASSWORD, password=PASSWORD, confirm=PASSWORD)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "same as your current password" in body
    assert 'id="password-error"' in body  # shown at the new password, where it can be fixed
    assert outbox() == []


def test_a_changed_password_is_confirmed_by_email_without_secrets(client, learner, auth, outbox):
    auth.login(learner)
    new = "another long passphrase"
    assert _post(client, "/account/password", current_password=PASSWORD, password=new,
                 confirm=new).status_code == 302
    (mail,) = outbox()
    text = mail.get_content()
    assert mail["To"] == learner.email and "password was changed" in mail["Subject"].lower()
    assert "If this wasn't you" in text and "Lee Learner" in text
    assert new not in text and PASSWORD not in text and "http" not in text


def test_password_change_is_limited_per_person(app, client, learner, auth):
    auth.login(learner)
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "2 per minute"
    try:
        statuses = [_post(client, "/account/password", current_password=f"guess {n}", password="a new long phrase",
                          confirm="a new long phrase").status_code for n in range(3)]
    finally:
        app.config["RATELIMIT_LOGIN_ACCOUNT"] = "10000 per minute"
    assert statuses == [422, 422, 429]


def test_new_account_forms_ask_to_confirm_the_password_not_a_new_one():
    from portal.auth.forms import ChangePasswordForm, ResetPasswordForm
    from portal.enrolment.forms import NewAccountForm

    assert NewAccountForm.confirm.args[0] == "Confirm password"
    assert ChangePasswordForm.confirm.args[0] == ResetPasswordForm.confirm.args[0] == "Confirm new password"


def test_two_accounts_for_one_address_at_once_get_a_clear_answer_not_an_error(db, make_user, monkeypatch):
    """Two sign-ups racing past the "already exists" check: the database's unique index decides, kindly."""
    import pytest

    from portal.auth import services
    from portal.errors import RuleViolation

    make_user("racing@example.org")
    monkeypatch.setattr(services, "find_user_by_email", lambda email: None)  # the other request's check ran first
    with pytest.raises(RuleViolation, match="already exists"):
        services.create_user("Racing@example.org", "Second", "a long enough passphrase")
    assert db.session.scalars(User.select_by_email("racing@example.org")).one().display_name != "Second"
