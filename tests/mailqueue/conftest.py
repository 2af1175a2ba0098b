"""A real SMTP server on loopback (aiosmtpd) whose behaviour a test chooses, and a queue that is not
immediate (tasks wait in a SQLite file, as with a consumer), for the delivery tests."""
from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from huey.storage import SqliteStorage

from portal.queue import huey
from tests.discussions.conftest import general_thread, open_sessions, write_reply  # noqa: F401  (fixtures)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    """mode: "accept", "refuse" (a 5xx), "busy" (a 4xx), "slow" (answers after the client gave up) or "drop"
    (closes the connection during DATA). `attempts` holds every Message-ID offered, `accepted` those taken."""

    def __init__(self):
        self.mode = "accept"
        self.attempts: list[str] = []
        self.accepted: list = []
        self.delay = 0.0  # for "accept": a little work per message, so two workers overlap

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=email_policy.default)
        self.attempts.append(msg["Message-ID"])
        if self.mode == "refuse":
            return "550 5.1.1 Mailbox unavailable"
        if self.mode == "busy":
            return "451 4.3.0 Try again later"
        if self.mode == "slow":
            await asyncio.sleep(1.5)
            return "250 OK (too late)"
        if self.mode == "drop":
            server.transport.close()
            return "250 never heard"
        if self.delay:
            await asyncio.sleep(self.delay)
        self.accepted.append(msg)
        return "250 OK"

    def accepted_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.accepted]


@pytest.fixture
def smtp(app, monkeypatch):
    """The SMTP server the app sends to: plain SMTP on 127.0.0.1, a short timeout."""
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    for name, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port, "MAIL_USE_TLS": False,
                        "MAIL_USERNAME": None, "MAIL_TIMEOUT": 0.5, "MAIL_MAX_ATTEMPTS": 3}.items():
        monkeypatch.setitem(app.config, name, value)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def queued(tmp_path):
    """The queue as in production: tasks wait in storage until a consumer (here, the test) runs them."""
    saved = huey.storage_class, huey.storage_kwargs
    huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": str(tmp_path / "queue.sqlite3")}
    huey.immediate = False
    try:
        yield huey
    finally:
        huey.storage_class, huey.storage_kwargs = saved
        huey.immediate = True


def run_queue() -> int:
    """Do what a consumer would with every task waiting; returns how many ran."""
    ran = 0
    while (job := huey.dequeue()) is not None:
        huey.execute(job)
        ran += 1
    return ran
