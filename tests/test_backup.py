"""flask backup and flask restore round-trip the whole database, table by table."""
from __future__ import annotations

import hashlib
import stat

from sqlalchemy import select, text

from portal.auth.models import User
from portal.extensions import db as _db


def _fingerprint(db) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row, for each table."""
    result = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            result[table.name] = (len(rows), digest)
    return result


def test_backup_and_restore_round_trip(app, db, tmp_path, learner, facilitator, cohort):
    before = _fingerprint(db)
    assert before["users"][0] == 2 and before["memberships"][0] == 2
    runner = app.test_cli_runner()
    target = tmp_path / "copy.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    db.session.get(User, learner.id).display_name = "Changed after the backup"
    db.session.execute(text("DELETE FROM memberships"))
    db.session.commit()
    assert _fingerprint(db) != before

    db.session.remove()
    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    _db.session.remove()
    assert _fingerprint(db) == before


def test_restore_refuses_a_file_that_is_not_a_backup(app, db, tmp_path, learner):
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"this is not a database")
    before = _fingerprint(db)
    db.session.remove()
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code != 0
    assert "nothing was changed" in result.output
    assert _fingerprint(db) == before
