"""Update processing: different users at once, each user's own updates one after another.

PTB handles updates one at a time by default, so one slow Bot API round trip (tens of
milliseconds to Telegram) stalls every other user. Processing them all concurrently would let
two presses of one user race through the same conversation step. This processor does both:
updates of different users run concurrently (up to a limit), a user's updates in arrival order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PostgreSQL: enough to hide Bot API latency, and below the engine's pool size (10): a unit of
# work per update beyond it would open and close overflow connections on every update.
POSTGRES_CONCURRENCY = 8
# SQLite has a single writer and every unit of work begins IMMEDIATE, so updates beyond a few
# would only queue on its lock (waiting with sleep-and-retry); a few still overlap one user's
# Bot API round trip with another's database work (measured in benchmarks/load_webhook.py).
SQLITE_CONCURRENCY = 4
_BACKSTOP_FACTOR = 64


def default_concurrency(database_kind: str) -> int:
    """How many updates to handle at once on this backend when not configured."""
    return POSTGRES_CONCURRENCY if database_kind == "postgresql" else SQLITE_CONCURRENCY


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across users, sequential (in arrival order) within each user."""

    def __init__(self, max_concurrent_updates: int) -> None:
        # PTB's own slot (process_update is final) is taken before do_process_update runs, so
        # a user's queued burst would hold every slot while waiting on its own lock. Its limit
        # is therefore only a generous backstop; the real one is taken after the per-user wait.
        super().__init__(max_concurrent_updates * _BACKSTOP_FACTOR)
        self._limit = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}
        # Runs after each update's handlers, in the update's turn (the inbox marks it done).
        self.after: Callable[[object], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this user's earlier updates, then for a free slot, then run the update."""
        key = _user_key(update)
        if key is None:
            async with self._slots:
                await coroutine
                if self.after is not None:
                    await self.after(update)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
                if self.after is not None:
                    await self.after(update)
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                # Nobody else queued for this user: forget the lock so memory stays bounded.
                del self._holders[key], self._locks[key]

    @property
    def concurrency(self) -> int:
        """How many updates run at once (the real limit; max_concurrent_updates is the backstop)."""
        return self._limit

    @property
    def users_in_progress(self) -> int:
        """How many users have an update running or waiting (for monitoring and tests)."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _user_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
