"""streak_runs and skill_totals: derived state kept by triggers on practice_logs and skills

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 00:00:00.000000

/streak and /stats all read every session of a user to find runs of consecutive dates and
all-time totals per skill. These two tables hold the answers instead: streak_runs the maximal
runs of consecutive practice dates per (user, skill) and per user over any skill (skill_id 0),
skill_totals the sessions, minutes and first and last date per skill.

Database triggers keep both, in the transaction of the write and on every path that adds,
removes or re-dates a session: the repositories' inserts, updates and deletes, bulk imports,
restores, undo, and the ON DELETE CASCADE of a skill or a user. A write touches at most a few
rows of each (extend, merge, split or trim the run around one date).

On PostgreSQL the trigger first locks the owner's users row (FOR NO KEY UPDATE, which does not
conflict with foreign-key checks), so two instances writing one user's sessions maintain the
runs one after the other, each seeing the other's committed result.

Caution for later migrations: on SQLite, a batch_alter_table that recreates practice_logs or
skills drops their triggers; such a migration has to create them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_SKILLS = 0


def _add_day(user: str, skill: str, day: str, prev: str, next_: str) -> str:
    """Statements that put `day` into the series' runs (a no-op when a run holds it already)."""
    series = f"user_id = {user} AND skill_id = {skill}"
    other = f"r.user_id = {user} AND r.skill_id = {skill}"
    return f"""
    UPDATE streak_runs SET last_day = {day} WHERE {series} AND last_day = {prev};
    UPDATE streak_runs SET first_day = {day} WHERE {series} AND first_day = {next_};
    UPDATE streak_runs SET last_day = (
        SELECT r.last_day FROM streak_runs AS r WHERE {other} AND r.first_day = {day}
    ) WHERE {series} AND last_day = {day} AND first_day < {day}
        AND EXISTS (SELECT 1 FROM streak_runs AS r WHERE {other} AND r.first_day = {day});
    DELETE FROM streak_runs WHERE {series} AND first_day = {day}
        AND EXISTS (
            SELECT 1 FROM streak_runs AS r
            WHERE {other} AND r.first_day < {day} AND r.last_day >= {day}
        );
    INSERT INTO streak_runs (user_id, skill_id, first_day, last_day)
        SELECT {user}, {skill}, {day}, {day} WHERE NOT EXISTS (
            SELECT 1 FROM streak_runs AS r
            WHERE {other} AND r.first_day <= {day} AND r.last_day >= {day}
        );
"""


def _remove_day(user: str, skill: str, day: str, prev: str, next_: str, gone: str) -> str:
    """Statements that take `day` out of the series' runs when `gone` (no session left on it)."""
    series = f"user_id = {user} AND skill_id = {skill}"
    return f"""
    INSERT INTO streak_runs (user_id, skill_id, first_day, last_day)
        SELECT user_id, skill_id, {next_}, last_day FROM streak_runs
        WHERE {series} AND first_day < {day} AND last_day > {day} AND {gone};
    UPDATE streak_runs SET last_day = {prev}
        WHERE {series} AND first_day < {day} AND last_day >= {day} AND {gone};
    UPDATE streak_runs SET first_day = {next_}
        WHERE {series} AND first_day = {day} AND last_day > {day} AND {gone};
    DELETE FROM streak_runs
        WHERE {series} AND first_day = {day} AND last_day = {day} AND {gone};
"""


def _totals_add(row: str) -> str:
    return f"""
    UPDATE skill_totals SET
        sessions = sessions + 1,
        minutes = minutes + {row}.duration_minutes,
        first_day = CASE WHEN first_day IS NULL OR {row}.practiced_on < first_day
            THEN {row}.practiced_on ELSE first_day END,
        last_day = CASE WHEN last_day IS NULL OR {row}.practiced_on > last_day
            THEN {row}.practiced_on ELSE last_day END
    WHERE skill_id = {row}.skill_id;
"""


