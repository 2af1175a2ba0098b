"""`flask backup` and `flask restore`: a consistent copy of the whole database, owner-readable only.

SQLite uses its online backup API (safe while the portal is running); PostgreSQL uses pg_dump's
custom format and pg_restore.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
# Fixed argument lists, never a shell.
import subprocess  # nosec B404
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from portal.dates import utcnow
from portal.extensions import db


def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _pg_env(url: URL) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for pg_dump / pg_restore (the password never on a command line)."""
    args = ["--dbname", url.database or "postgres", "--username", url.username or "postgres"]
    host = url.query.get("host") or url.host
    if host:
        args += ["--host", host if isinstance(host, str) else host[0]]
    if url.port:
        args += ["--port", str(url.port)]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        found = str(candidates[-1]) if candidates else None
    if found is None:
        raise click.ClickException(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _sqlite_copy(source: str, target: str) -> None:
    """SQLite's online backup API: a consistent copy even while others write."""
    src = sqlite3.connect(source, uri=source.startswith("file:"))
    dest = sqlite3.connect(target)
    try:
        with dest:
            src.backup(dest)
    finally:
        dest.close()
        src.close()


def backup_database(target: Path) -> Path:
    url = _url()
    target.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)  # the file holds everyone's personal data: owner only, from birth
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(url.database, str(target))
        else:
            args, env = _pg_env(url)
            subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
                           # A fixed argument list.
                           env=env, check=True, capture_output=True)  # nosec B603
    finally:
        os.umask(old_umask)
    target.chmod(0o600)
    return target


def restore_database(source: Path) -> None:
    url = _url()
    db.session.remove()
    db.engine.dispose()  # nobody may hold the old file or connection open while it is replaced
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(f"file:{source}?mode=ro", url.database)
    else:
        args, env = _pg_env(url)
        subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        # A fixed argument list.
                        *args, str(source)], env=env, check=True, capture_output=True)  # nosec B603


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path | None) -> None:
    """Write a backup of the database (default: instance/backups/portal-<time>.backup), mode 0600."""
    path = path or Path(current_app.instance_path) / "backups" / f"portal-{utcnow():%Y%m%dT%H%M%SZ}.backup"
    try:
        backup_database(path)
    except subprocess.CalledProcessError as e:
        raise click.ClickException(f"The backup failed: {e.stderr.decode(errors='replace').strip()}") from None
    click.echo(f"Backup written to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with a backup. Stop the portal first."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Continue?", abort=True)
    try:
        restore_database(path)
    except (subprocess.CalledProcessError, sqlite3.DatabaseError) as e:
        detail = e.stderr.decode(errors="replace").strip() if isinstance(e, subprocess.CalledProcessError) else str(e)
        raise click.ClickException(f"The restore failed and nothing was changed: {detail}") from None
    click.echo(f"Database restored from {path}")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
