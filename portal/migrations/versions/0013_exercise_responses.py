"""Exercise responses, their earlier versions and the authors' private self-check answers

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 23:23:30.957273

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('exercise_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('content_warning', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reopened', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f('ck_exercise_responses_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_exercise_responses_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_exercise_responses_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_exercise_responses_exercise_id_exercises'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_responses')),
    sa.UniqueConstraint('cohort_id', 'exercise_id', 'author_id', name=op.f('uq_exercise_responses_cohort_id_exercise_id_author_id'))
    )
    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_responses_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercise_responses_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercise_responses_exercise_id'), ['exercise_id'], unique=False)

    op.create_table('response_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('content_warning', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['exercise_responses.id'], name=op.f('fk_response_revisions_response_id_exercise_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_revisions'))
    )
    with op.batch_alter_table('response_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_revisions_response_id'), ['response_id'], unique=False)

    op.create_table('response_self_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_response_self_checks_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['exercise_responses.id'], name=op.f('fk_response_self_checks_response_id_exercise_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_self_checks')),
    sa.UniqueConstraint('response_id', name=op.f('uq_response_self_checks_response_id'))
    )
    with op.batch_alter_table('response_self_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_self_checks_author_id'), ['author_id'], unique=False)




def downgrade():

    with op.batch_alter_table('response_self_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_self_checks_author_id'))

    op.drop_table('response_self_checks')
    with op.batch_alter_table('response_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_revisions_response_id'))

    op.drop_table('response_revisions')
    with op.batch_alter_table('exercise_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_responses_exercise_id'))
        batch_op.drop_index(batch_op.f('ix_exercise_responses_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_exercise_responses_author_id'))

    op.drop_table('exercise_responses')

