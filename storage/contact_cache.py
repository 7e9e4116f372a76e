"""Users' contact rows kept in memory between updates, for one engine, on SQLite only.

Every update starts by reading the user's contact row (storage.repositories.users); on SQLite
that read is a thread hand-off of its own. SQLite serves one process (README), so every write
to the users table goes through this process's engine: a listener on that engine forgets the
whole cache on any statement that writes `users` (a new time zone, reachability, /deletemydata,
settings, goals...), rolled back or not. Entries are stored only from a read made inside a
BEGIN IMMEDIATE transaction that has written nothing yet, so no write can slip between the read
and the store. On PostgreSQL several instances share the database and another one may change a
row at any time, so there is no cache there: every update reads the row.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from storage.repositories.users import Contact

_WRITES_TO_USERS = re.compile(r"\s*(UPDATE|DELETE\s+FROM|INSERT\s+INTO)\s+\"?users\b", re.I)
# Bounded so a long-running process with many users does not grow without end.
MAX_ENTRIES = 10_000


class ContactCache:
    """user id -> Contact, forgotten on every write to the users table through the engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._entries: dict[int, Contact] = {}
        self.enabled = engine.dialect.name == "sqlite"
        if self.enabled:
            event.listen(engine.sync_engine, "before_cursor_execute", self._on_statement)

    def get(self, user_id: int) -> Contact | None:
        """The user's cached contact row, if any."""
        return self._entries.get(user_id)

    def store(self, contact: Contact) -> None:
        """Keep a contact row read inside a transaction that has written nothing yet."""
        if not self.enabled:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[contact.id] = contact

    def forget_all(self) -> None:
        """Drop every entry (the users table changed)."""
        self._entries.clear()

    def _on_statement(
        self, _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if _WRITES_TO_USERS.match(statement):
            self._entries.clear()
