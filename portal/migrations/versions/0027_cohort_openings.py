"""Cohort openings: a site administrator's recorded, time-limited reading of one cohort

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-01 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cohort_openings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('cohort_openings', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_openings_cohort_expires', ['cohort_id', 'expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_openings_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohort_openings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_openings_user_id'))
        batch_op.drop_index('ix_cohort_openings_cohort_expires')
    op.drop_table('cohort_openings')
