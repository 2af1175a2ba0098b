"""The join page's limit counts each person's attempts, not everyone's together (issue 10 #6)."""
from __future__ import annotations

from tests.conftest import csrf_token, login


def _join(client, code, **data):
    return client.post(f"/join/{code}", data={"csrf_token": csrf_token(client, "/account"), **data})


def test_one_persons_bad_requests_do_not_block_anyone_else(app, cohort, make_user, make_link, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_RESET", "3 per 15 minutes")
    link = make_link(cohort)
    pest, other = app.test_client(), app.test_client()
    login(pest, make_user("pest@example.org").email)
    login(other, make_user("other@example.org").email)
    answers = [_join(pest, "not-a-real-code").status_code for _ in range(4)]
    assert answers[:3] == [410] * 3 and answers[3] == 429
    assert _join(other, link.code).status_code == 302  # joined
    assert _join(pest, link.code).status_code == 429  # still counted for the pest


def test_signed_out_requests_are_counted_per_address(app, cohort, make_link, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_RESET", "2 per 15 minutes")
    link = make_link(cohort)
    client = app.test_client()
    token = csrf_token(client, f"/join/{link.code}")
    post = lambda email: client.post(f"/join/{link.code}", data={"email": email, "csrf_token": token})  # noqa: E731
    assert [post("a@example.org").status_code for _ in range(3)] == [200, 200, 429]
    assert post(" A@Example.org ").status_code == 429  # the same address, written differently
    assert post("b@example.org").status_code == 200
