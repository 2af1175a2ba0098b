"""The task queue: Huey. Fan-out, mail delivery, digests and periodic jobs run here, outside web requests.

Storage is SQLite in instance/ on one machine (nothing else to start) or Redis when PORTAL_REDIS_URL is
set. The database stays the record of what must happen (the mail outbox, notification events): a task only
carries ids, so a lost task is redone by the periodic sweep rather than lost.

Tests run with PORTAL_QUEUE_IMMEDIATE (tasks run at once, in memory), unless a test turns it off to look at
what was enqueued. PORTAL_QUEUE_IMMEDIATE defaults to on outside production and off in production.

A feature adds a periodic job by declaring it in a module its `init_app` imports (the consumer, `flask queue
worker`, builds the app and knows only what is imported by then; tests/test_queue.py checks this):

    from huey import crontab
    from portal.queue import periodic

    @periodic(crontab(minute="0", hour="6"))   # UTC
    def remind_due_reviews():                  # runs in an app context; commit what it changes
        ...

Each consumer process runs the periodic jobs (unless started with --no-periodic): write them so that two
runs at once do no harm (claim rows with a conditional UPDATE, as the mail sweep does).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

_app: Flask | None = None


class PortalHuey(Huey):
    """A Huey whose storage is chosen from the app's config at `init_app` (tasks are declared at import)."""

    storage_class = SqliteStorage

    def get_storage(self, **kwargs):
        return self.storage_class(self.name, **kwargs)


huey = PortalHuey("cohort-portal", immediate=True, utc=True)


def init_app(app: Flask) -> None:
    """Point the queue at this app's storage (the last app created wins: one app per process)."""
    global _app
    _app = app
    if app.config.get("REDIS_URL"):
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": app.config["REDIS_URL"]}
    else:
        path = app.config.get("QUEUE_PATH") or str(Path(app.instance_path) / "queue.sqlite3")
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": path}
    immediate = bool(app.config.get("QUEUE_IMMEDIATE"))
    if huey.immediate == immediate:
        huey.storage = huey.create_storage()  # same mode, new place
    else:
        huey.immediate = immediate  # the setter recreates the storage


def _in_app_context(func: Callable) -> Callable:
    """`func`, run inside an app context: the caller's, or the process's own (the consumer has none)."""

    @wraps(func)
    def run(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        with app().app_context():
            return func(*args, **kwargs)

    return run


def task(**options: Any) -> Callable:
    """Like `huey.task()`, but the function runs inside an app context."""
    return lambda func: huey.task(**options)(_in_app_context(func))


def periodic(schedule, **options: Any) -> Callable:
    """Like `huey.periodic_task(crontab(...))`, inside an app context."""
    return lambda func: huey.periodic_task(schedule, **options)(_in_app_context(func))


def app() -> Flask:
    """The app tasks run in: the current one, else the one the process built (the consumer builds it)."""
    if has_app_context():
        return current_app._get_current_object()  # noqa: SLF001
    global _app
    if _app is None:
        from portal import create_app

        _app = create_app()
    return _app
