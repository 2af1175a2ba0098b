"""Membership lifecycle: who left while paused, and what became of each invitation

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 22:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_while_paused', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('accepted_via', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('accepted_via')
        batch_op.drop_column('resent_at')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('left_while_paused')
