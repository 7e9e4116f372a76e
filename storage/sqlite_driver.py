"""aiosqlite with one thread hand-off per statement (SQLAlchemy's adapter makes three or four).

SQLAlchemy's aiosqlite cursor opens a cursor, executes, fetches and closes, each a round trip
to aiosqlite's thread. This cursor does all four in one function run on that thread and keeps
what SQLAlchemy reads afterwards (rows, description, rowcount, lastrowid). A transaction's
BEGIN IMMEDIATE is owed to its first statement and sent in that statement's hand-off; a
transaction that ran nothing ends without any. It reaches into aiosqlite's `_execute` (its
queue to the thread) and `_conn` (the sqlite3 connection), so storage.db installs it only
when they are there.
"""

from __future__ import annotations

import collections
import sqlite3
import weakref
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
)
from sqlalchemy.util import await_


class _Done:
    """What a finished statement left behind: the attributes SQLAlchemy reads."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, description: Any, rowcount: int, lastrowid: Any) -> None:
        self.description, self.rowcount, self.lastrowid = description, rowcount, lastrowid
        self.arraysize = 1

    async def close(self) -> None:
        """Nothing left open: the sqlite3 cursor closed on the driver's thread."""


_NOTHING_YET = _Done(None, -1, None)
# aiosqlite connections whose transaction has begun for SQLAlchemy but not yet in SQLite.
_BEGIN_OWED: weakref.WeakSet[Any] = weakref.WeakSet()


