"""goals in more shapes (sessions or days a week, a daily minimum) and the user's week start

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 00:30:00.000000

Users and skills get three more optional goals beside weekly_goal_minutes: sessions per week,
days per week and a daily minimum in minutes. users.week_start (0 = Monday ... 6 = Sunday)
is NULL until the user picks one; until then the week starts where their time zone's region
expects it. All nullable: existing rows keep meaning what they meant.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GOAL_CHECKS = (
    ('weekly_goal_sessions', 'weekly_goal_sessions IS NULL OR weekly_goal_sessions BETWEEN 1 AND 70'),
    ('weekly_goal_days', 'weekly_goal_days IS NULL OR weekly_goal_days BETWEEN 1 AND 7'),
    ('daily_goal_minutes', 'daily_goal_minutes IS NULL OR daily_goal_minutes BETWEEN 1 AND 1440'),
)


def _add_goals(batch_op: BatchOperations, table: str) -> None:
    batch_op.add_column(sa.Column('weekly_goal_sessions', sa.SmallInteger(), nullable=True))
    batch_op.add_column(sa.Column('weekly_goal_days', sa.SmallInteger(), nullable=True))
    batch_op.add_column(sa.Column('daily_goal_minutes', sa.Integer(), nullable=True))
    for name, condition in GOAL_CHECKS:
        batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), condition)


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('week_start', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_users_week_start'), 'week_start IS NULL OR week_start BETWEEN 0 AND 6'
        )
        _add_goals(batch_op, 'users')
    with op.batch_alter_table('skills', schema=None) as batch_op:
        _add_goals(batch_op, 'skills')


def downgrade() -> None:
    for table in ('skills', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in GOAL_CHECKS:
                batch_op.drop_constraint(batch_op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.drop_column('daily_goal_minutes')
            batch_op.drop_column('weekly_goal_days')
            batch_op.drop_column('weekly_goal_sessions')
            if table == 'users':
                batch_op.drop_constraint(batch_op.f('ck_users_week_start'), type_='check')
                batch_op.drop_column('week_start')
