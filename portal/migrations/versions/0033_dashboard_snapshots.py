"""Dashboard snapshots: each cohort's members × sessions activity counts, refreshed on the queue

Revision ID: 0033
Revises: 0031
Create Date: 2026-12-01 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0033'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dashboard_snapshots',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('since_day', sa.Date(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE',
                                name=op.f('fk_dashboard_snapshots_cohort_id_cohorts')),
        sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_dashboard_snapshots')),
    )


def downgrade():
    op.drop_table('dashboard_snapshots')
