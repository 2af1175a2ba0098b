"""Kept text after a lost session; the composer token on drafts; thread titles in search

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 22:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kept_texts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_texts')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kept_texts_token_hash'))
    )
    with op.batch_alter_table('kept_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_texts_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_texts_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))
    _create_title_search()


def downgrade():
    _drop_title_search()
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_column('token')
    with op.batch_alter_table('kept_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_texts_user_id'))
        batch_op.drop_index(batch_op.f('ix_kept_texts_expires_at'))
    op.drop_table('kept_texts')


# Thread titles in full-text search, beside posts (0003): SQLite FTS5 kept by triggers, PostgreSQL a GIN
# index on the English tsvector. Outside the models, so env.py leaves them alone.
def _create_title_search():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE threads_fts USING fts5(title, content='threads', content_rowid='id', "
                   "tokenize='porter unicode61')")
        op.execute("CREATE TRIGGER threads_fts_insert AFTER INSERT ON threads BEGIN "
                   "INSERT INTO threads_fts(rowid, title) VALUES (new.id, new.title); END")
        op.execute("CREATE TRIGGER threads_fts_delete AFTER DELETE ON threads BEGIN "
                   "INSERT INTO threads_fts(threads_fts, rowid, title) VALUES ('delete', old.id, old.title); END")
        op.execute("CREATE TRIGGER threads_fts_update AFTER UPDATE OF title ON threads BEGIN "
                   "INSERT INTO threads_fts(threads_fts, rowid, title) VALUES ('delete', old.id, old.title); "
                   "INSERT INTO threads_fts(rowid, title) VALUES (new.id, new.title); END")
        op.execute("INSERT INTO threads_fts(threads_fts) VALUES ('rebuild')")
    else:
        op.execute("CREATE INDEX ix_threads_fts ON threads USING gin (to_tsvector('english', title))")


def _drop_title_search():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("threads_fts_insert", "threads_fts_delete", "threads_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS threads_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_threads_fts")
