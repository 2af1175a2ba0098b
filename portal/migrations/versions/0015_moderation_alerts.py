"""Alerts that call a cohort's facilitators to held content and safety flags

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 01:31:19.932970

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderation_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason IN ('safety_words', 'safety_flag', 'pre_moderation', 'flag_threshold')", name=op.f('ck_moderation_alerts_reason')),
    sa.CheckConstraint("subject_kind IN ('post', 'thread', 'response', 'feedback')", name=op.f('ck_moderation_alerts_subject_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_moderation_alerts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_moderation_alerts_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_moderation_alerts_handled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_moderation_alerts_raised_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_alerts'))
    )
    with op.batch_alter_table('moderation_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_alerts_open', ['cohort_id', 'handled_at', 'created_at'], unique=False)
        batch_op.create_index('ix_moderation_alerts_subject', ['subject_kind', 'subject_id'], unique=False)



def downgrade():
    with op.batch_alter_table('moderation_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_alerts_subject')
        batch_op.drop_index('ix_moderation_alerts_open')

    op.drop_table('moderation_alerts')
