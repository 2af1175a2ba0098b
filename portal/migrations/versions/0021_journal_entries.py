"""Journal entries: private to their author, optionally shared with the cohort's facilitators

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'journal_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('course_session_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=True),
        sa.Column('body_source', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('client_token', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('shared_at', sa.DateTime(), nullable=True),
        sa.Column('reply_source', sa.Text(), nullable=True),
        sa.Column('reply_html', sa.Text(), nullable=True),
        sa.Column('reply_author_id', sa.Integer(), nullable=True),
        sa.Column('replied_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_session_id'], ['course_sessions.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reply_author_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('author_id', 'client_token'),
    )
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index('ix_journal_entries_author_cohort', ['author_id', 'cohort_id', 'created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entries_shared_at'), ['shared_at'], unique=False)


def downgrade():
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_entries_shared_at'))
        batch_op.drop_index('ix_journal_entries_author_cohort')
    op.drop_table('journal_entries')
