"""Recovery codes in their own table, hashed with argon2id, each claimed once by an atomic update

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 23:00:00

Codes issued earlier were stored as plain SHA-256 digests in users.recovery_codes (a JSON list). They
move here as "legacy:" + argon2id(digest): they keep working until used, and a copy of the database no
longer gives them away. Going back down cannot recover the digests, so downgrading drops the unused
codes (people with two-factor sign-in keep their authenticator; a site admin can help them set up again).
"""
import json

from alembic import op
import sqlalchemy as sa
from argon2 import PasswordHasher


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    conn = op.get_bind()
    hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    insert = sa.text("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (:u, :h, :c)")
    rows = conn.execute(sa.text("SELECT id, recovery_codes, totp_enabled_at FROM users "
                                "WHERE recovery_codes IS NOT NULL")).all()
    for user_id, stored, enabled_at in rows:
        digests = json.loads(stored) if isinstance(stored, str) else (stored or [])
        values = [{"u": user_id, "h": "legacy:" + hasher.hash(d), "c": enabled_at}
                  for d in digests if isinstance(d, str)]
        if values and enabled_at is not None:  # codes only mean something while two-factor is on
            conn.execute(insert, values)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('recovery_codes')
    # SQLite rebuilt the table without the expression index it cannot reflect: put it back.
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recovery_codes', sa.JSON(), nullable=True))
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))")
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
