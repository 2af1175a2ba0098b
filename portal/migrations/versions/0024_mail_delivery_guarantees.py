"""Queued mail: a stable Message-ID, a lease, retries with back-off and failures recorded

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 05:00:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(), nullable=True))
    mail = sa.table('queued_mail', sa.column('id', sa.Integer), sa.column('message_id', sa.String))
    conn = op.get_bind()
    for (mail_id,) in conn.execute(sa.select(mail.c.id)).all():  # existing rows keep theirs from now on
        conn.execute(mail.update().where(mail.c.id == mail_id).values(message_id=f"<{uuid.uuid4().hex}@cohort-portal>"))
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=255), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_queued_mail_message_id'), ['message_id'])
        batch_op.create_index('ix_queued_mail_due', ['sent_at', 'failed_at', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_queued_mail_due')
        batch_op.drop_constraint(batch_op.f('uq_queued_mail_message_id'), type_='unique')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('message_id')
