"""Building a member's "my data" ZIP, in the background: JSON for machines, Markdown for people, their files.

Rows are read in batches and written straight into the ZIP, and stored files are copied in chunks, so the
memory used stays small whatever the size of the export.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal import storage
from portal.auth.models import User
from portal.dates import utcnow
from portal.errors import NotFound
from portal.extensions import db
from portal.privacy.models import DataExport
from portal.privacy.registry import EXPORTED, SECRET_COLUMNS, Part, t
from portal.queue import task

BATCH = 500
MAX_EXPORT_BYTES = 4 * 1024 ** 3
CHUNK = 64 * 1024
# Long writing: shown as paragraphs in the Markdown (the *_html copies are left to the JSON).
LONG = {"body_source", "text", "what_worked", "to_consider", "take_forward", "body", "reply_source", "details",
        "feedback", "note", "detail", "ground_rules_source", "fields", "answers", "ratings", "landed"}
README = """# Everything the Cohort Portal holds about you

Made on {made} for {name}.

- The `.md` files are for reading: one for each kind of thing the portal keeps about you.
- The `json/` folder holds the same, for computers (for example to move your data elsewhere).
- The `files/` folder holds files you handed in with assignments.

Not included: safeguarding records your facilitators kept (ask the portal's data protection contact
for these), secret sign-in codes, and who gave you feedback on exercises where reviewers are anonymous.
"""


def _plain(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _rows(table, part: Part, user: User):
    result = db.session.execute(select(table).where(part.where(table, user)).order_by(*table.primary_key.columns)
                                .execution_options(yield_per=BATCH))
    hidden = SECRET_COLUMNS | part.omit
    for row in result.mappings():
        yield {key: _plain(value) for key, value in row.items() if key not in hidden}


def _markdown_row(row: dict) -> str:
    heading = row.get("title") or row.get("display_name") or row.get("action") or row.get("created_at") \
        or row.get("submitted_at") or row.get("accepted_at") or row.get("at") or f"Item {row.get('id', '')}"
    lines = [f"## {str(heading).strip()}", ""]
    long = []
    for key, value in row.items():
        if key.endswith("_html") or value is None or value == "":
            continue
        if key in LONG:
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            long.append(f"**{key.replace('_', ' ').capitalize()}**\n\n{shown}\n")
        else:
            lines.append(f"- {key.replace('_', ' ')}: {value}")
    return "\n".join(lines + [""] + long) + "\n"


def _write_part(archive: zipfile.ZipFile, number: int, name: str, part: Part, user: User) -> int:
    table = t(name)
    slug = re.sub(r"[^a-z0-9]+", "-", part.title.lower()).strip("-")
    count = 0
    # Two passes over the rows (a ZIP takes one open entry at a time), neither holding them all in memory.
    with archive.open(f"json/{number:02d}-{slug}.json", "w") as raw_json:
        raw_json.write(b"[")
        for row in _rows(table, part, user):
            raw_json.write((b",\n" if count else b"\n") + json.dumps(row, ensure_ascii=False).encode())
            count += 1
        raw_json.write(b"\n]\n")
    with archive.open(f"{number:02d}-{slug}.md", "w") as raw_md:
        raw_md.write(f"# {part.title}\n\n{part.note + chr(10) * 2 if part.note else ''}".encode())
        for row in _rows(table, part, user):
            raw_md.write(_markdown_row(row).encode())
        if not count:
            raw_md.write(b"Nothing here.\n")
    return count


def _write_files(archive: zipfile.ZipFile, user: User) -> None:
    submissions = t("submissions")
    rows = db.session.execute(select(submissions.c.id, submissions.c.file_key, submissions.c.file_name)
                              .where(submissions.c.user_id == user.id, submissions.c.file_key.is_not(None))
                              .order_by(submissions.c.id)).all()
    for submission_id, key, file_name in rows:
        try:
            path = storage.path_of(key)
        except NotFound:
            continue  # a file gone from storage: the submission's row still says it existed
        safe = re.sub(r"[^\w.-]+", "_", file_name or "file")[:100]
        with path.open("rb") as source, archive.open(f"files/submission-{submission_id}-{safe}", "w",
                                                     force_zip64=True) as target:
            shutil.copyfileobj(source, target, CHUNK)


def write_zip(user: User, out) -> dict[str, int]:
    """Write the whole export for `user` into the file object `out`; return how many rows each part had."""
    counts = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", README.format(made=utcnow().strftime("%d %B %Y"), name=user.display_name))
        number = 0
        for name, parts in EXPORTED.items():
            for part in parts:
                number += 1
                counts[part.title] = _write_part(archive, number, name, part, user)
        _write_files(archive, user)
    return counts


def build_export(export_id: int) -> None:
    """Build one queued export and store it; a second run of the same task does nothing."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.status != "queued":
        return
    export.status = "building"
    db.session.commit()
    user = db.session.get(User, export.user_id)
    fd, temporary = tempfile.mkstemp(dir=storage.storage_root(), prefix=".export-")
    try:
        with os.fdopen(fd, "w+b") as out:
            write_zip(user, out)
            out.seek(0)
            key, size, _ = storage.save_stream(out, "zip", max_bytes=MAX_EXPORT_BYTES)
    except Exception:
        db.session.rollback()
        export.status = "failed"
        db.session.commit()
        current_app.logger.exception("Export %s failed", export_id)
        return
    finally:
        Path(temporary).unlink(missing_ok=True)
    now = utcnow()
    export.status, export.file_key, export.file_size = "ready", key, size
    export.finished_at, export.expires_at = now, now + timedelta(days=current_app.config["DATA_EXPORT_DAYS"])
    db.session.commit()


@task()
def build_export_task(export_id: int) -> None:
    build_export(export_id)
