"""The queue's consumer (`flask queue worker`) delivers what requests wrote to the outbox.

Replaces the tests of the home-made `flask worker` loop and PORTAL_MAIL_DELIVERY (issue 15): there is one
way of delivering now, the outbox row handed to the task queue once its transaction commits."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.mailqueue.delivery import deliver_now
from portal.mailqueue.models import QueuedMail
from tests.conftest import REPO, csrf_token
from tests.mailqueue.conftest import run_queue


def test_the_consumer_delivers_what_requests_queued(app, client, db, learner, outbox, queued):
    client.post("/forgot-password", data={"email": learner.email,
                                          "csrf_token": csrf_token(client, "/forgot-password")})
    assert outbox() == []
    queued_mail = db.session.scalars(select(QueuedMail)).one()
    assert queued_mail.to == learner.email and queued_mail.sent_at is None
    assert run_queue() == 1
    assert outbox()[0]["To"] == learner.email
    assert outbox()[0]["Message-ID"] == queued_mail.message_id
    db.session.expire_all()
    assert db.session.get(QueuedMail, queued_mail.id).sent_at is not None
    assert deliver_now(queued_mail.id) is False
    assert len(outbox()) == 1  # sent once only


def test_a_failed_delivery_stays_queued_with_its_error(app, db, monkeypatch):
    db.session.add(QueuedMail(to="a@example.org", subject="S", body="B"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    db.session.commit()  # handed to the (immediate) queue, which tries at once
    mail = db.session.scalars(select(QueuedMail)).one()
    db.session.refresh(mail)
    assert mail.sent_at is None and mail.attempts == 1 and "ConnectionRefused" in mail.last_error
    assert mail.next_attempt_at is not None and mail.failed_at is None


def test_flask_queue_worker_runs_the_consumer_until_interrupted(app, db, tmp_path, queued):
    """A real `flask queue worker` process: it takes the task from the queue's file, sends, stops on Ctrl+C."""
    db.session.add(QueuedMail(to="a@example.org", subject="Through the worker", body="B"))
    db.session.commit()  # enqueued in the queue's SQLite file
    assert queued.pending_count() == 1
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
           "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "PORTAL_QUEUE_PATH": queued.storage_kwargs["filename"], "PORTAL_QUEUE_IMMEDIATE": "false",
           "PORTAL_MAIL_OUTBOX": str(tmp_path / "outbox")}
    log = open(tmp_path / "worker.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "portal", "queue", "worker", "--workers", "1"],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not list(Path(tmp_path / "outbox").glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(list(Path(tmp_path / "outbox").glob("*.eml"))) == 1
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
    log.seek(0)
    output = log.read()
    assert code == 0, output
    assert re.search(r"periodic jobs: .*sweep_mail", output)  # the periodic jobs it runs are listed
    db.session.expire_all()
    assert db.session.scalars(select(QueuedMail.sent_at)).one() is not None


def test_the_queue_is_immediate_by_default_except_in_production(tmp_path):
    from flask import Flask

    from portal.config import ConfigError, load_config

    def config(**overrides):
        app = Flask("portal", instance_path=str(tmp_path / "inst"))
        load_config(app, overrides)
        return app.config

    assert config()["QUEUE_IMMEDIATE"] is True  # `flask run` alone still sends mail
    production = {"ENV_NAME": "production", "SECRET_KEY": "s" * 40, "BASE_URL": "https://portal.example.org"}
    assert config(**production)["QUEUE_IMMEDIATE"] is False  # a `flask queue worker` sends it
    assert config(**production, QUEUE_IMMEDIATE=True)["QUEUE_IMMEDIATE"] is True
    with pytest.raises(ConfigError, match="MAIL_LEASE_SECONDS"):
        config(MAIL_TIMEOUT=120)  # a lease shorter than a slow delivery would send it twice
