"""Index for the resend check: an author's posts of the last few minutes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 03:20:00

"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_author_recent', ['author_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_author_recent')
