"""practice_logs: the two keyset indexes also carry skill_id/user_id and duration_minutes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:00:00.000000

(user_id, practiced_on, id) becomes (user_id, practiced_on, id, skill_id, duration_minutes) and
(skill_id, practiced_on, id) becomes (skill_id, practiced_on, id, user_id, duration_minutes):
the same leading columns, so /history's keyset pages keep their order, and the counts and sums
over a user's or a skill's sessions (the /history total line, /stats, /progress, the skill
list, Quick Log's skill order, the daily-total check) are answered from the index alone.
The new indexes are built before the old ones go, so no query is left without one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_INDEX = 'ix_practice_logs_user_id_practiced_on_id_covering'
SKILL_INDEX = 'ix_practice_logs_skill_id_practiced_on_id_covering'


def upgrade() -> None:
    with op.batch_alter_table('practice_logs', schema=None) as batch_op:
        batch_op.create_index(
            USER_INDEX, ['user_id', 'practiced_on', 'id', 'skill_id', 'duration_minutes']
        )
        batch_op.create_index(
            SKILL_INDEX, ['skill_id', 'practiced_on', 'id', 'user_id', 'duration_minutes']
        )
        batch_op.drop_index(batch_op.f('ix_practice_logs_user_id_practiced_on_id'))
        batch_op.drop_index(batch_op.f('ix_practice_logs_skill_id_practiced_on_id'))


def downgrade() -> None:
    with op.batch_alter_table('practice_logs', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_practice_logs_user_id_practiced_on_id'), ['user_id', 'practiced_on', 'id']
        )
        batch_op.create_index(
            batch_op.f('ix_practice_logs_skill_id_practiced_on_id'),
            ['skill_id', 'practiced_on', 'id'],
        )
        batch_op.drop_index(USER_INDEX)
        batch_op.drop_index(SKILL_INDEX)
