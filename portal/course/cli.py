"""flask content …"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.course.loader import ContentError, load_content, read_content

content = AppGroup("content", help="The course content in content/.")


PATH = click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None,
                    help="Content folder (default: the configured CONTENT_DIR).")


def _problems(root: Path, e: ContentError, what: str) -> None:
    click.echo(f"The content in {root} {what}. Please fix these problems:", err=True)
    for problem in e.problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1) from None


@content.command("check")
@PATH
def check(path: Path | None) -> None:
    """Check every content file and list each problem (file, line, field); changes nothing. Exits 1 on problems."""
    root = path or Path(current_app.config["CONTENT_DIR"])
    try:
        read_content(root)
    except ContentError as e:
        _problems(root, e, "has problems")
    click.echo(f"The content in {root} has no problems.")


@content.command("load")
@PATH
def load(path: Path | None) -> None:
    """Check every content file, then load or update the course. Nothing is loaded if any file has a problem."""
    root = path or Path(current_app.config["CONTENT_DIR"])
    try:
        report = load_content(root)
    except ContentError as e:
        _problems(root, e, "was not loaded")
    click.echo(f"Content loaded: {report.created} new, {report.updated} updated, "
               f"{report.unchanged} unchanged.")
    ex = report.exercises
    click.echo(f"Exercises: {ex.created} new, {ex.updated} updated, {ex.unchanged} unchanged.")
    if ex.retired:
        click.echo(f"Exercises no longer in the files, kept but hidden: {', '.join(ex.retired)}")
    res = report.resources
    click.echo(f"Session resources: {res.created} new, {res.updated} updated, {res.unchanged} unchanged.")
    if res.retired:
        click.echo(f"Session resources no longer in the files, kept but hidden: {', '.join(res.retired)}")
    if report.renewed_agreements:
        click.echo(f"The confidentiality agreement changed: {report.renewed_agreements} cohort(s) will be "
                   "asked to accept the new version.")
    if report.retired:
        click.echo(f"No longer in the files, kept but hidden: {', '.join(report.retired)}")
