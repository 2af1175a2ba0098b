"""Anonymous by design: no table joins an answer to a person, and nothing stored tells the order of arrival."""
from __future__ import annotations


import pytest
from sqlalchemy import Date, DateTime, Integer, Time, func, select, text

from portal.evaluation.models import EvaluationAnswer, EvaluationReceipt
from portal.extensions import db as _db
from tests.conftest import csrf_token, login, post_at_once
from tests.evaluation.factories import answer

ANSWERS, RECEIPTS = "evaluation_answers", "evaluation_receipts"


def _reachable(start: str) -> set[str]:
    """Every table `start` reaches by following foreign keys."""
    tables, seen, todo = _db.metadata.tables, set(), [start]
    while todo:
        for fk in tables[todo.pop()].foreign_keys:
            target = fk.column.table.name
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_no_table_links_an_answer_to_a_person():
    tables = _db.metadata.tables
    reached = _reachable(ANSWERS)
    assert "users" not in reached and RECEIPTS not in reached and "memberships" not in reached
    # nothing points at an answer (a log, a notification, a receipt...)
    pointing = [t.name for t in tables.values() for fk in t.foreign_keys if fk.column.table.name == ANSWERS]
    assert pointing == []
    # and the receipt points at no answer and holds nothing but who answered which form for which session
    assert ANSWERS not in _reachable(RECEIPTS)
    assert {c.name for c in tables[RECEIPTS].columns} == {"cohort_id", "form_id", "session_number", "user_id"}
    personal = ("user", "author", "person", "member", "email", "name", "ip", "session_id", "token")
    assert not [c.name for c in tables[ANSWERS].columns if any(p in c.name for p in personal)]


@pytest.mark.parametrize("table", [ANSWERS, RECEIPTS])
def test_nothing_stored_tells_when_or_in_which_order(table):
    columns = _db.metadata.tables[table].columns
    assert not [c.name for c in columns if isinstance(c.type, (DateTime, Date, Time))]
    assert not [c.name for c in columns if c.autoincrement is True or (
        c.primary_key and isinstance(c.type, Integer) and len(_db.metadata.tables[table].primary_key.columns) == 1)]


def test_answer_ids_are_random_not_counting_up(db, opened, form, learners):
    for person in learners:
        answer(opened, form, person, useful=1)
    ids = list(db.session.scalars(select(EvaluationAnswer.id)))
    assert len(set(ids)) == 6 and all(len(i) == 32 and i[12] == "4" for i in ids)  # UUID version 4


def test_sqlite_keeps_no_row_order_of_arrival(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: its tables have a rowid counting up unless made WITHOUT ROWID")
    for table in (ANSWERS, RECEIPTS):
        with pytest.raises(Exception, match="rowid"):
            db.session.execute(text(f"SELECT rowid FROM {table}"))
        db.session.rollback()


def test_every_read_of_answers_is_aggregated_or_shuffled():
    """The only module that reads answers groups them or shuffles them (a guard for later changes)."""
    from pathlib import Path

    import portal
    root = Path(portal.__file__).parent
    readers = [p.relative_to(root).as_posix() for p in root.rglob("*.py") if "EvaluationAnswer" in p.read_text()
               and "migrations" not in p.parts]
    # models: the class; services and the demo only write; results reads, grouped or shuffled
    assert sorted(readers) == ["demo/evaluation.py", "evaluation/models.py", "evaluation/results.py",
                               "evaluation/services.py"]
    source = (Path(portal.__file__).parent / "evaluation" / "results.py").read_text()
    assert "order_by(EvaluationAnswer" not in source and "_shuffled(texts" in source


def test_two_submits_at_once_make_one_answer(app, db, opened, form, learner):
    """A double click (or two tabs) at the same moment: one receipt, one set of answers, never a 500."""
    url = f"/cohorts/{opened.id}/evaluation/sessions/1/forms/{form.id}"
    forms = []
    for _ in range(3):
        client = app.test_client()
        login(client, learner.email)
        forms.append((client, {"q_useful": "2", "q_keep": "Once only", "csrf_token": csrf_token(client, url)}))
    statuses = [r.status_code for r in post_at_once([(client, url, data) for client, data in forms])]
    assert sorted(statuses) == [302, 409, 409]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(EvaluationReceipt)) == 1
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 2
