"""Announcements from a cohort's facilitators, and each member's dismissal of one from their cohort home

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-01 08:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'announcements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('body_source', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('client_token', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_announcements_author_id_users')),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE',
                                name=op.f('fk_announcements_cohort_id_cohorts')),
        sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_announcements_withdrawn_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements')),
        sa.UniqueConstraint('cohort_id', 'client_token', name=op.f('uq_announcements_cohort_id_client_token')),
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index('ix_announcements_cohort', ['cohort_id', 'withdrawn_at', 'id'], unique=False)
    op.create_table(
        'announcement_dismissals',
        sa.Column('announcement_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('dismissed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], ondelete='CASCADE',
                                name=op.f('fk_announcement_dismissals_announcement_id_announcements')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_announcement_dismissals_user_id_users')),
        sa.PrimaryKeyConstraint('announcement_id', 'user_id', name=op.f('pk_announcement_dismissals')),
    )
    with op.batch_alter_table('announcement_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_dismissals_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('announcement_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_dismissals_user_id'))
    op.drop_table('announcement_dismissals')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index('ix_announcements_cohort')
    op.drop_table('announcements')
