"""Application-wide behaviour: headers, error pages, request limits."""
from __future__ import annotations

from tests.conftest import csrf_token


def test_every_page_is_kept_out_of_caches_and_has_security_headers(client, learner, auth):
    for path in ("/login", "/need-help-now", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    auth.login(learner)
    assert client.get("/home").headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_unknown_page_answers_a_plain_404(client):
    response = client.get("/cohorts/999/anything")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_wrong_method_answers_405_with_a_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "be done here" in response.get_data(as_text=True)


def test_oversized_request_is_refused_kindly(client):
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_error_shows_a_plain_page_without_a_traceback(fresh_app):
    from portal.permissions import PUBLIC, access

    @access(PUBLIC)
    def boom():
        raise RuntimeError("secret internals")

    app = fresh_app()
    app.add_url_rule("/_test/boom", "test_boom", boom)
    response = app.test_client().get("/_test/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_help_page_is_open_to_everyone_and_linked_from_every_page(client):
    assert "Need help now?" in client.get("/login").get_data(as_text=True)
    body = client.get("/need-help-now").get_data(as_text=True)
    assert "116 123" in body and "999" in body


def test_csrf_token_is_required_on_login(client, learner):
    response = client.post("/login", data={"email": learner.email, "password": "correct horse battery"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # still signed out


def test_csrf_token_from_the_page_is_accepted(client, learner):
    token = csrf_token(client)
    response = client.post("/login", data={"email": learner.email, "password": "correct horse battery",
                                           "csrf_token": token})
    assert response.status_code == 302
