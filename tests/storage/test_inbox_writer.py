"""The intake's writes: a batch stored and earlier updates marked done in one commit, or none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, create_session_factory
from storage.models import InboxUpdate
from storage.repositories.inbox import InboxRepository, InboxWriter

NOW = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    yield engine
    await engine.dispose()


async def _rows(engine: AsyncEngine) -> dict[int, tuple[str, datetime, datetime | None]]:
    async with create_session_factory(engine)() as session:
        rows = await session.execute(
            select(
                InboxUpdate.update_id,
                InboxUpdate.payload,
                InboxUpdate.claimed_at,
                InboxUpdate.done_at,
            )
        )
        return {u: (payload, claimed, done) for u, payload, claimed, done in rows.all()}


async def test_a_batch_says_which_updates_are_new_and_keeps_the_first_copy(
    engine: AsyncEngine,
) -> None:
    writer = InboxWriter(engine)
    assert await writer.write([(1, 7, '{"a":1}'), (2, None, '{"b":2}')], [], NOW) == [True, True]
    later = NOW + timedelta(seconds=5)
    assert await writer.write([(2, None, '{"b":"again"}'), (3, 7, "{}")], [], later) == [
        False,
        True,
    ]
    rows = await _rows(engine)
    assert rows == {1: ('{"a":1}', NOW, None), 2: ('{"b":2}', NOW, None), 3: ("{}", later, None)}


async def test_done_marks_ride_along_and_every_one_lands_once(engine: AsyncEngine) -> None:
    writer = InboxWriter(engine)
    ids = list(range(1, 1202))  # more than one statement's worth of ids on SQLite
    await writer.write([(u, None, "{}") for u in ids], [], NOW)
    await writer.write([], [5], NOW + timedelta(seconds=1))
    done_at = NOW + timedelta(seconds=2)
    assert await writer.write([(5000, None, "{}")], ids, done_at) == [True]
    rows = await _rows(engine)
    assert rows[5][2] == NOW + timedelta(seconds=1)  # marked before: kept
    assert {u for u in ids if rows[u][2] == done_at} == set(ids) - {5}
    assert rows[5000][2] is None


async def test_written_rows_are_claimed_at_the_time_recovery_compares(engine: AsyncEngine) -> None:
    await InboxWriter(engine).write([(1, None, "{}"), (2, None, "{}")], [], NOW)
    async with create_session_factory(engine)() as session:
        repository = InboxRepository(session)
        assert await repository.claim_pending(NOW, NOW, 10) == []  # claimed at NOW, not before
        claimed = await repository.claim_pending(NOW + timedelta(microseconds=1), NOW, 10)
        await session.commit()
    assert [update_id for update_id, _, _ in claimed] == [1, 2]


async def test_a_batch_that_fails_leaves_nothing_behind(engine: AsyncEngine) -> None:
    writer = InboxWriter(engine)
    await writer.write([(1, None, "{}")], [], NOW)
    with pytest.raises(Exception, match="(?i)null"):
        # The second row breaks a NOT NULL: the first row and the done mark go with it.
        await writer.write([(2, None, "{}"), (3, None, None)], [1], NOW)  # type: ignore[list-item]
    assert await _rows(engine) == {1: ("{}", NOW, None)}
    assert await writer.write([(2, None, "{}")], [1], NOW) == [True]  # the connection is usable


async def test_a_write_waits_its_turn_while_another_connection_holds_the_write_lock(
    engine: AsyncEngine, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's single writer lock")
    writer = InboxWriter(engine)
    await writer.write([(1, None, "{}")], [], NOW)
    holder = create_engine(db_url)
    try:
        async with holder.begin() as connection:  # BEGIN IMMEDIATE: the write lock
            await connection.execute(text("UPDATE update_inbox SET payload = '[]'"))
            waiting = asyncio.create_task(writer.write([(2, None, "{}")], [1], NOW))
            await asyncio.sleep(0.1)  # the loop is free meanwhile: the write waits elsewhere
            assert not waiting.done()
        assert await waiting == [True]
    finally:
        await holder.dispose()
        writer.close()
    rows = await _rows(engine)
    assert rows == {1: ("[]", NOW, NOW), 2: ("{}", NOW, None)}


async def test_the_wal_stays_bounded_when_only_the_intake_writes(
    engine: AsyncEngine, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's write-ahead log")
    writer = InboxWriter(engine)
    try:
        for update_id in range(1, 4001):  # each commit appends a page or two to the log
            await writer.write([(update_id, None, "{}")], [update_id - 1], NOW)
    finally:
        writer.close()
    wal = Path(str(engine.url.database) + "-wal")
    # Checkpointed by the application's connections at 1000 pages (4 kB each) of log.
    assert (await asyncio.to_thread(wal.stat)).st_size < 1500 * 4096