def _totals_remove(row: str) -> str:
    # The skill's (skill_id, practiced_on, id) index makes both bounds a seek.
    return f"""
    UPDATE skill_totals SET
        sessions = sessions - 1,
        minutes = minutes - {row}.duration_minutes,
        first_day = (SELECT min(practiced_on) FROM practice_logs WHERE skill_id = {row}.skill_id),
        last_day = (SELECT max(practiced_on) FROM practice_logs WHERE skill_id = {row}.skill_id)
    WHERE skill_id = {row}.skill_id;
"""


def _sqlite_add(row: str) -> str:
    day = f"{row}.practiced_on"
    prev, next_ = f"date({day}, '-1 day')", f"date({day}, '+1 day')"
    return "".join(
        _add_day(f"{row}.user_id", skill, day, prev, next_)
        for skill in (f"{row}.skill_id", str(ALL_SKILLS))
    ) + _totals_add(row)


def _sqlite_remove(row: str) -> str:
    day = f"{row}.practiced_on"
    prev, next_ = f"date({day}, '-1 day')", f"date({day}, '+1 day')"
    same_skill = (
        f"NOT EXISTS (SELECT 1 FROM practice_logs AS p "
        f"WHERE p.skill_id = {row}.skill_id AND p.practiced_on = {day})"
    )
    any_skill = (
        f"NOT EXISTS (SELECT 1 FROM practice_logs AS p "
        f"WHERE p.user_id = {row}.user_id AND p.practiced_on = {day})"
    )
    return (
        _remove_day(f"{row}.user_id", f"{row}.skill_id", day, prev, next_, same_skill)
        + _remove_day(f"{row}.user_id", str(ALL_SKILLS), day, prev, next_, any_skill)
        + _totals_remove(row)
    )


DATED_COLUMNS = "user_id, skill_id, practiced_on, duration_minutes"

SQLITE_TRIGGERS = {
    "practice_logs_derived_insert": (
        f"AFTER INSERT ON practice_logs FOR EACH ROW BEGIN {_sqlite_add('NEW')} END"
    ),
    "practice_logs_derived_delete": (
        f"AFTER DELETE ON practice_logs FOR EACH ROW BEGIN {_sqlite_remove('OLD')} END"
    ),
    "practice_logs_derived_update": (
        f"AFTER UPDATE OF {DATED_COLUMNS} ON practice_logs FOR EACH ROW BEGIN "
        f"{_sqlite_remove('OLD')} {_sqlite_add('NEW')} END"
    ),
    "skills_totals_insert": (
        "AFTER INSERT ON skills FOR EACH ROW BEGIN "
        "INSERT INTO skill_totals (skill_id, user_id, sessions, minutes) VALUES (NEW.id, NEW.user_id, 0, 0); END"
    ),
}

