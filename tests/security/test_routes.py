"""Every route declares who may use it; undeclared routes fail closed; every form needs CSRF."""
from __future__ import annotations

import re

import pytest

from portal.permissions import LEVELS, access_of

# Whatever the route, these are the answers each level gives to someone not allowed in.
EXPECTED_FOR_ANONYMOUS = {"public": {200, 302, 404, 405, 410}, "user": {302}, "site_admin": {302},
                          "member": {302}, "facilitator": {302}}


def _routes(app):
    for rule in app.url_map.iter_rules():
        yield rule, app.view_functions[rule.endpoint]


def _concrete(rule) -> str:
    """A URL for the rule with placeholder values for its arguments."""
    return re.sub(r"<(\w+:)?(\w+)>", lambda m: "1" if m.group(1) == "int:" else "x", rule.rule)


def test_every_route_declares_its_access(app):
    undeclared = [rule.rule for rule, view in _routes(app) if access_of(view) not in LEVELS]
    assert undeclared == []


def test_an_undeclared_route_answers_404(fresh_app):
    app = fresh_app()
    app.add_url_rule("/_test/undeclared", "undeclared", lambda: "leaked")
    response = app.test_client().get("/_test/undeclared")
    assert response.status_code == 404 and b"leaked" not in response.data


def test_anonymous_visitors_get_the_declared_answer_everywhere(app, client):
    for rule, view in _routes(app):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_concrete(rule), method=method)
            assert response.status_code in EXPECTED_FOR_ANONYMOUS[access_of(view)] | {400}, (rule.rule, method)
            if access_of(view) != "public" and response.status_code == 302:
                assert response.headers["Location"].startswith("/login")


# RFC 8058 one-click unsubscribe: mail providers POST with no session and no token; the signed, single-use
# link in the email is what proves the request. The only route without a CSRF check.
CSRF_EXEMPT_BY_DESIGN = {"/unsubscribe/<token>"}


def test_every_state_changing_route_refuses_a_missing_csrf_token(app, client, learner, auth):
    auth.login(learner)
    for rule, _view in _routes(app):
        if "POST" not in rule.methods:
            continue
        response = client.post(_concrete(rule), data={"email": "x@example.org"})
        if rule.rule in CSRF_EXEMPT_BY_DESIGN:  # the signed link is the proof: a made-up one changes nothing
            assert response.status_code == 400 and "This link doesn" in response.get_data(as_text=True)
            continue
        assert response.status_code in (400, 404, 410), rule.rule
        if response.status_code == 400:
            assert "expired" in response.get_data(as_text=True), rule.rule
    assert client.get("/home").status_code == 200  # still signed in: logout without a token did nothing


@pytest.mark.parametrize("path", ["/home", "/course/", "/account"])
def test_deactivated_accounts_lose_access_at_once(app, client, db, make_user, auth, path):
    user = make_user("leaving@example.org")
    auth.login(user)
    user.active = False
    db.session.commit()
    assert client.get(path).status_code == 302
