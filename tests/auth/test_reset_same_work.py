"""Asking for a reset link does the same work for an address with an account as for one without, so the
answer's timing gives nothing away (issue 10 #8): the lookup and the email happen after the response."""
from __future__ import annotations

import pytest

from portal.mailqueue.models import QueuedMail
from tests.conftest import csrf_token


def _ask(client, count_queries, outbox, email):
    """POST the form without closing the response; what was done until the answer was ready, then close."""
    token = csrf_token(client, "/forgot-password")
    sent_before = len(outbox())
    with count_queries() as queries:
        response = client.post("/forgot-password", data={"email": email, "csrf_token": token}, buffered=False)
        done = (response.status_code, response.get_data(as_text=True).replace(email, "X"), queries(),
                len(outbox()) - sent_before)
    response.close()  # the server does this once the page is sent
    return done


@pytest.mark.parametrize("immediate", [True, False], ids=["no consumer", "with a consumer"])
def test_known_and_unknown_addresses_do_the_same_work_before_the_answer(app, client, learner, outbox, count_queries,
                                                                        db, monkeypatch, immediate):
    from portal.queue import huey

    monkeypatch.setattr(huey, "immediate", immediate)  # off: the mail waits in the queue for a consumer
    known = _ask(client, count_queries, outbox, learner.email)
    unknown = _ask(client, count_queries, outbox, "nobody@example.org")
    assert known == unknown
    assert known[3] == 0  # nothing sent before the answer
    assert [m.to for m in db.session.query(QueuedMail)] == [learner.email]
    if immediate:
        assert [m["To"] for m in outbox()] == [learner.email]
    else:
        assert outbox() == [] and huey.pending_count() == 1
        huey.flush()


def test_a_mail_server_failure_is_logged_not_shown(app, client, learner, monkeypatch, caplog):
    def refuse(*_args):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("portal.auth.services.send_mail", refuse)
    token = csrf_token(client, "/forgot-password")
    response = client.post("/forgot-password", data={"email": learner.email, "csrf_token": token})
    assert response.status_code == 200  # the same answer as for an address without an account
    assert "mail server down" in caplog.text
