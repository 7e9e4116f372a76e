"""update_inbox: Telegram updates stored before they are acknowledged, until handled

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 00:10:00.000000

An update is acknowledged to Telegram (the next getUpdates offset, or the webhook's 200) only
once it is a row here; it is marked done once handled, and after a crash the pending rows are
handled first. The partial index holds only pending rows, in arrival order; done_at's index
serves the prune of old done rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'update_inbox',
        sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=True),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('update_id', name=op.f('pk_update_inbox')),
    )
    with op.batch_alter_table('update_inbox', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_update_inbox_update_id'),
            ['update_id'],
            unique=False,
            sqlite_where=sa.text('done_at IS NULL'),
            postgresql_where=sa.text('done_at IS NULL'),
        )
        batch_op.create_index(batch_op.f('ix_update_inbox_done_at'), ['done_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('update_inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_inbox_done_at'))
        batch_op.drop_index(batch_op.f('ix_update_inbox_update_id'))
    op.drop_table('update_inbox')