# One statement each: asyncpg prepares what it runs, and a prepared statement holds one command.
POSTGRES_FUNCTIONS = [
    f"""
CREATE FUNCTION streak_runs_add(p_user bigint, p_skill integer, p_day date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
{_add_day('p_user', 'p_skill', 'p_day', 'p_day - 1', 'p_day + 1')}
END $$""",
    f"""
CREATE FUNCTION streak_runs_remove(p_user bigint, p_skill integer, p_day date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_skill = {ALL_SKILLS} THEN
        IF EXISTS (SELECT 1 FROM practice_logs AS p
                   WHERE p.user_id = p_user AND p.practiced_on = p_day) THEN
            RETURN;
        END IF;
    ELSIF EXISTS (SELECT 1 FROM practice_logs AS p
                  WHERE p.skill_id = p_skill AND p.practiced_on = p_day) THEN
        RETURN;
    END IF;
{_remove_day('p_user', 'p_skill', 'p_day', 'p_day - 1', 'p_day + 1', 'true')}
END $$""",
    f"""
CREATE FUNCTION practice_logs_derived() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM 1 FROM users WHERE id = OLD.user_id FOR NO KEY UPDATE;
        PERFORM streak_runs_remove(OLD.user_id, OLD.skill_id, OLD.practiced_on);
        PERFORM streak_runs_remove(OLD.user_id, {ALL_SKILLS}, OLD.practiced_on);
        {_totals_remove('OLD')}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM 1 FROM users WHERE id = NEW.user_id FOR NO KEY UPDATE;
        PERFORM streak_runs_add(NEW.user_id, NEW.skill_id, NEW.practiced_on);
        PERFORM streak_runs_add(NEW.user_id, {ALL_SKILLS}, NEW.practiced_on);
        {_totals_add('NEW')}
    END IF;
    RETURN NULL;
END $$""",
    """
CREATE FUNCTION skills_totals_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_totals (skill_id, user_id, sessions, minutes) VALUES (NEW.id, NEW.user_id, 0, 0);
    RETURN NULL;
END $$""",
    f"""
CREATE TRIGGER practice_logs_derived
    AFTER INSERT OR DELETE OR UPDATE OF {DATED_COLUMNS} ON practice_logs
    FOR EACH ROW EXECUTE FUNCTION practice_logs_derived()""",
    """
CREATE TRIGGER skills_totals_insert AFTER INSERT ON skills
    FOR EACH ROW EXECUTE FUNCTION skills_totals_insert()""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS skills_totals_insert ON skills",
    "DROP TRIGGER IF EXISTS practice_logs_derived ON practice_logs",
    "DROP FUNCTION IF EXISTS skills_totals_insert()",
    "DROP FUNCTION IF EXISTS practice_logs_derived()",
    "DROP FUNCTION IF EXISTS streak_runs_remove(bigint, integer, date)",
    "DROP FUNCTION IF EXISTS streak_runs_add(bigint, integer, date)",
]

DAY_NUMBER = {
    "sqlite": "CAST(julianday(day) AS INTEGER)",
    "postgresql": "(day - DATE '1970-01-01')",
}


def _backfill_runs(dialect: str) -> str:
    """Gaps and islands over the distinct dates: consecutive dates minus their rank are equal."""
    return f"""
INSERT INTO streak_runs (user_id, skill_id, first_day, last_day)
SELECT user_id, skill_id, min(day), max(day) FROM (
    SELECT user_id, skill_id, day,
        {DAY_NUMBER[dialect]}
        - row_number() OVER (PARTITION BY user_id, skill_id ORDER BY day) AS island
    FROM (
        SELECT DISTINCT user_id, skill_id, practiced_on AS day FROM practice_logs
        UNION
        SELECT DISTINCT user_id, {ALL_SKILLS}, practiced_on FROM practice_logs
    ) AS days
) AS keyed
GROUP BY user_id, skill_id, island
"""


BACKFILL_TOTALS = """
INSERT INTO skill_totals (skill_id, user_id, sessions, minutes, first_day, last_day)
SELECT skills.id, skills.user_id, count(practice_logs.id), coalesce(sum(practice_logs.duration_minutes), 0),
    min(practice_logs.practiced_on), max(practice_logs.practiced_on)
FROM skills LEFT JOIN practice_logs ON practice_logs.skill_id = skills.id
GROUP BY skills.id, skills.user_id
"""


def upgrade() -> None:
    op.create_table('skill_totals',
    sa.Column('skill_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('sessions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['skill_id', 'user_id'], ['skills.id', 'skills.user_id'], name=op.f('fk_skill_totals_skill_id_user_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('skill_id', name=op.f('pk_skill_totals'))
    )
    op.create_table('streak_runs',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('skill_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_streak_runs_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'skill_id', 'first_day', name=op.f('pk_streak_runs'))
    )
    with op.batch_alter_table('streak_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_streak_runs_user_id_skill_id_last_day'), ['user_id', 'skill_id', 'last_day'], unique=False)

    dialect = op.get_bind().dialect.name
    op.execute(_backfill_runs(dialect))
    op.execute(BACKFILL_TOTALS)
    if dialect == 'postgresql':
        for statement in POSTGRES_FUNCTIONS:
            op.execute(statement)
    else:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRES_DROP:
            op.execute(statement)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('streak_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_streak_runs_user_id_skill_id_last_day'))

    op.drop_table('streak_runs')
    op.drop_table('skill_totals')
