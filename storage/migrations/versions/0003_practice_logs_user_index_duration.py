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

from storage.migrations.ops import create_indexes, drop_indexes

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_indexes('practice_logs', ['user_id', 'practiced_on', 'id', 'duration_minutes'])
    drop_indexes('practice_logs', ['user_id', 'practiced_on', 'id'])


def downgrade() -> None:
    create_indexes('practice_logs', ['user_id', 'practiced_on', 'id'])
    drop_indexes('practice_logs', ['user_id', 'practiced_on', 'id', 'duration_minutes'])
