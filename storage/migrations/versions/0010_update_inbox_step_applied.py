"""update_inbox.step_applied_at: when an update's conversation step landed, in its transaction

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 01:30:00.000000

Set inside the commit of an update's conversation step: an update replayed after a crash
between that commit and its done mark is then answered without its step being taken a second
time. Saves are not marked: their idempotency keys already save a replay once, and the mark
would cost every save one more statement.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('update_inbox', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('step_applied_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('update_inbox', schema=None) as batch_op:
        batch_op.drop_column('step_applied_at')
