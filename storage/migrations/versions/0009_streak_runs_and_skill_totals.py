"""streak_runs and skill_totals: derived state kept by triggers on practice_logs and skills

Revision ID: 0009
Revises: 0008
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

from storage.migrations.ops import create_indexes, drop_indexes, owned_skill_key, owner_keys

revision: str = '0009'
down_revision: str | None = '0008'
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

# PostgreSQL: statement-level triggers over transition tables, so a multi-row INSERT (an
# import, a restore) or a cascade is handled set-based once per statement: totals in one
# grouped UPDATE, runs rebuilt over each affected series' date span. A statement of a few rows
# (a save, an edit, a delete) patches the runs around each date instead.
_UPDATED_SQL = (
    "SELECT {side}.* FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
    "WHERE (o.user_id, o.skill_id, o.practiced_on, o.duration_minutes) "
    "IS DISTINCT FROM (n.user_id, n.skill_id, n.practiced_on, n.duration_minutes)"
)
POSTGRES_CHANGES = {
    "practice_logs_inserted": ("", "SELECT * FROM new_rows"),
    "practice_logs_deleted": ("SELECT * FROM old_rows", ""),
    "practice_logs_updated": (_UPDATED_SQL.format(side="o"), _UPDATED_SQL.format(side="n")),
}
# Up to this many changed sessions in one statement, runs are patched date by date.
PATCH_LIMIT = 4


def _postgres_rebuild(changed: str) -> str:
    """Delete the runs touching each changed series' date span, rebuild them from the sessions."""
    return f"""
    WITH changed AS ({changed}),
    series AS (
        SELECT user_id, skill_id, min(practiced_on) AS lo, max(practiced_on) AS hi
        FROM changed GROUP BY user_id, skill_id
        UNION ALL
        SELECT user_id, {ALL_SKILLS}, min(practiced_on), max(practiced_on)
        FROM changed GROUP BY user_id
    ),
    gone AS (
        DELETE FROM streak_runs AS r USING series AS s
        WHERE r.user_id = s.user_id AND r.skill_id = s.skill_id
            AND r.first_day <= s.hi + 1 AND r.last_day >= s.lo - 1
        RETURNING r.user_id, r.skill_id, r.first_day, r.last_day
    ),
    bounds AS (
        SELECT s.user_id, s.skill_id,
            LEAST(s.lo, min(g.first_day)) AS a, GREATEST(s.hi, max(g.last_day)) AS b
        FROM series AS s LEFT JOIN gone AS g
            ON g.user_id = s.user_id AND g.skill_id = s.skill_id
        GROUP BY s.user_id, s.skill_id, s.lo, s.hi
    ),
    days AS (
        SELECT DISTINCT b.user_id, b.skill_id, p.practiced_on AS day
        FROM bounds AS b JOIN practice_logs AS p
            ON p.skill_id = b.skill_id AND p.practiced_on BETWEEN b.a AND b.b
        WHERE b.skill_id <> {ALL_SKILLS}
        UNION
        SELECT DISTINCT b.user_id, b.skill_id, p.practiced_on
        FROM bounds AS b JOIN practice_logs AS p
            ON p.user_id = b.user_id AND p.practiced_on BETWEEN b.a AND b.b
        WHERE b.skill_id = {ALL_SKILLS}
    ),
    keyed AS (
        SELECT user_id, skill_id, day,
            (day - DATE '1970-01-01')
            - row_number() OVER (PARTITION BY user_id, skill_id ORDER BY day) AS island
        FROM days
        -- A user being erased: their runs go with them, none may be written back.
        WHERE EXISTS (SELECT 1 FROM users WHERE users.id = days.user_id)
    )
    INSERT INTO streak_runs (user_id, skill_id, first_day, last_day)
    SELECT user_id, skill_id, min(day), max(day) FROM keyed
    GROUP BY user_id, skill_id, island;
"""


