"""Flags, moderator hiding, mute and suspend

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 01:34:24.314316

On SQLite, adding a foreign key rebuilds `posts`, which drops the triggers that keep its full-text
index in step (0003): they are made again after each rebuild.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('flagger_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.CheckConstraint("reason IN ('confidential', 'boundary', 'safety', 'unsupportive', 'other')", name=op.f('ck_flags_reason')),
    sa.CheckConstraint("subject_kind IN ('post', 'thread', 'response', 'feedback')", name=op.f('ck_flags_subject_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_flags_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_flags_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['flagger_id'], ['users.id'], name=op.f('fk_flags_flagger_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('subject_kind', 'subject_id', 'flagger_id', name=op.f('uq_flags_subject_kind_subject_id_flagger_id'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_flags_open', ['cohort_id', 'resolved_at', 'created_at'], unique=False)

    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('moderator_edited_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exercise_responses_hidden_by_id_users'), 'users', ['hidden_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_feedback_hidden_by_id_users'), 'users', ['hidden_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('muted_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('suspended_until', sa.DateTime(), nullable=True))

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('moderator_edited_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_posts_hidden_by_id_users'), 'users', ['hidden_by_id'], ['id'], ondelete='SET NULL')
    _restore_search_triggers()


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_column('moderator_edited_at')
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_at')
    _restore_search_triggers()

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('suspended_until')
        batch_op.drop_column('muted_until')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_column('hidden_by_id')

    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exercise_responses_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_column('moderator_edited_at')
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_open')
        batch_op.drop_index(batch_op.f('ix_flags_author_id'))

    op.drop_table('flags')


def _restore_search_triggers():
    """SQLite's batch rebuild of `posts` dropped the FTS triggers of 0003: make them again, same text."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("posts_fts_insert", "posts_fts_delete", "posts_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN "
               "INSERT INTO posts_fts(rowid, body_source) VALUES (new.id, new.body_source); END")
    op.execute("CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN "
               "INSERT INTO posts_fts(posts_fts, rowid, body_source) VALUES ('delete', old.id, old.body_source); "
               "END")
    op.execute("CREATE TRIGGER posts_fts_update AFTER UPDATE OF body_source ON posts BEGIN "
               "INSERT INTO posts_fts(posts_fts, rowid, body_source) VALUES ('delete', old.id, old.body_source); "
               "INSERT INTO posts_fts(rowid, body_source) VALUES (new.id, new.body_source); END")
