"""send_ledger: partial index on claimed_at of the periodic kinds, for pruning

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:40:00.000000

The prune (bot/jobs/ledger_prune.py) deletes rows of the periodic kinds claimed long ago.
Without an index every run scans the whole table (inside SQLite's write lock); this one holds
only the periodic rows (milestones, kept forever, stay out of it), oldest claim first.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of storage.models.LEDGER_PRUNE_INDEX_SQL as of this migration. The claimed_at
# test is always true; it keeps the sweep's queries (which never bound claimed_at) off this
# index even when PostgreSQL's statistics say the table is empty.
PERIODIC = "kind IN ('inactivity', 'streak', 'weekly') AND claimed_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table('send_ledger', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_send_ledger_claimed_at'),
            ['claimed_at'],
            unique=False,
            sqlite_where=sa.text(PERIODIC),
            postgresql_where=sa.text(PERIODIC),
        )


def downgrade() -> None:
    with op.batch_alter_table('send_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_send_ledger_claimed_at'))
