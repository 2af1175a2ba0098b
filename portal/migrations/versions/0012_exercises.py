"""Practice exercises (loaded from content/exercises/) and a cohort's feedback-mode choice per exercise

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 23:12:55

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('course_session_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('prompt_source', sa.Text(), nullable=False),
    sa.Column('prompt_html', sa.Text(), nullable=False),
    sa.Column('guidance_source', sa.Text(), nullable=False),
    sa.Column('guidance_html', sa.Text(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('reviewers_per_response', sa.Integer(), nullable=True),
    sa.Column('anonymous_reviewers', sa.Boolean(), nullable=False),
    sa.Column('give_before_get', sa.Boolean(), nullable=False),
    sa.Column('responses_due_days', sa.Integer(), nullable=False),
    sa.Column('feedback_due_days', sa.Integer(), nullable=False),
    sa.Column('self_check', sa.Boolean(), nullable=False),
    sa.Column('self_check_questions', sa.JSON(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('example_response_source', sa.Text(), nullable=True),
    sa.Column('example_response_html', sa.Text(), nullable=True),
    sa.Column('example_feedback', sa.JSON(), nullable=True),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("mode IN ('open', 'allocated', 'facilitator-only')", name=op.f('ck_exercises_mode')),
    sa.CheckConstraint('reviewers_per_response IS NULL OR reviewers_per_response BETWEEN 1 AND 4', name=op.f('ck_exercises_reviewers_per_response')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_exercises_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_session_id'], ['course_sessions.id'], name=op.f('fk_exercises_course_session_id_course_sessions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercises')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_exercises_course_id_slug'))
    )
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercises_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercises_course_session_id'), ['course_session_id'], unique=False)

    op.create_table('cohort_exercise_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("mode IN ('open', 'allocated', 'facilitator-only')", name=op.f('ck_cohort_exercise_settings_mode')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_exercise_settings_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_cohort_exercise_settings_exercise_id_exercises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_exercise_settings')),
    sa.UniqueConstraint('cohort_id', 'exercise_id', name=op.f('uq_cohort_exercise_settings_cohort_id_exercise_id'))
    )
    with op.batch_alter_table('cohort_exercise_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_exercise_settings_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_exercise_settings_exercise_id'), ['exercise_id'], unique=False)



def downgrade():
    with op.batch_alter_table('cohort_exercise_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_exercise_settings_exercise_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_exercise_settings_cohort_id'))

    op.drop_table('cohort_exercise_settings')
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercises_course_session_id'))
        batch_op.drop_index(batch_op.f('ix_exercises_course_id'))

    op.drop_table('exercises')
