"""flask queue worker: the task queue's consumer (mail delivery, fan-out, digests, periodic jobs)."""
from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

queue_cli = AppGroup("queue", help="The task queue (Huey).")


@queue_cli.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Tasks run at once (threads). Mail waits on mail servers, so a few threads go a long way.")
@click.option("--no-periodic", is_flag=True, help="Leave periodic jobs to another worker (run them in one only "
                                                   "if you want exactly one run each time; running them in several "
                                                   "is safe too).")
def worker(workers: int, no_periodic: bool) -> None:
    """Run the queue's consumer in this process, with this app, until Ctrl+C or SIGTERM.

    The app is built first (`--app portal`), so every feature's tasks and periodic jobs are declared."""
    from portal.queue import huey

    if huey.immediate:  # this process is the consumer: read the real queue, whatever the web processes do
        huey.immediate = False
        click.echo("Note: PORTAL_QUEUE_IMMEDIATE is on here. Web processes must run with it off "
                   "(PORTAL_QUEUE_IMMEDIATE=0) to hand their work to this worker.", err=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    names = sorted(t.name for t in huey._registry.periodic_tasks)  # noqa: SLF001 (only to say what runs)
    current_app.logger.info("Queue worker: %s thread(s); periodic jobs: %s", workers,
                            "off" if no_periodic else ", ".join(names) or "none")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_periodic,
                                    check_worker_health=True, graceful_signal="INT")
    consumer.run()
