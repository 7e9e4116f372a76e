"""practice_logs' covering indexes: migrations match the models, the migration downgrades to the
old keyset indexes, and the plans read sums from the index alone while pages keep their order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import alembic_config
from storage.models import Base, PracticeLog, User
from storage.repositories.history import HistoryFilter
from storage.uow import UnitOfWork
from tests.conftest import UnitOfWorkFactory

SARAH, MALLORY = 1001, 2002
DAY = date(2026, 11, 20)
REVISION = "0003"
USER_INDEX = "ix_practice_logs_user_id_practiced_on_id_covering"
SKILL_INDEX = "ix_practice_logs_skill_id_practiced_on_id_covering"
COVERING = {
    USER_INDEX: ["user_id", "practiced_on", "id", "skill_id", "duration_minutes"],
    SKILL_INDEX: ["skill_id", "practiced_on", "id", "user_id", "duration_minutes"],
}
KEYSET = {
    "ix_practice_logs_user_id_practiced_on_id": ["user_id", "practiced_on", "id"],
    "ix_practice_logs_skill_id_practiced_on_id": ["skill_id", "practiced_on", "id"],
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
            assert await conn.run_sync(_practice_log_indexes) == COVERING
    finally:
        await engine.dispose()


async def test_downgrade_restores_the_keyset_indexes_and_upgrade_brings_back_covering_ones(
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
            assert await conn.run_sync(_practice_log_indexes) == KEYSET
    finally:
        # The PostgreSQL test database is shared by the tests that follow: always come back.
        async with engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "head")
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_practice_log_indexes) == COVERING
            assert await conn.run_sync(_schema_diff) == []
    finally:
        await engine.dispose()


async def _seed(uow_factory: UnitOfWorkFactory, db_url: str) -> int:
    """Sarah: React and SQL, 60 sessions over 20 days; Mallory's sessions in between."""
    async with uow_factory() as uow:
        for user_id in (SARAH, MALLORY):
            uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
        await uow.session.flush()
        react = (await uow.skills.add(SARAH, "React", "react")).id
        sql = (await uow.skills.add(SARAH, "SQL", "sql")).id
        chess = (await uow.skills.add(MALLORY, "Chess", "chess")).id
        for n in range(60):
            for user_id, skill_id in ((SARAH, react if n % 3 else sql), (MALLORY, chess)):
                uow.session.add(
                    PracticeLog(
                        user_id=user_id,
                        skill_id=skill_id,
                        practiced_on=DAY - timedelta(days=n // 3),
                        duration_minutes=10 + n,
                        description=f"Session number {n}",
                    )
                )
        await uow.commit()
    if db_url.startswith("postgresql"):
        # Statistics and the visibility map, as autovacuum leaves them: an index-only scan is
        # only worth it (and chosen) for pages known to be all-visible.
        engine = create_engine(db_url)
        async with engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE practice_logs"))
        await engine.dispose()
    return react


async def _plans(uow: UnitOfWork, call: Callable[[], Awaitable[object]]) -> list[str]:
    """The plan of every practice_logs statement `call` runs, one string per statement."""
    conn = await uow.session.connection()
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        # The test tables are tiny: without this a sequential scan is the cheapest plan.
        await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        await conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
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
    plans = []
    for statement, parameters in captured:
        prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
        rows = (await conn.exec_driver_sql(prefix + statement, parameters)).all()
        plans.append("\n".join(str(row[0] if postgres else row[3]) for row in rows))
    return plans


async def test_totals_and_sums_read_only_the_covering_indexes(
    uow_factory: UnitOfWorkFactory, db_url: str
) -> None:
    react = await _seed(uow_factory, db_url)
    week = DAY - timedelta(days=6)
    async with uow_factory() as uow:
        postgres = uow.session.get_bind().dialect.name == "postgresql"
        # name -> (the call, the index SQLite must cover it with)
        calls: dict[str, tuple[Callable[[], Awaitable[object]], str]] = {
            "history total": (lambda: uow.history.totals(SARAH, HistoryFilter()), USER_INDEX),
            "history total, one skill": (
                lambda: uow.history.totals(SARAH, HistoryFilter(skill_id=react)),
                SKILL_INDEX,
            ),
            "history total, dates": (
                lambda: uow.history.totals(SARAH, HistoryFilter(start=week, end=DAY)),
                USER_INDEX,
            ),
            "skill totals": (lambda: uow.analytics.skill_totals(SARAH), USER_INDEX),
            "one skill's totals": (lambda: uow.analytics.skill_totals(SARAH, react), SKILL_INDEX),
            "daily totals": (lambda: uow.analytics.daily_totals(SARAH, week, DAY), USER_INDEX),
            "one skill's daily totals": (
                lambda: uow.analytics.daily_totals(SARAH, week, None, react),
                SKILL_INDEX,
            ),
            "skill list": (lambda: uow.skills.summaries(SARAH), USER_INDEX),
            "quick log order": (lambda: uow.reminders.quick_skills(SARAH, week), USER_INDEX),
            "minutes on a day": (lambda: uow.practice_logs.minutes_on_day(SARAH, DAY), USER_INDEX),
        }
        for name, (call, index) in calls.items():
            [plan] = await _plans(uow, call)
            if postgres:
                # Either index covers either filter; which one is the planner's call.
                assert "Index Only Scan using ix_practice_logs_" in plan, (name, plan)
                assert "_covering" in plan and "Heap" not in plan, (name, plan)
            else:
                assert f"USING COVERING INDEX {index} " in plan, (name, plan)


async def test_keyset_pages_still_read_the_index_in_order(
    uow_factory: UnitOfWorkFactory, db_url: str
) -> None:
    react = await _seed(uow_factory, db_url)
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
                # PostgreSQL may walk either index under a skill filter (statistics decide);
                # either way the order comes from the index, never from a sort.
                assert "Index Scan" in plan and "_covering on practice_logs" in plan, (name, plan)
                assert "Sort" not in plan, (name, plan)
            else:
                assert f"USING INDEX {index} " in plan, (name, plan)
                assert "TEMP B-TREE" not in plan, (name, plan)
