"""Held content (posts, responses, feedback), moderation level per session, facilitators' usual hours

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 01:34:45.552537

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation', sa.String(length=10), nullable=True))

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('usual_hours', sa.Text(), nullable=True))

    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation', sa.String(length=10), server_default='after', nullable=False))
        batch_op.add_column(sa.Column('content_warning_required', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('held_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('held_choice', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('released_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('released_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exercise_responses_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_exercise_responses_released_by_id_users'), 'users', ['released_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('held_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('held_choice', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('released_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('released_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_feedback_released_by_id_users'), 'users', ['released_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_feedback_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('held_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('held_choice', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('released_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('released_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_posts_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_posts_released_by_id_users'), 'users', ['released_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('held_at', sa.DateTime(), nullable=True))
    _restore_search_triggers()


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('held_at')
        batch_op.drop_column('held_count')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_released_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('released_by_id')
        batch_op.drop_column('released_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('held_choice')
        batch_op.drop_column('held_reason')
        batch_op.drop_column('held_at')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_feedback_released_by_id_users'), type_='foreignkey')
        batch_op.drop_column('released_by_id')
        batch_op.drop_column('released_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('held_choice')
        batch_op.drop_column('held_reason')
        batch_op.drop_column('held_at')

    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exercise_responses_released_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_exercise_responses_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('released_by_id')
        batch_op.drop_column('released_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('held_choice')
        batch_op.drop_column('held_reason')
        batch_op.drop_column('held_at')

    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_column('content_warning_required')
        batch_op.drop_column('moderation')

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_column('usual_hours')

    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.drop_column('moderation')
    _restore_search_triggers()


# SQLite: batch mode rebuilds posts and threads, which drops the triggers that keep full-text search
# (0003, 0009) in step; the FTS tables keep their rows (ids are kept), so only the triggers come back.
_TRIGGERS = {
    "posts_fts_insert": "AFTER INSERT ON posts BEGIN "
                        "INSERT INTO posts_fts(rowid, body_source) VALUES (new.id, new.body_source); END",
    "posts_fts_delete": "AFTER DELETE ON posts BEGIN INSERT INTO posts_fts(posts_fts, rowid, body_source) "
                        "VALUES ('delete', old.id, old.body_source); END",
    "posts_fts_update": "AFTER UPDATE OF body_source ON posts BEGIN INSERT INTO posts_fts(posts_fts, rowid, "
                        "body_source) VALUES ('delete', old.id, old.body_source); "
                        "INSERT INTO posts_fts(rowid, body_source) VALUES (new.id, new.body_source); END",
    "threads_fts_insert": "AFTER INSERT ON threads BEGIN "
                          "INSERT INTO threads_fts(rowid, title) VALUES (new.id, new.title); END",
    "threads_fts_delete": "AFTER DELETE ON threads BEGIN INSERT INTO threads_fts(threads_fts, rowid, title) "
                          "VALUES ('delete', old.id, old.title); END",
    "threads_fts_update": "AFTER UPDATE OF title ON threads BEGIN INSERT INTO threads_fts(threads_fts, rowid, "
                          "title) VALUES ('delete', old.id, old.title); "
                          "INSERT INTO threads_fts(rowid, title) VALUES (new.id, new.title); END",
}


def _restore_search_triggers():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, body in _TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")

