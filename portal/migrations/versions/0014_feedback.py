"""Feedback on exercise responses, and who is asked to give it (allocated mode)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 23:54:12.420330

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('what_worked', sa.Text(), nullable=False),
    sa.Column('what_worked_html', sa.Text(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('to_consider', sa.Text(), nullable=True),
    sa.Column('to_consider_html', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('client_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('landed', sa.JSON(), nullable=True),
    sa.Column('landed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'given')", name=op.f('ck_feedback_status')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_feedback_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['exercise_responses.id'], name=op.f('fk_feedback_response_id_exercise_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_feedback_reviewer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('response_id', 'reviewer_id', name=op.f('uq_feedback_response_id_reviewer_id'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('review_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_allocations_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_review_allocations_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_review_allocations_exercise_id_exercises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['exercise_responses.id'], name=op.f('fk_review_allocations_response_id_exercise_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_review_allocations_reviewer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_allocations')),
    sa.UniqueConstraint('response_id', 'reviewer_id', name=op.f('uq_review_allocations_response_id_reviewer_id'))
    )
    with op.batch_alter_table('review_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_allocations_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_allocations_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_allocations_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_allocations_reviewer_id'), ['reviewer_id'], unique=False)



    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_released_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('take_forward', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('take_forward_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('feedback_read_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('cohort_exercise_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_released_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('cohort_exercise_settings', schema=None) as batch_op:
        batch_op.drop_column('feedback_released_at')
    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.drop_column('feedback_read_at')
        batch_op.drop_column('take_forward_at')
        batch_op.drop_column('take_forward')
        batch_op.drop_column('feedback_released_at')
    with op.batch_alter_table('review_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_allocations_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_review_allocations_response_id'))
        batch_op.drop_index(batch_op.f('ix_review_allocations_exercise_id'))
        batch_op.drop_index(batch_op.f('ix_review_allocations_cohort_id'))

    op.drop_table('review_allocations')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_response_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_cohort_id'))

    op.drop_table('feedback')