async def _run_on_thread(
    driver: Any, operation: Any, parameters: Any, *, many: bool = False
) -> tuple[_Done, Sequence[Any] | None]:
    """BEGIN IMMEDIATE if owed, then one statement and all its rows, in one hand-off."""
    raw = driver._conn
    begin = driver in _BEGIN_OWED
    _BEGIN_OWED.discard(driver)

    def on_thread() -> tuple[_Done, Sequence[Any] | None]:
        if begin:
            raw.execute("BEGIN IMMEDIATE")
        cursor = raw.cursor()
        try:
            if many:
                cursor.executemany(operation, parameters)
            elif parameters is None:
                cursor.execute(operation)
            else:
                cursor.execute(operation, parameters)
            rows = cursor.fetchall() if cursor.description else None
            return _Done(cursor.description, cursor.rowcount, cursor.lastrowid), rows
        finally:
            cursor.close()

    result: tuple[_Done, Sequence[Any] | None] = await driver._execute(on_thread)
    return result


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """Executes, fetches and closes in one call on aiosqlite's thread."""

    __slots__ = ()

    def _make_new_cursor(self, connection: Any) -> Any:
        return _NOTHING_YET

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        """Run one statement and keep all its rows."""
        try:
            return await_(self._run(operation, parameters, many=False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        """Run one statement for each parameter set."""
        try:
            return await_(self._run(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            done, rows = await _run_on_thread(self._connection, operation, parameters, many=many)
        self._cursor = cast(Any, done)  # SQLAlchemy reads only what _Done keeps
        self._rows = collections.deque(rows or ())


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection with OneHopCursor for its cursors."""

    __slots__ = ()
    _cursor_cls = OneHopCursor

    def cursor(self, server_side: bool = False) -> Any:
        """A cursor; a server-side one (streamed results) pays an owed BEGIN first."""
        if server_side and self._connection in _BEGIN_OWED:
            _BEGIN_OWED.discard(self._connection)
            try:
                await_(self._connection.execute("BEGIN IMMEDIATE"))
            except Exception as error:
                self._handle_exception(error)
        return super().cursor(server_side)

    def commit(self) -> None:
        """Commit; a transaction that never reached SQLite has nothing to commit."""
        if self._connection in _BEGIN_OWED:
            _BEGIN_OWED.discard(self._connection)
            return
        super().commit()

    def rollback(self) -> None:
        """Roll back; a transaction that never reached SQLite has nothing to undo."""
        if self._connection in _BEGIN_OWED:
            _BEGIN_OWED.discard(self._connection)
            return
        super().rollback()


def use_one_hop_cursors(dbapi_connection: Any) -> None:
    """Switch a freshly made SQLAlchemy aiosqlite connection to OneHopCursor, if it can."""
    driver = getattr(dbapi_connection, "_connection", None)
    if type(dbapi_connection) is AsyncAdapt_aiosqlite_connection and hasattr(driver, "_execute"):
        dbapi_connection.__class__ = OneHopConnection


def owe_begin(dbapi_connection: Any) -> bool:
    """Send BEGIN IMMEDIATE with the connection's next statement; False if it cannot."""
    if type(dbapi_connection) is not OneHopConnection:
        return False
    _BEGIN_OWED.add(dbapi_connection._connection)
    return True


def forget_begin(dbapi_connection: Any) -> None:
    """Drop an owed BEGIN (the connection went back to the pool without one)."""
    _BEGIN_OWED.discard(getattr(dbapi_connection, "_connection", None))


async def fetch_all(dbapi_connection: Any, sql: str, parameters: Sequence[Any]) -> list[Any]:
    """Rows of one query sent straight to the driver, inside the connection's transaction."""
    if type(dbapi_connection) is not OneHopConnection:
        driver = dbapi_connection.driver_connection
        return list(await driver.execute_fetchall(sql, parameters))
    async with dbapi_connection._execute_mutex:
        _, rows = await _run_on_thread(dbapi_connection._connection, sql, parameters)
    return list(rows or ())


async def run_transaction(
    dbapi_connection: Any, statements: Sequence[tuple[str, Sequence[Any]]]
) -> list[int] | None:
    """Run the statements as one IMMEDIATE transaction in one hand-off; their row counts.

    For a connection outside any SQLAlchemy transaction (the caller began none): BEGIN, the
    statements and COMMIT all go in one function on aiosqlite's thread, rolled back there if
    one fails. None if the connection is not a one-hop one (the caller takes the usual path).
    """
    if type(dbapi_connection) is not OneHopConnection:
        return None
    raw = dbapi_connection._connection._conn

    def on_thread() -> list[int]:
        raw.execute("BEGIN IMMEDIATE")
        try:
            counts = []
            for sql, parameters in statements:
                cursor = raw.execute(sql, parameters)
                counts.append(cursor.rowcount)
                cursor.close()
            raw.execute("COMMIT")
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
        return counts

    async with dbapi_connection._execute_mutex:
        counts: list[int] = await dbapi_connection._connection._execute(on_thread)
    return counts


class LoopThreadWriter:
    """Short write transactions on the event loop's own thread, when they need not wait.

    A hand-off to aiosqlite's thread costs more than a one-row INSERT and COMMIT in WAL mode
    (no fsync at synchronous=NORMAL), most of all on a busy machine. This connection has no
    busy timeout: when another connection holds the write lock it says so at once and the
    caller takes the driver's path, which waits on its own thread; so the loop never blocks on
    a lock. It never checkpoints the WAL, so a commit here never writes the database file; the
    application's connections do, after their commits, so every HAND_BACK_EVERY-th transaction
    is handed back (None) to take the driver's path and its checkpoint, even in a bot whose
    updates write nothing else.
    """

    HAND_BACK_EVERY = 256

    def __init__(self, path: str) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._transactions = 0

    def try_transaction(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[int] | None:
        """The statements' row counts, committed; None (nothing done) if the lock is taken."""
        self._transactions += 1
        if self._transactions % self.HAND_BACK_EVERY == 0:
            return None
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _busy(error):
                return None
            raise
        try:
            counts = []
            for sql, parameters in statements:
                counts.append(connection.execute(sql, parameters).rowcount)
            connection.execute("COMMIT")
        except BaseException as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError) and _busy(error):
                return None
            raise
        return counts

    def close(self) -> None:
        """Close the connection (a later transaction opens a new one)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(self._path, isolation_level=None)
            connection.execute("PRAGMA busy_timeout=0")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA wal_autocheckpoint=0")
            self._connection = connection
        return self._connection


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(error)
