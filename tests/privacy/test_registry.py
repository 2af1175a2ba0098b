"""The model walk: every table is either in the export or left out with a reason, and the export and erasure
really do what the registry says, for every table that holds a person's id or words."""
from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import JSON, String, Text, cast, func, or_, select

from portal.extensions import db
from portal.privacy.export import write_zip
from portal.privacy.registry import ERASURE_KEEPS, EXPORTED, LEFT_OUT
from tests.privacy.factories import MARK


def _user_columns(table):
    return [c for c in table.columns if any(fk.column.table.name == "users" for fk in c.foreign_keys)]


def test_every_table_is_exported_or_left_out_with_a_reason():
    tables = set(db.Model.metadata.tables)
    unclassified = sorted(tables - set(EXPORTED) - set(LEFT_OUT))
    assert unclassified == [], (
        f"New tables {unclassified}: add each to EXPORTED or LEFT_OUT in portal/privacy/registry.py")
    assert sorted(set(EXPORTED) & set(LEFT_OUT)) == []
    assert sorted((set(EXPORTED) | set(LEFT_OUT)) - tables) == [], "the registry names tables that are gone"
    assert all(len(reason) > 20 for reason in LEFT_OUT.values())
    assert all(len(reason) > 20 for reason in ERASURE_KEEPS.values())


def test_a_table_in_neither_list_fails_the_walk(monkeypatch):
    from sqlalchemy import Column, ForeignKey, Integer, Table

    extra = Table("notifications_test_only", db.Model.metadata, Column("id", Integer, primary_key=True),
                  Column("user_id", Integer, ForeignKey("users.id")))
    try:
        assert "notifications_test_only" not in set(EXPORTED) | set(LEFT_OUT)
        try:
            test_every_table_is_exported_or_left_out_with_a_reason()
        except AssertionError as e:
            assert "notifications_test_only" in str(e)
        else:
            raise AssertionError("the walk let an unclassified table through")
    finally:
        db.Model.metadata.remove(extra)


def _export(person) -> dict[str, bytes]:
    out = io.BytesIO()
    write_zip(person, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_export_holds_a_row_from_every_exported_table(filled, learner, peer):
    files = _export(learner)
    empty = [name for name, data in files.items()
             if name.startswith("json/") and json.loads(data) == []]
    assert empty == [], "the fill (tests/privacy/factories.py) or the export misses these parts"
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert MARK in everything
    received = next(json.loads(d) for n, d in files.items() if n.startswith("json/") and "received" in n)
    assert received and all("reviewer_id" not in row for row in received)
    assert peer.display_name not in everything and peer.email not in everything  # the anonymous reviewer
    assert "password_hash" not in everything and learner.password_hash not in everything
    assert any(n.startswith("files/submission-") for n in files)
    assert files[next(n for n in files if n.startswith("files/"))].startswith(b"%PDF")
    assert "README.md" in files and any(n.endswith(".md") and "journal" in n for n in files)


def test_every_table_holding_the_person_is_covered_by_the_export(filled, learner):
    """Any table with a row pointing at the person is exported, or left out with a reason."""
    holding = set()
    for table in db.Model.metadata.sorted_tables:
        for column in _user_columns(table):
            if db.session.scalar(select(func.count()).select_from(table).where(column == learner.id)):
                holding.add(table.name)
    assert holding - set(EXPORTED) <= set(LEFT_OUT)
    assert holding & set(EXPORTED), "nothing found: the walk is not looking"


def words_left(*needles: str) -> list[str]:
    """Every (table.column) whose text holds any of the needles."""
    found = []
    for table in db.Model.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, (String, Text, JSON)):
                continue
            text = cast(column, Text) if isinstance(column.type, JSON) else column
            condition = or_(*(func.lower(text).contains(n.lower()) for n in needles))
            if db.session.scalar(select(func.count()).select_from(table).where(condition)):
                found.append(f"{table.name}.{column.name}")
    return found


def references_left(user_id: int) -> list[str]:
    found = []
    for table in db.Model.metadata.sorted_tables:
        for column in _user_columns(table):
            if (table.name, column.name) in ERASURE_KEEPS:
                continue
            if db.session.scalar(select(func.count()).select_from(table).where(column == user_id)):
                found.append(f"{table.name}.{column.name}")
    return found


def test_the_walk_finds_the_words_before_erasure(filled, learner):
    assert len(words_left(MARK)) > 10
    assert references_left(learner.id)
