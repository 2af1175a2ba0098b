"""Mail delivery against a real SMTP server on loopback (issue 15, delivery guarantees): at least once,
never twice in normal running, kept and retried with back-off through refusals, time-outs, dropped
connections, a worker killed mid-delivery and a queue that was down when the mail was written."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from portal.dates import utcnow
from portal.extensions import db
from portal.mail import queue_mail, send_mail
from portal.mailqueue.delivery import claim, send_due_mail
from portal.mailqueue.models import QueuedMail, new_message_id
from tests.conftest import csrf_token
from tests.mailqueue.conftest import run_queue


def _only() -> QueuedMail:
    db.session.expire_all()
    return db.session.scalars(select(QueuedMail)).one()


def _make_due(mail_id: int) -> None:
    """Time passes: the pause after a failure (or a lease) is over."""
    past = utcnow() - timedelta(seconds=1)
    db.session.execute(update(QueuedMail).where(QueuedMail.id == mail_id, QueuedMail.next_attempt_at.is_not(None))
                       .values(next_attempt_at=past))
    db.session.execute(update(QueuedMail).where(QueuedMail.id == mail_id, QueuedMail.claimed_until.is_not(None))
                       .values(claimed_until=past))
    db.session.commit()


def _write_unsent(n: int = 1) -> list[int]:
    """Rows as a crashed process would leave them: written, never handed to the queue."""
    rows = [{"message_id": new_message_id(), "to": f"p{i}@example.org", "subject": f"S{i}", "body": "B",
             "created_at": utcnow(), "attempts": 0} for i in range(n)]
    db.session.execute(insert(QueuedMail), rows)
    db.session.commit()
    return list(db.session.scalars(select(QueuedMail.id).order_by(QueuedMail.id)))


def test_a_requested_mail_is_delivered_once_with_its_own_message_id(client, learner, smtp):
    response = client.post("/forgot-password", data={"email": learner.email,
                                                     "csrf_token": csrf_token(client, "/forgot-password")})
    assert response.status_code == 200
    mail = _only()
    assert smtp.accepted_ids() == [mail.message_id]
    (msg,) = smtp.accepted
    assert msg["To"] == learner.email and "Reset your" in msg["Subject"]
    assert mail.sent_at is not None and mail.attempts == 1 and mail.last_error is None
    assert mail.claimed_until is None
    assert send_due_mail() == 0  # the sweep finds nothing left
    assert len(smtp.attempts) == 1


@pytest.mark.parametrize("mode, code", [("refuse", "550"), ("busy", "451")])
def test_a_refusing_server_keeps_the_mail_retries_with_back_off_then_records_the_failure(db, smtp, mode, code):
    smtp.mode = mode
    before = utcnow()
    send_mail("a@example.org", "Hello", "Body")
    mail = _only()
    assert mail.sent_at is None and mail.failed_at is None and mail.attempts == 1
    assert code in mail.last_error
    first_pause = mail.next_attempt_at - before
    assert timedelta(seconds=59) <= first_pause <= timedelta(seconds=65)
    assert send_due_mail() == 0 and len(smtp.attempts) == 1  # not before the pause is over

    _make_due(mail.id)
    assert send_due_mail() == 0
    mail = _only()
    assert mail.attempts == 2 and timedelta(seconds=119) <= mail.next_attempt_at - utcnow() <= timedelta(seconds=121)

    _make_due(mail.id)
    send_due_mail()  # the third attempt: MAIL_MAX_ATTEMPTS in these tests
    mail = _only()
    assert mail.attempts == 3 and mail.failed_at is not None and mail.sent_at is None and code in mail.last_error
    assert mail.next_attempt_at is None
    _make_due(mail.id)
    assert send_due_mail() == 0 and len(smtp.attempts) == 3  # given up: no more tries until someone asks
    assert set(smtp.attempts) == {mail.message_id}  # every attempt was the same message


def test_a_server_that_times_out_keeps_the_mail_and_it_goes_later(db, smtp):
    smtp.mode = "slow"
    send_mail("a@example.org", "Hello", "Body")
    mail = _only()
    assert mail.sent_at is None and mail.attempts == 1 and mail.next_attempt_at is not None
    assert "timed out" in mail.last_error.lower() or "Timeout" in mail.last_error
    smtp.mode = "accept"
    _make_due(mail.id)
    assert send_due_mail() == 1
    assert smtp.accepted_ids() == [mail.message_id]
    assert _only().sent_at is not None


def test_a_connection_dropped_mid_message_keeps_the_mail_and_it_goes_later(db, smtp):
    smtp.mode = "drop"
    send_mail("a@example.org", "Hello", "Body")
    mail = _only()
    assert mail.sent_at is None and mail.attempts == 1 and "Disconnected" in mail.last_error
    smtp.mode = "accept"
    _make_due(mail.id)
    assert send_due_mail() == 1
    assert smtp.accepted_ids() == [mail.message_id] and smtp.attempts == [mail.message_id] * 2


def test_a_worker_killed_between_claiming_and_sending_loses_nothing(db, smtp):
    (mail_id,) = _write_unsent()
    assert claim(mail_id)  # a worker claims it ... and dies before sending
    assert send_due_mail() == 0  # its lease still runs: nobody else sends it yet
    assert smtp.attempts == []
    _make_due(mail_id)  # the lease lapses
    assert send_due_mail() == 1
    assert send_due_mail() == 0
    assert smtp.accepted_ids() == [_only().message_id]


def test_mail_is_handed_to_the_queue_only_once_its_transaction_commits(db, smtp, queued):
    queue_mail("a@example.org", "Hello", "Body")
    db.session.flush()
    assert queued.pending_count() == 0  # not while it could still be rolled back
    db.session.rollback()
    assert queued.pending_count() == 0
    queue_mail("b@example.org", "Hello", "Body")
    db.session.commit()
    assert queued.pending_count() == 1 and smtp.attempts == []  # waiting for a consumer
    assert run_queue() == 1
    assert smtp.accepted_ids() == [_only().message_id]
    assert _only().to == "b@example.org"
    assert queued.result_count() == 0  # nothing left in the queue's storage that nobody will read


def test_when_the_queue_is_down_the_post_is_saved_and_the_sweep_sends_its_mail(
        client, auth, cohort, learner, facilitator, general_thread, smtp, queued, monkeypatch, caplog):
    from portal.discussions.models import Post
    from tests.holding.conftest import WORRYING, c
    from tests.conftest import post

    thread = general_thread(cohort, facilitator)
    auth.login(learner)

    def down(*_args, **_kwargs):
        raise ConnectionError("queue storage unavailable")

    with monkeypatch.context() as broken:
        broken.setattr(queued, "enqueue", down)
        response = post(client, c(cohort, f"threads/{thread.id}"), {"body": WORRYING, "client_token": "t1"})
    assert response.status_code == 302  # the member's words are saved whatever the queue does
    assert db.session.scalars(select(Post.body_source).where(Post.author_id == learner.id)).one() == WORRYING
    mail = _only()  # the facilitators' alert, kept in the outbox
    assert mail.to == facilitator.email and mail.sent_at is None and smtp.attempts == []
    assert "Could not queue mail" in caplog.text
    # the queue is back
    assert send_due_mail() == 1  # the minute sweep (run by the consumer)
    assert smtp.accepted_ids() == [mail.message_id]


def test_the_sweep_runs_as_a_periodic_task_on_the_consumer(db, smtp, queued):
    from portal.mailqueue.delivery import sweep_mail

    _write_unsent(2)
    assert queued.execute(sweep_mail.s()) == 2
    assert len(smtp.accepted) == 2


def test_two_workers_sweeping_at_once_never_send_a_message_twice(app, db, smtp):
    ids = _write_unsent(30)
    smtp.delay = 0.01
    start = threading.Barrier(2)
    sent, errors = [], []

    def sweep():
        try:
            with app.app_context():
                start.wait()
                sent.append(send_due_mail())
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    workers = [threading.Thread(target=sweep) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert errors == []
    assert sum(sent) == 30
    got = smtp.accepted_ids()
    assert len(got) == 30 and len(set(got)) == 30
    db.session.expire_all()
    assert db.session.scalars(select(QueuedMail.attempts).where(QueuedMail.id.in_(ids))).all() == [1] * 30
