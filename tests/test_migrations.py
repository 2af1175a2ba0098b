"""Alembic owns the schema: the migrations build exactly the models, and run down and up again."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.extensions import db
from portal.search import alembic_include_object
from tests.conftest import empty_database_url


# SQLite can't reflect expression indexes; test_email_uniqueness_… proves that one exists.
@pytest.mark.filterwarnings("ignore:autogenerate skipping", "ignore:Skipped unsupported reflection")
def test_migrations_match_the_models_and_round_trip(fresh_app, tmp_path):
    app = fresh_app(DATABASE_URL=empty_database_url(tmp_path, "migrations"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                             "include_object": alembic_include_object})
            diffs = [d for d in compare_metadata(context, db.metadata)
                     if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index")
                             and d[1].name == "uq_users_email_lower")]
        assert diffs == []
        names = set(inspect(db.engine).get_table_names())
        assert {"users", "courses", "course_sessions", "cohorts", "memberships"} <= names
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"users", "memberships"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_email_uniqueness_is_enforced_by_the_database_too(db, make_user):
    make_user("Case@Example.org")
    db.session.add(User(email="case@example.org", display_name="Dup", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


FIXTURE_AT_0003 = [
    "INSERT INTO users (id, email, display_name, pronouns, password_hash, is_site_admin, active, session_version, "
    "reset_stamp, created_at, updated_at) VALUES (1, 'Kept@Example.org', 'Kept Person', 'they/them', 'hash', "
    "false, true, 3, 'stamp', '2026-01-02 03:04:05', '2026-01-02 03:04:05')",
    "INSERT INTO courses (id, slug, title, summary, intro_source, intro_html, updated_at) VALUES "
    "(1, 'c', 'Course', 'S', 'i', '<p>i</p>', '2026-01-02 03:04:05')",
    "INSERT INTO course_sessions (id, course_id, number, slug, title, summary, aims, key_concepts, "
    "discussion_prompts, body_source, body_html, updated_at) VALUES (1, 1, 1, 's', 'T', 'S', '[\"a\"]', '[]', '[]', "
    "'b', '<p>b</p>', '2026-01-02 03:04:05')",
    "INSERT INTO cohorts (id, course_id, name, status, start_date, created_at) VALUES "
    "(1, 1, 'Kept cohort', 'running', '2026-02-03', '2026-01-02 03:04:05')",
    "INSERT INTO memberships (id, cohort_id, user_id, role, status, created_at) VALUES "
    "(1, 1, 1, 'learner', 'suspended', '2026-01-02 03:04:05')",
    "INSERT INTO threads (id, cohort_id, course_session_id, title, pinned, locked, share_first, post_count, "
    "created_at, last_post_at) VALUES (1, 1, 1, 'Kept thread', false, false, true, 1, '2026-01-02 03:04:05', "
    "'2026-01-02 03:04:05')",
    "INSERT INTO posts (id, cohort_id, thread_id, number, author_id, body_source, body_html, content_warning, "
    "created_at) VALUES (1, 1, 1, 1, 1, 'Kept words', '<p>Kept words</p>', 'Trauma', '2026-01-02 03:04:05')",
]


def _checksums(columns: dict[str, list[str]]) -> dict[str, str]:
    import hashlib

    from sqlalchemy import text as sql
    result = {}
    with db.engine.connect() as conn:
        for table, names in columns.items():
            rows = conn.execute(sql(f"SELECT {', '.join(names)} FROM {table} ORDER BY id")).all()  # nosec B608
            result[table] = f"{len(rows)}:" + hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return result


@pytest.mark.filterwarnings("ignore:autogenerate skipping", "ignore:Skipped unsupported reflection")
def test_upgrading_from_the_previous_revision_keeps_every_row(fresh_app, tmp_path):
    from sqlalchemy import text as sql

    app = fresh_app(DATABASE_URL=empty_database_url(tmp_path, "keepdata"))
    with app.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as conn:
            for statement in FIXTURE_AT_0003:
                conn.execute(sql(statement))
        tables = ["users", "courses", "course_sessions", "cohorts", "memberships", "threads", "posts"]
        columns = {t: [c["name"] for c in inspect(db.engine).get_columns(t)] for t in tables}
        before = _checksums(columns)
        upgrade()
        assert _checksums(columns) == before
        downgrade(revision="0003")
        assert _checksums(columns) == before
        upgrade()
        assert _checksums(columns) == before
        with db.engine.connect() as conn:  # search still finds the kept post after the round trip
            assert conn.execute(sql("SELECT count(*) FROM posts")).scalar() == 1
        db.engine.dispose()
