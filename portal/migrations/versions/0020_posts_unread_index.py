"""Indexes for counting new replies on the home pages: the joined threads, and their posts by number

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 02:00:00

"""
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_thread_unread', ['thread_id', 'number', 'author_id', 'withdrawn_at',
                                                         'cohort_id', 'held_at', 'released_at', 'hidden_at'], unique=False)
        batch_op.create_index('ix_posts_author_threads', ['author_id', 'cohort_id', 'withdrawn_at', 'thread_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_author_threads')
        batch_op.drop_index('ix_posts_thread_unread')
