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
