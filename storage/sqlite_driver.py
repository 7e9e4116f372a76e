"""aiosqlite with one thread hand-off per statement (SQLAlchemy's adapter makes three or four).

SQLAlchemy's aiosqlite cursor opens a cursor, executes, fetches and closes, each a round trip
to aiosqlite's thread. This cursor does all four in one function run on that thread and keeps
what SQLAlchemy reads afterwards (rows, description, rowcount, lastrowid). It reaches into
aiosqlite's `_execute` (its queue to the thread) and `_conn` (the sqlite3 connection), so
storage.db installs it only when they are there.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from typing import Any

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
        driver = self._connection
        raw = driver._conn

        def on_thread() -> tuple[_Done, Sequence[Any] | None]:
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

        async with self._adapt_connection._execute_mutex:
            done, rows = await driver._execute(on_thread)
        self._cursor = done
        self._rows = collections.deque(rows or ())


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection with OneHopCursor for its cursors."""

    __slots__ = ()
    _cursor_cls = OneHopCursor


def use_one_hop_cursors(dbapi_connection: Any) -> None:
    """Switch a freshly made SQLAlchemy aiosqlite connection to OneHopCursor, if it can."""
    driver = getattr(dbapi_connection, "_connection", None)
    if type(dbapi_connection) is AsyncAdapt_aiosqlite_connection and hasattr(driver, "_execute"):
        dbapi_connection.__class__ = OneHopConnection
