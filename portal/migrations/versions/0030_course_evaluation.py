"""Course evaluation: forms and questions from content/, anonymous answers, receipts of who has answered

Answers hold no person and no time, with random ids; receipts hold no link to an answer. On SQLite both
are WITHOUT ROWID tables, so their storage order follows their keys, not the order of arrival.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'evaluation_forms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('intro_html', sa.Text(), nullable=False),
        sa.Column('sessions', sa.JSON(), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_forms')),
        sa.UniqueConstraint('slug', name=op.f('uq_evaluation_forms_slug')),
    )
    op.create_table(
        'evaluation_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('prompt', sa.String(length=300), nullable=False),
        sa.Column('hint', sa.String(length=300), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('scale', 'choice', 'text')", name=op.f('ck_evaluation_questions_kind')),
        sa.ForeignKeyConstraint(['form_id'], ['evaluation_forms.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_questions_form_id_evaluation_forms')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_questions')),
        sa.UniqueConstraint('form_id', 'key', name=op.f('uq_evaluation_questions_form_id_key')),
    )
    with op.batch_alter_table('evaluation_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_questions_form_id'), ['form_id'], unique=False)
    op.create_table(
        'evaluation_answers',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('session_number', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('choice', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_answers_cohort_id_cohorts')),
        sa.ForeignKeyConstraint(['form_id'], ['evaluation_forms.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_answers_form_id_evaluation_forms')),
        sa.ForeignKeyConstraint(['question_id'], ['evaluation_questions.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_answers_question_id_evaluation_questions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_answers_slice', ['cohort_id', 'form_id', 'session_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answers_question_id'), ['question_id'], unique=False)
    op.create_table(
        'evaluation_receipts',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('session_number', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_receipts_cohort_id_cohorts')),
        sa.ForeignKeyConstraint(['form_id'], ['evaluation_forms.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_receipts_form_id_evaluation_forms')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_evaluation_receipts_user_id_users')),
        sa.PrimaryKeyConstraint('cohort_id', 'form_id', 'session_number', 'user_id',
                                name=op.f('pk_evaluation_receipts')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('evaluation_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_receipts_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('evaluation_receipts')
    op.drop_table('evaluation_answers')
    op.drop_table('evaluation_questions')
    op.drop_table('evaluation_forms')
