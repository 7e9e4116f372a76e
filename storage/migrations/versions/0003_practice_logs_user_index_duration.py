"""practice_logs: the user's keyset index also carries duration_minutes (covering sums)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:00:00.000000

(user_id, practiced_on, id) becomes (user_id, practiced_on, id, duration_minutes): the same
leading columns, so /history's keyset pages keep their order, and the counts and sums of
minutes over a user's sessions by date (the /history total line, the daily cap check on every
save) are answered from the index alone. The new index is built before the old one goes, so
no query is left without one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('practice_logs', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_practice_logs_user_id_practiced_on_id_duration_minutes'),
            ['user_id', 'practiced_on', 'id', 'duration_minutes'],
            unique=False,
        )
        batch_op.drop_index(batch_op.f('ix_practice_logs_user_id_practiced_on_id'))


def downgrade() -> None:
    with op.batch_alter_table('practice_logs', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_practice_logs_user_id_practiced_on_id'),
            ['user_id', 'practiced_on', 'id'],
            unique=False,
        )
        batch_op.drop_index(batch_op.f('ix_practice_logs_user_id_practiced_on_id_duration_minutes'))
