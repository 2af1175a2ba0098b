"""Data rights: "my data" exports and erasure requests; erasure may redact an audit event's text

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

# The audit log stays append-only (migration 0019), with one more exception: erasing a member may replace an
# event's text (detail) with exactly this marker and nothing else. The event itself (who, what, when) stays.
REDACTED = "[removed at the member''s request]"
ALLOW_REDACTION = f'''
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.action = OLD.action
           AND NEW.subject_type IS NOT DISTINCT FROM OLD.subject_type
           AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
           AND (NEW.detail IS NOT DISTINCT FROM OLD.detail OR NEW.detail = '{REDACTED}')
           AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
           AND (NEW.cohort_id IS NULL OR NEW.cohort_id IS NOT DISTINCT FROM OLD.cohort_id) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
'''
APPEND_ONLY = '''
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.action = OLD.action
           AND NEW.subject_type IS NOT DISTINCT FROM OLD.subject_type
           AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
           AND NEW.detail IS NOT DISTINCT FROM OLD.detail
           AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
           AND (NEW.cohort_id IS NULL OR NEW.cohort_id IS NOT DISTINCT FROM OLD.cohort_id) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
'''


def upgrade():
    op.create_table(
        'data_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('file_key', sa.String(length=60), nullable=True),
        sa.Column('file_size', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'building', 'ready', 'failed')", name=op.f('ck_data_exports_status')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports')),
    )
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_exports_user_id'), ['user_id'], unique=False)
    op.create_table(
        'erasure_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'done', 'withdrawn')", name=op.f('ck_erasure_requests_status')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_erasure_requests_decided_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_erasure_requests_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_requests')),
    )
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_requests_user_id'), ['user_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(ALLOW_REDACTION)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(APPEND_ONLY)
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_requests_user_id'))
    op.drop_table('erasure_requests')
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_exports_user_id'))
    op.drop_table('data_exports')
