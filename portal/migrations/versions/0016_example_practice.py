"""A learner's practice on an exercise's example before their first feedback

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('example_practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('what_worked', sa.Text(), nullable=False),
    sa.Column('what_worked_html', sa.Text(), nullable=False),
    sa.Column('to_consider', sa.Text(), nullable=True),
    sa.Column('to_consider_html', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_example_practice_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_example_practice_exercise_id_exercises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_example_practice_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_example_practice')),
    sa.UniqueConstraint('cohort_id', 'exercise_id', 'user_id', name=op.f('uq_example_practice_cohort_id_exercise_id_user_id'))
    )
    with op.batch_alter_table('example_practice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_example_practice_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_example_practice_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_example_practice_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('example_practice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_example_practice_user_id'))
        batch_op.drop_index(batch_op.f('ix_example_practice_exercise_id'))
        batch_op.drop_index(batch_op.f('ix_example_practice_cohort_id'))

    op.drop_table('example_practice')
