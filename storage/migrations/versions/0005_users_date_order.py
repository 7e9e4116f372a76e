"""users: date_order and date_order_chosen (numeric dates), onboarded_at (set-up finished)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 00:10:00.000000

"11/12" is 11 December to most of the world and November 12 in the US. date_order holds the
user's reading ('day_first' or 'month_first'): inferred from the time zone's region until the
user chooses, and date_order_chosen records that they did (an ambiguous date is asked about
only until then). Existing users keep day first, the reading the bot always used.

onboarded_at is when /start's set-up ended, so a later /start greets instead of asking for the
time zone again. Not backfilled: a user with skills counts as set up anyway.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('date_order', sa.String(length=11), server_default='day_first', nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                'date_order_chosen', sa.Boolean(), server_default=sa.text('false'), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column('onboarded_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f('ck_users_date_order'), "date_order IN ('day_first', 'month_first')"
        )


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_date_order'), type_='check')
        batch_op.drop_column('onboarded_at')
        batch_op.drop_column('date_order_chosen')
        batch_op.drop_column('date_order')
