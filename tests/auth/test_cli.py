"""flask users create-admin"""
from __future__ import annotations

from portal.auth.models import User
from portal.auth.services import find_user_by_email


def test_create_admin(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create-admin", "--email", "Boss@Example.org", "--name", "Boss", "--password", "long enough pass"])
    assert result.exit_code == 0, result.output
    user = find_user_by_email("boss@example.org")
    assert user is not None and user.is_site_admin


def test_create_admin_refuses_bad_input(app, db, make_user):
    make_user("taken@example.org")
    runner = app.test_cli_runner()
    cases = [
        (["--email", "not-an-email", "--name", "X", "--password", "long enough pass"], "--email"),
        (["--email", "ok@example.org", "--name", "X", "--password", "short"], "at least 10"),
        (["--email", "TAKEN@example.org", "--name", "X", "--password", "long enough pass"], "already exists"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["users", "create-admin", *args])
        assert result.exit_code != 0
        assert message in result.output
    assert db.session.query(User).count() == 1
