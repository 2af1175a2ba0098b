"""A session's date and time kept apart, in the course's zone

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 22:50:00

"""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_rows = sa.table('cohort_sessions', sa.column('id', sa.Integer()), sa.column('starts_at', sa.DateTime()),
                 sa.column('day', sa.Date()), sa.column('start_time', sa.Time()))


def _zone() -> ZoneInfo:
    # The zone the times were typed in (PORTAL_TIMEZONE): stored UTC becomes the wall-clock time people chose.
    return ZoneInfo(current_app.config.get("TIMEZONE") or "Europe/London")


def _as_datetime(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def upgrade():
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('start_time', sa.Time(), nullable=True))
    conn, zone = op.get_bind(), _zone()
    for row_id, starts_at in conn.execute(sa.select(_rows.c.id, _rows.c.starts_at)
                                          .where(_rows.c.starts_at.is_not(None))).all():
        local = _as_datetime(starts_at).replace(tzinfo=timezone.utc).astimezone(zone)
        # An empty time used to be saved as midnight: that was "no time yet", not a midnight session.
        at = None if local.time() == time(0, 0) else local.time().replace(second=0, microsecond=0)
        conn.execute(_rows.update().where(_rows.c.id == row_id).values(day=local.date(), start_time=at))
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.drop_column('starts_at')


def downgrade():
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(), nullable=True))
    conn, zone = op.get_bind(), _zone()
    for row_id, day, at in conn.execute(sa.select(_rows.c.id, _rows.c.day, _rows.c.start_time)
                                        .where(_rows.c.day.is_not(None))).all():
        local = datetime.combine(day, at or time(0, 0), tzinfo=zone)  # a time without a date is lost here
        starts = local.astimezone(timezone.utc).replace(tzinfo=None)
        conn.execute(_rows.update().where(_rows.c.id == row_id).values(starts_at=starts))
    with op.batch_alter_table('cohort_sessions', schema=None) as batch_op:
        batch_op.drop_column('start_time')
        batch_op.drop_column('day')