def _postgres_trigger_function(name: str, removed: str, added: str) -> str:
    parts = [f"({part})" for part in (removed, added) if part]
    changed = " UNION ALL ".join(
        f"SELECT user_id, skill_id, practiced_on FROM {part} AS c" for part in parts
    )
    # Writers of one user's sessions take turns (FOR NO KEY UPDATE leaves foreign-key checks
    # alone), so each maintains the runs from the other's committed result.
    lock_one = "PERFORM 1 FROM users WHERE id = one.user_id FOR NO KEY UPDATE;"
    body = [
        "DECLARE changed_count integer; one record;",
        "BEGIN",
        f"SELECT count(*) INTO changed_count FROM ({changed}) AS c;",
        "IF changed_count = 0 THEN RETURN NULL; END IF;",
        # A few sessions (a save, an edit, a delete): patch around each date, one row at a
        # time. Queries over the transition tables are planned afresh on every call, so this
        # path reads them once and works on plain values.
        f"IF changed_count <= {PATCH_LIMIT} THEN",
    ]
    if removed:
        body += [
            f"FOR one IN {removed} LOOP",
            lock_one,
            "PERFORM streak_runs_remove(one.user_id, one.skill_id, one.practiced_on);",
            f"PERFORM streak_runs_remove(one.user_id, {ALL_SKILLS}, one.practiced_on);",
            _totals_remove("one"),
            "END LOOP;",
        ]
    if added:
        body += [
            f"FOR one IN {added} LOOP",
            lock_one,
            "PERFORM streak_runs_add(one.user_id, one.skill_id, one.practiced_on);",
            f"PERFORM streak_runs_add(one.user_id, {ALL_SKILLS}, one.practiced_on);",
            _totals_add("one"),
            "END LOOP;",
        ]
    body += [
        "RETURN NULL;",
        "END IF;",
        f"PERFORM 1 FROM users WHERE id IN (SELECT user_id FROM ({changed}) AS c) "
        "ORDER BY id FOR NO KEY UPDATE;",
    ]
    for part, sign in ((removed, "-"), (added, "+")):
        if part:
            body.append(
                f"UPDATE skill_totals AS t SET sessions = t.sessions {sign} g.cnt, "
                f"minutes = t.minutes {sign} g.mins FROM (SELECT skill_id, count(*) AS cnt, "
                f"sum(duration_minutes) AS mins FROM ({part}) AS c GROUP BY skill_id) AS g "
                "WHERE t.skill_id = g.skill_id;"
            )
    body.append(
        "UPDATE skill_totals AS t SET "
        "first_day = (SELECT min(p.practiced_on) FROM practice_logs AS p "
        "WHERE p.skill_id = t.skill_id), "
        "last_day = (SELECT max(p.practiced_on) FROM practice_logs AS p "
        "WHERE p.skill_id = t.skill_id) "
        f"WHERE t.skill_id IN (SELECT skill_id FROM ({changed}) AS c);"
    )
    body += [_postgres_rebuild(changed), "RETURN NULL;", "END"]
    joined = "\n".join(body)
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n{joined}\n$$"


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
    *(
        _postgres_trigger_function(name, removed, added)
        for name, (removed, added) in POSTGRES_CHANGES.items()
    ),
    """
CREATE FUNCTION skills_totals_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_totals (skill_id, user_id, sessions, minutes) VALUES (NEW.id, NEW.user_id, 0, 0);
    RETURN NULL;
END $$""",
    """
CREATE TRIGGER practice_logs_inserted AFTER INSERT ON practice_logs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION practice_logs_inserted()""",
    """
CREATE TRIGGER practice_logs_deleted AFTER DELETE ON practice_logs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION practice_logs_deleted()""",
    """
CREATE TRIGGER practice_logs_updated AFTER UPDATE ON practice_logs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION practice_logs_updated()""",
    """
CREATE TRIGGER skills_totals_insert AFTER INSERT ON skills
    FOR EACH ROW EXECUTE FUNCTION skills_totals_insert()""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS skills_totals_insert ON skills",
    *(f"DROP TRIGGER IF EXISTS {name} ON practice_logs" for name in POSTGRES_CHANGES),
    "DROP FUNCTION IF EXISTS skills_totals_insert()",
    *(f"DROP FUNCTION IF EXISTS {name}()" for name in POSTGRES_CHANGES),
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
    owned_skill_key('skill_totals'),
    sa.PrimaryKeyConstraint('skill_id', name=op.f('pk_skill_totals'))
    )
    op.create_table('streak_runs',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('skill_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    *owner_keys('streak_runs', 'user_id', 'skill_id', 'first_day')
    )
    create_indexes('streak_runs', ['user_id', 'skill_id', 'last_day'])

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
    drop_indexes('streak_runs', ['user_id', 'skill_id', 'last_day'])

    op.drop_table('streak_runs')
    op.drop_table('skill_totals')
