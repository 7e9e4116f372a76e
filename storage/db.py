"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import await_

from storage.sqlite_driver import forget_begin, owe_begin, use_one_hop_cursors

SQLITE_BUSY_TIMEOUT_MS = 10_000


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create an async engine with the per-backend settings this app relies on.

    hide_parameters: SQLAlchemy puts bound values (user ids, descriptions) into error
    messages, and those end up in logged tracebacks.
    """
    if url.startswith("sqlite"):
        # No reset ROLLBACK when a connection goes back to the pool: every transaction here is
        # SQLAlchemy's own (sessions and engine.begin() end theirs, and closing a connection
        # rolls back one left open), and on aiosqlite the reset costs a thread hand-off a time.
        engine = create_async_engine(
            url, echo=echo, hide_parameters=True, pool_reset_on_return=None
        )
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        use_one_hop_cursors(dbapi_connection)
        # Take over BEGIN from the driver so every transaction can start IMMEDIATE (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # Off by default and per connection: without it ON DELETE CASCADE silently does nothing.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred transaction that reads then writes fails at once with "database is locked"
        # when another writer got in first; IMMEDIATE takes the write lock up front and waits
        # for it under busy_timeout instead.
        # It rides along with the transaction's first statement (one hand-off for both).
        if owe_begin(conn.connection.dbapi_connection):
            return
        driver = conn.connection.driver_connection
        assert driver is not None  # a checked-out connection always has its driver's
        await_(driver.execute("BEGIN IMMEDIATE"))

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        forget_begin(dbapi_connection)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory whose sessions keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
