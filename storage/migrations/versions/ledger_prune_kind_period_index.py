"""send_ledger: index (kind, period_key) for pruning old periodic rows

Revision ID: ledger_prune_index
Revises: 0001
Create Date: 2026-11-26 10:00:00.000000

The prune (bot/reminders/ledger_prune.py) deletes rows of the periodic kinds whose period is
long past. Without this index every run scans the whole table inside SQLite's write lock
(about 1.3 s at 3.6 million rows); with it, each batch is one index range per kind.
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'ledger_prune_index'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('send_ledger', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_send_ledger_kind_period_key'), ['kind', 'period_key'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('send_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_send_ledger_kind_period_key'))
