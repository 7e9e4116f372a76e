"""The update inbox: store an update once, claim pending ones, mark them done, prune old ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Text, bindparam, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from storage.models import InboxUpdate
from storage.sqlite_driver import LoopThreadWriter, run_transaction
from storage.types import UTCDateTime

# A received update as stored: (update id, its user's id if it has one, its JSON text).
Received = tuple[int, int | None, str]

_STORE_SQLITE = (
    "INSERT INTO update_inbox (update_id, user_id, payload, received_at, claimed_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING"
)
_DONE_SQLITE = "UPDATE update_inbox SET done_at = ? WHERE done_at IS NULL AND update_id IN ({})"
# SQLite's default limit on a statement's parameters is 32766 (999 before 3.32); stay well below.
_DONE_CHUNK = 500
# PostgreSQL: the batch and the done marks in one statement, so one round trip in autocommit
# (a statement is atomic on its own; the UPDATE in WITH runs whether or not it is read).
_WRITE_POSTGRES = text(
    "WITH done AS (UPDATE update_inbox SET done_at = :now "
    "WHERE done_at IS NULL AND update_id = ANY(:finished)) "
    "INSERT INTO update_inbox (update_id, user_id, payload, received_at, claimed_at) "
    "SELECT update_id, user_id, payload, :now, :now "
    "FROM unnest(:ids, :users, :payloads) AS received(update_id, user_id, payload) "
    "ON CONFLICT (update_id) DO NOTHING RETURNING update_id"
).bindparams(
    bindparam("now", type_=UTCDateTime()),
    bindparam("finished", type_=ARRAY(BigInteger)),
    bindparam("ids", type_=ARRAY(BigInteger)),
    bindparam("users", type_=ARRAY(BigInteger)),
    bindparam("payloads", type_=ARRAY(Text)),
)
_MARK_DONE = (
    update(InboxUpdate)
    .where(InboxUpdate.update_id.in_(bindparam("ids", expanding=True)))
    .where(InboxUpdate.done_at.is_(None))
    .values(done_at=bindparam("now"))
)


class InboxRepository:
    """Bot-level bookkeeping of incoming updates (no user's data: nothing to scope)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_pending(
        self, stale_before: datetime, now: datetime, limit: int
    ) -> list[tuple[int, str, bool]]:
        """Take pending updates last claimed before `stale_before`, oldest first.

        Each as (id, payload, stepped): stepped when a conversation step of it had committed.

        On PostgreSQL rows another instance is claiming right now are skipped, never waited for.
        """
        pending = (
            select(InboxUpdate.update_id)
            .where(InboxUpdate.done_at.is_(None), InboxUpdate.claimed_at < stale_before)
            .order_by(InboxUpdate.update_id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            pending = pending.with_for_update(skip_locked=True)
        ids = list((await self._session.scalars(pending)).all())
        if not ids:
            return []
        claimed = await self._session.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.update_id.in_(ids),
                InboxUpdate.done_at.is_(None),
                InboxUpdate.claimed_at < stale_before,
            )
            .values(claimed_at=now)
            .returning(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.step_applied_at)
        )
        return sorted((int(row[0]), str(row[1]), row[2] is not None) for row in claimed.all())

    async def mark_step_applied(self, update_id: int, now: datetime) -> None:
        """Record that a conversation step of this update landed (inside the step's transaction)."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id == update_id, InboxUpdate.step_applied_at.is_(None))
            .values(step_applied_at=now)
            .execution_options(synchronize_session=False)
        )

    async def touch(self, update_ids: Sequence[int], now: datetime) -> None:
        """Renew the claim on updates still being handled (the lease's heartbeat)."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id.in_(update_ids), InboxUpdate.done_at.is_(None))
            .values(claimed_at=now)
        )

    async def prune_done(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` updates handled before `before`; how many went."""
        oldest = (
            select(InboxUpdate.update_id)
            .where(InboxUpdate.done_at < before)
            .order_by(InboxUpdate.done_at)
            .limit(limit)
        )
        result = await self._session.execute(
            delete(InboxUpdate).where(InboxUpdate.update_id.in_(oldest.scalar_subquery()))
        )
        return int(getattr(result, "rowcount", 0) or 0)


class InboxWriter:
    """The intake's own writes: store received updates and record handled ones done, one commit.

    This is the hot path of every update (each is stored before it is acknowledged), so on a
    SQLite file the transaction runs on the event loop's thread when the write lock is free,
    else in one hand-off to the driver's thread (storage/sqlite_driver.py), with statements
    written once; elsewhere one multi-row INSERT and one UPDATE through SQLAlchemy Core.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        dialect = engine.dialect
        self._postgres = dialect.name == "postgresql"
        # Timestamps bound as SQLAlchemy binds them for this column type, for the raw path.
        self._when: Callable[[Any], Any] = UTCDateTime().bind_processor(dialect) or _same
        url = engine.url
        in_file = url.database not in (None, "", ":memory:") and not url.query
        self._direct = (
            LoopThreadWriter(str(url.database)) if dialect.name == "sqlite" and in_file else None
        )
        insert = postgresql.insert(InboxUpdate) if self._postgres else sqlite.insert(InboxUpdate)
        self._store = insert.on_conflict_do_nothing(index_elements=["update_id"]).returning(
            InboxUpdate.update_id
        )

    async def write(
        self, received: Sequence[Received], finished: Sequence[int], now: datetime
    ) -> list[bool]:
        """Store `received` (claimed now) and mark `finished` done, committed; which were new."""
        if not received and not finished:
            return []
        if self._direct is not None:
            counts = self._direct.try_transaction(self._sqlite_statements(received, finished, now))
            if counts is not None:
                return [count == 1 for count in counts[: len(received)]]
        async with self._engine.connect() as connection:
            if not self._postgres:
                raw = await connection.get_raw_connection()
                counts = await run_transaction(
                    raw.dbapi_connection, self._sqlite_statements(received, finished, now)
                )
                if counts is not None:
                    return [count == 1 for count in counts[: len(received)]]
            if self._postgres:
                return await _postgres_write(connection, received, finished, now)
            async with connection.begin():
                new: set[int] = set()
                if received:
                    rows = [
                        {
                            "update_id": update_id,
                            "user_id": user_id,
                            "payload": payload,
                            "received_at": now,
                            "claimed_at": now,
                        }
                        for update_id, user_id, payload in received
                    ]
                    result = await connection.execute(self._store, rows)
                    new = {int(update_id) for update_id in result.scalars().all()}
                if finished:
                    await connection.execute(_MARK_DONE, {"ids": list(finished), "now": now})
            return [update_id in new for update_id, _, _ in received]

    def close(self) -> None:
        """Release the SQLite file's own connection, if one was opened."""
        if self._direct is not None:
            self._direct.close()

    def _sqlite_statements(
        self, received: Sequence[Received], finished: Sequence[int], now: datetime
    ) -> list[tuple[str, Sequence[Any]]]:
        when = self._when(now)
        statements: list[tuple[str, Sequence[Any]]] = [
            (_STORE_SQLITE, (update_id, user_id, payload, when, when))
            for update_id, user_id, payload in received
        ]
        for start in range(0, len(finished), _DONE_CHUNK):
            chunk = list(finished[start : start + _DONE_CHUNK])
            statements.append((_DONE_SQLITE.format(", ".join("?" * len(chunk))), [when, *chunk]))
        return statements


def _same(value: Any) -> Any:
    return value


async def _postgres_write(
    connection: AsyncConnection,
    received: Sequence[Received],
    finished: Sequence[int],
    now: datetime,
) -> list[bool]:
    """One statement in autocommit: no BEGIN and COMMIT round trips."""
    autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
    result = await autocommit.execute(
        _WRITE_POSTGRES,
        {
            "now": now,
            "finished": list(finished),
            "ids": [update_id for update_id, _, _ in received],
            "users": [user_id for _, user_id, _ in received],
            "payloads": [payload for _, _, payload in received],
        },
    )
    new = {int(update_id) for update_id in result.scalars().all()}
    return [update_id in new for update_id, _, _ in received]
