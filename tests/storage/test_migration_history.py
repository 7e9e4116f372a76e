"""Applied migrations are history: every revision, up and down, leaves the schema it always left.

`migration_schemas.json` holds the schema at each revision 0001..0010, going up from an empty
database and coming back down from head, as SQLite's stored DDL and PostgreSQL's catalogs spell
it (each distinct row once under "rows"; a revision lists the indexes of its rows). Refactoring
the migration files (shared helpers) must keep it to the letter; a revision added later is
checked against the models by `test_migrated_schema_matches_the_models` instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import alembic_config

SNAPSHOT = Path(__file__).with_name("migration_schemas.json")
BASE = "base"

# Schema rows as each dialect states them; ordered so a row's place never depends on history.
# A column's place is its rank among the table's live columns: PostgreSQL's ordinal_position
# keeps counting the columns an earlier downgrade dropped.
_SQLITE_SCHEMA = """
    SELECT type, name, tbl_name, sql FROM sqlite_master
    WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
"""
_POSTGRES_SCHEMA = [
    """
    SELECT 'column', table_name, column_name,
        (row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position))::text
        || ' ' || data_type
        || ' ' || coalesce(character_maximum_length::text, '-') || ' ' || is_nullable
        || ' ' || coalesce(column_default, '-')
    FROM information_schema.columns WHERE table_schema = 'public'
    ORDER BY 2, 3
    """,
    """
    SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    ORDER BY 2, 3
    """,
    """
    SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' ORDER BY 2, 3
    """,
    """
    SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
    FROM pg_trigger WHERE NOT tgisinternal ORDER BY 2, 3
    """,
    """
    SELECT 'function', proname, '', pg_get_functiondef(oid)
    FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 2
    """,
    """
    SELECT 'sequence', sequencename, '', data_type::text || ' ' || start_value::text
    FROM pg_sequences WHERE schemaname = 'public' ORDER BY 2
    """,
]


def _sorted_constraints(sql: str) -> str:
    """SQLite DDL with its table constraints in name order: a batch rebuild of a table emits
    them in an order that changes from run to run (its columns keep theirs)."""
    head, paren, body = sql.partition("(\n\t")
    if not sql.startswith("CREATE TABLE") or not body.endswith("\n)"):
        return sql
    parts = body.removesuffix("\n)").split(", \n\t")
    columns = [p for p in parts if not p.startswith("CONSTRAINT ")]
    constraints = sorted(p for p in parts if p.startswith("CONSTRAINT "))
    return head + paren + ", \n\t".join(columns + constraints) + "\n)"


def _schema(connection: Connection) -> list[list[str]]:
    """Every table, column, constraint, index, trigger and function, as the database states it."""
    if connection.dialect.name == "sqlite":
        return [
            [kind, name, table, _sorted_constraints(str(sql))]
            for kind, name, table, sql in connection.execute(text(_SQLITE_SCHEMA)).all()
        ]
    return [
        [str(value) for value in row]
        for query in _POSTGRES_SCHEMA
        for row in connection.execute(text(query)).all()
    ]


def _walk(connection: Connection) -> dict[str, dict[str, list[list[str]]]]:
    """From head down to an empty schema and back up, the schema after each revision."""
    config = alembic_config()
    config.attributes["connection"] = connection
    revisions = list(ScriptDirectory.from_config(config).walk_revisions())  # newest first
    down: dict[str, list[list[str]]] = {}
    for revision in revisions:
        target = revision.down_revision
        assert target is None or isinstance(target, str)
        command.downgrade(config, target or BASE)
        down[target or BASE] = _schema(connection)
    up: dict[str, list[list[str]]] = {}
    for revision in reversed(revisions):
        command.upgrade(config, revision.revision)
        up[revision.revision] = _schema(connection)
    return {"up": up, "down": down}


async def walk_migrations(db_url: str) -> dict[str, dict[str, list[list[str]]]]:
    """Walk a migrated-to-head database down to nothing and back up; it ends at head."""
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            return await conn.run_sync(_walk)
    finally:
        await engine.dispose()


async def test_every_revision_leaves_the_schema_it_always_left(db_url: str) -> None:
    walked = await walk_migrations(db_url)
    dialect = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    expected = json.loads(SNAPSHOT.read_text())[dialect]
    rows = expected["rows"]
    for direction in ("up", "down"):
        for revision, indexes in expected[direction].items():
            assert walked[direction][revision] == [rows[i] for i in indexes], (direction, revision)
