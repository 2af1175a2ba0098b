"""Index for counting new replies on the home pages: a thread's posts by number, with what the count reads

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


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_thread_unread')
