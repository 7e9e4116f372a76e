"""timers: one running practice timer per user; skills.next_focus

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 00:20:00.000000

A timer's time is computed from its stored timestamps (started_at, paused_at, paused_seconds),
never from a ticking process, so restarts and other instances agree on it. user_id is unique:
the database, not the handler, keeps a user to one running timer, also across instances.
refresh_at is when the live message is next due for a refresh (the refresh job claims due rows
by moving it); last_seen_at and guard_asked_at drive the forgotten-timer guard.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types
from storage.migrations.ops import (
    create_indexes,
    drop_indexes,
    owned_row_columns,
    owned_skill_key,
    owner_keys,
)

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'timers',
        *owned_row_columns(),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=True),
        sa.Column('intention', sa.String(length=500), nullable=True),
        sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('paused_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('paused_seconds', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_seen_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('refresh_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('guard_asked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint('paused_seconds >= 0', name=op.f('ck_timers_paused_seconds')),
        owned_skill_key('timers'),
        *owner_keys('timers'),
        sa.UniqueConstraint('user_id', name=op.f('uq_timers_user_id')),
        # Never reuse an id: old messages' buttons carry it.
        sqlite_autoincrement=True,
    )
    create_indexes('timers', ['refresh_at'], ['last_seen_at'])
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_focus', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.drop_column('next_focus')
    drop_indexes('timers', ['last_seen_at'], ['refresh_at'])
    op.drop_table('timers')
