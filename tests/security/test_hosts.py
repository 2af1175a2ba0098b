"""Links in emails come from PORTAL_BASE_URL, never from the Host or X-Forwarded-Host a client sends; requests for
hosts the portal does not serve are refused (issue 10 #1)."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from portal.config import ConfigError
from portal.dates import utcnow
from portal.enrolment.models import Invitation, InviteLink
from portal.permissions import PUBLIC, access
from tests.conftest import IsolatedClient, csrf_token, login

BASE = "https://portal.example.org"
FORGED = {"Host": "localhost", "X-Forwarded-Host": "attacker.example", "X-Forwarded-For": "203.0.113.7"}
LINK = re.compile(r"\b[a-z]+://[^\s/]+/\S*")


@pytest.fixture
def proxied_app(app, fresh_app):
    """The portal as the README runs it in production: one proxy in front (PORTAL_PROXY_COUNT=1) and a base
    URL, on the test database so the usual factories work."""
    proxied = fresh_app(**{key: app.config[key] for key in (
        "SECRET_KEY", "MAIL_OUTBOX", "CONTENT_DIR", "RATELIMIT_LOGIN", "RATELIMIT_LOGIN_ACCOUNT", "RATELIMIT_RESET",
        "RATELIMIT_POST", "RATELIMIT_INVITE")}, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], TESTING=True,
        PROXY_COUNT=1, BASE_URL=BASE)
    proxied.test_client_class = IsolatedClient
    return proxied


def _links(mail) -> list[str]:
    return LINK.findall(mail.get_content())


def _all_at_base(mails) -> None:
    assert mails
    for mail in mails:
        links = _links(mail)
        assert links, mail.get_content()
        assert all(link.startswith(BASE + "/") for link in links), links
        assert "attacker" not in mail.as_string() and "localhost" not in mail.get_content()


def test_a_reset_email_links_to_the_base_url_whatever_host_was_sent(proxied_app, learner, outbox):
    client = proxied_app.test_client()
    token = csrf_token(client, "/forgot-password")
    response = client.post("/forgot-password", data={"email": learner.email, "csrf_token": token}, headers=FORGED)
    assert response.status_code == 200
    mails = outbox()
    assert len(mails) == 1 and "/reset-password/" in mails[0].get_content()
    _all_at_base(mails)


def test_invitation_and_join_emails_link_to_the_base_url(proxied_app, cohort, facilitator, db, outbox):
    client = proxied_app.test_client()
    login(client, facilitator.email)
    token = csrf_token(client, f"/cohorts/{cohort.id}/invitations")
    response = client.post(f"/cohorts/{cohort.id}/invitations", headers=FORGED, data={
        "email": "new@example.org", "name": "Nia", "role": "learner", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.query(Invitation).count() == 1
    page = client.get(f"/cohorts/{cohort.id}/invite-links", headers=FORGED)
    assert "attacker" not in page.get_data(as_text=True)

    link = InviteLink(cohort_id=cohort.id, code="shared-code", max_uses=5, uses=0,
                      expires_at=utcnow() + timedelta(days=7))
    db.session.add(link)
    db.session.commit()
    shown = client.get(f"/cohorts/{cohort.id}/invite-links", headers=FORGED).get_data(as_text=True)
    assert f'value="{BASE}/join/{link.code}"' in shown  # the address facilitators copy and share
    anonymous = proxied_app.test_client()
    for email in ("someone-new@example.org", facilitator.email):  # a confirmation, and a "please sign in"
        token = csrf_token(anonymous, f"/join/{link.code}")
        response = anonymous.post(f"/join/{link.code}", headers=FORGED, data={"email": email, "csrf_token": token})
        assert response.status_code == 200
    mails = outbox()
    assert len(mails) == 3
    _all_at_base(mails)


def test_a_forwarded_host_is_not_trusted_behind_a_proxy(proxied_app):
    seen = []

    @access(PUBLIC)
    def where():
        from flask import request
        seen.append((request.host, request.scheme, request.remote_addr))
        return "ok"

    proxied_app.add_url_rule("/_test/where", "test_where", where)
    proxied_app.test_client().get("/_test/where", headers={**FORGED, "X-Forwarded-Proto": "https"})
    assert seen == [("localhost", "https", "203.0.113.7")]


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:5000", "localhost.attacker.example"])
def test_a_request_for_another_host_gets_a_plain_400(client, learner, outbox, host):
    page = client.get("/login", headers={"Host": host})
    assert page.status_code == 400
    body = page.get_data(as_text=True)
    assert "not right" in body and "Traceback" not in body and "attacker" not in body
    assert page.headers["Cache-Control"] == "no-store"
    token = csrf_token(client, "/forgot-password")
    sent = client.post("/forgot-password", data={"email": learner.email, "csrf_token": token}, headers={"Host": host})
    assert sent.status_code == 400
    assert outbox() == []


def test_production_refuses_to_start_without_a_base_url(fresh_app):
    with pytest.raises(ConfigError, match="PORTAL_BASE_URL"):
        fresh_app(ENV_NAME="production", SECRET_KEY="s" * 40)


@pytest.mark.parametrize("base", ["portal.example.org", "http://portal.example.org", "https://", "ftp://x.example",
                                  "https://portal.example.org/?a=1"])
def test_production_refuses_a_base_url_that_is_not_an_https_address(fresh_app, base):
    with pytest.raises(ConfigError, match="PORTAL_BASE_URL"):
        fresh_app(ENV_NAME="production", SECRET_KEY="s" * 40, BASE_URL=base)


def test_production_answers_only_its_own_host(fresh_app):
    app = fresh_app(ENV_NAME="production", SECRET_KEY="s" * 40, BASE_URL=BASE + "/",
                    TRUSTED_HOSTS="www.portal.example.org")
    assert app.config["BASE_URL"] == BASE
    assert app.config["TRUSTED_HOSTS"] == ["www.portal.example.org", "portal.example.org"]
    client = app.test_client()
    assert client.get("/login", base_url=BASE).status_code == 200
    assert client.get("/login", base_url="https://www.portal.example.org").status_code == 200
    assert client.get("/login", base_url="https://localhost").status_code == 400


def test_the_development_base_url_is_where_make_run_serves(fresh_app):
    app = fresh_app()
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    host = re.search(r"^HOST := (\S+)$", makefile, re.M).group(1)
    port = re.search(r"^PORT := (\S+)$", makefile, re.M).group(1)
    assert app.config["BASE_URL"] == f"http://{host}:{port}"
    assert set(app.config["TRUSTED_HOSTS"]) == {"127.0.0.1", "localhost"}


def test_external_urls_need_no_request(app):
    from portal.links import external_url

    assert external_url("auth.reset_password", token="abc") == "http://localhost/reset-password/abc"
