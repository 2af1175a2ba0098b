"""Queued mail: headers a message adds (List-Unsubscribe and List-Unsubscribe-Post)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 04:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.drop_column('headers')
