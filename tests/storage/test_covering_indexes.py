"""practice_logs' covering user index: migrations match the models, 0003 downgrades to the old
index, sums of minutes are read from the index alone, and /history pages keep their order (also
under PostgreSQL's generic plans for prepared statements)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.history import HistoryFilter
from storage.db import create_engine
from storage.migrate import alembic_config
from storage.models import Base
from storage.uow import UnitOfWork
from tests.seed import seed_crowd, seed_interleaved_history
from tests.support import UnitOfWorkFactory

SARAH, MALLORY = 1001, 2002
DAY = date(2026, 11, 20)
REVISION = "0003"
USER_INDEX = "ix_practice_logs_user_id_practiced_on_id_duration_minutes"
SKILL_INDEX = "ix_practice_logs_skill_id_practiced_on_id"
HEAD_INDEXES = {
    USER_INDEX: ["user_id", "practiced_on", "id", "duration_minutes"],
    SKILL_INDEX: ["skill_id", "practiced_on", "id"],
}
BEFORE_0003 = {
    "ix_practice_logs_user_id_practiced_on_id": ["user_id", "practiced_on", "id"],
    SKILL_INDEX: ["skill_id", "practiced_on", "id"],
}


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _practice_log_indexes(connection: Connection) -> dict[str, list[str]]:
    return {
        str(ix["name"]): [str(c) for c in ix["column_names"]]
        for ix in inspect(connection).get_indexes("practice_logs")
        if str(ix["name"]).startswith("ix_practice_logs")
    }


def _migrate(connection: Connection, direction: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, direction)(config, revision)


async def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []
            assert await conn.run_sync(_practice_log_indexes) == HEAD_INDEXES
    finally:
        await engine.dispose()


async def test_downgrade_restores_the_old_user_index_and_upgrade_brings_the_covering_one_back(
    db_url: str,
) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    before = script.get_revision(REVISION)
    assert before is not None and isinstance(before.down_revision, str)
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_migrate, "downgrade", before.down_revision)
        async with engine.connect() as conn:
            assert await conn.run_sync(_practice_log_indexes) == BEFORE_0003
    finally:
        # The PostgreSQL test database is shared by the tests that follow: always come back.
        async with engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "head")
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_practice_log_indexes) == HEAD_INDEXES
            assert await conn.run_sync(_schema_diff) == []
    finally:
        await engine.dispose()


async def _vacuum_analyze_on_postgres(db_url: str, table: str = "") -> None:
    """On PostgreSQL: statistics and the visibility map, as autovacuum leaves them. An index-only
    scan is only worth it (and chosen) for pages known to be all-visible."""
    if not db_url.startswith("postgresql"):
        return
    engine = create_engine(db_url)
    async with engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await auto.execute(text(f"VACUUM ANALYZE {table}".strip()))
    await engine.dispose()


async def _statements(
    conn: AsyncConnection, call: Callable[[], Awaitable[object]]
) -> list[tuple[str, Any]]:
    """The practice_logs statements (SQL as sent, parameters) that `call` runs."""
    captured: list[tuple[str, Any]] = []

    def grab(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if "FROM practice_logs" in statement:
            captured.append((statement, parameters))

    event.listen(conn.sync_engine, "before_cursor_execute", grab)
    try:
        await call()
    finally:
        event.remove(conn.sync_engine, "before_cursor_execute", grab)
    assert captured, "the call ran no statement on practice_logs"
    return captured


async def _plans(uow: UnitOfWork, call: Callable[[], Awaitable[object]]) -> list[str]:
    """The plan of every practice_logs statement `call` runs, one string per statement."""
    conn = await uow.session.connection()
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        # The test tables are tiny: without this a sequential scan is the cheapest plan.
        await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        await conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
    plans = []
    for statement, parameters in await _statements(conn, call):
        prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
        rows = (await conn.exec_driver_sql(prefix + statement, parameters)).all()
        plans.append("\n".join(str(row[0] if postgres else row[3]) for row in rows))
    return plans


async def test_minute_sums_by_date_read_only_the_covering_index(
    uow_factory: UnitOfWorkFactory, db_url: str
) -> None:
    await seed_interleaved_history(uow_factory, 60)
    await _vacuum_analyze_on_postgres(db_url, "practice_logs")
    week = DAY - timedelta(days=6)
    async with uow_factory() as uow:
        postgres = uow.session.get_bind().dialect.name == "postgresql"
        calls: dict[str, Callable[[], Awaitable[object]]] = {
            "history total": lambda: uow.history.totals(SARAH, HistoryFilter()),
            "history total, dates": lambda: uow.history.totals(
                SARAH, HistoryFilter(start=week, end=DAY)
            ),
            "minutes on a day (cap check)": lambda: uow.practice_logs.minutes_on_day(SARAH, DAY),
            "minutes per day (import)": lambda: uow.transfer.minutes_per_day(SARAH, week, DAY),
        }
        for name, call in calls.items():
            [plan] = await _plans(uow, call)
            if postgres:
                assert f"Index Only Scan using {USER_INDEX} " in plan, (name, plan)
            else:
                assert f"USING COVERING INDEX {USER_INDEX} " in plan, (name, plan)


async def test_keyset_pages_still_read_the_index_in_order(
    uow_factory: UnitOfWorkFactory, db_url: str
) -> None:
    react, _, _ = await seed_interleaved_history(uow_factory, 60)
    await _vacuum_analyze_on_postgres(db_url, "practice_logs")
    async with uow_factory() as uow:
        postgres = uow.session.get_bind().dialect.name == "postgresql"
        middle = (await uow.history.older(SARAH, HistoryFilter(), None, 30))[-1].cursor
        pages: dict[str, tuple[Callable[[], Awaitable[object]], str]] = {}
        for label, where, index in (
            ("all", HistoryFilter(), USER_INDEX),
            ("one skill", HistoryFilter(skill_id=react), SKILL_INDEX),
        ):
            pages[f"newest, {label}"] = (
                lambda w=where: uow.history.older(SARAH, w, None, 11),
                index,
            )
            pages[f"older, {label}"] = (
                lambda w=where: uow.history.older(SARAH, w, middle, 11),
                index,
            )
            pages[f"newer, {label}"] = (
                lambda w=where: uow.history.newer(SARAH, w, middle, 11),
                index,
            )
        for name, (call, index) in pages.items():
            plan = (await _plans(uow, call))[0]  # the page itself; evidence counts follow
            if postgres:
                assert "Index Scan" in plan and "using ix_practice_logs_" in plan, (name, plan)
                assert "Sort" not in plan, (name, plan)
            else:
                assert f"USING INDEX {index} " in plan, (name, plan)
                assert "TEMP B-TREE" not in plan, (name, plan)


async def test_a_heavy_users_newest_page_keeps_its_plan_when_postgres_plans_generically(
    uow_factory: UnitOfWorkFactory, db_url: str
) -> None:
    """asyncpg prepares statements, and after five runs PostgreSQL may switch to a generic plan
    costed for an average user (here: 2 sessions). An index holding both user_id and skill_id
    (tried: the user index + skill_id) gives that plan a cheaper-looking path, joining the
    user's skills first and sorting all of a heavy user's sessions for every page. With fewer,
    busier users the generic plan can sort with the old indexes too; that is not this test."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's plan cache")
    await seed_crowd(uow_factory, light=5000, heavy=2000)
    await _vacuum_analyze_on_postgres(db_url)
    async with uow_factory() as uow:
        conn = await uow.session.connection()
        [(statement, parameters), *_] = await _statements(
            conn, lambda: uow.history.older(SARAH, HistoryFilter(), None, 11)
        )
        assert "ORDER BY practice_logs.practiced_on DESC" in statement
        await conn.exec_driver_sql(f"PREPARE history_page AS {statement}")
        await conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        values = ", ".join(str(int(p)) for p in parameters)
        rows = (await conn.exec_driver_sql(f"EXPLAIN EXECUTE history_page({values})")).all()
        await conn.exec_driver_sql("DEALLOCATE history_page")
        plan = "\n".join(str(row[0]) for row in rows)
        assert f"Index Scan Backward using {USER_INDEX} " in plan, plan
        assert "Sort" not in plan, plan
