"""Durable intake: an update is acknowledged to Telegram only once it is stored in the inbox.

Telegram forgets an update once it is acknowledged: the next getUpdates offset confirms every
update below it, and the webhook's 200 confirms the POSTed one. PTB's Updater acknowledges as
soon as it has put the update on its queue, before any handler runs, so a crash loses the
updates in hand. Here the Updater's queue is an :class:`InboxQueue`: ``put`` stores the update
(one committed INSERT) and only then hands it to the application, so the Updater's next
getUpdates, or the webhook's 200, happens after the update is durable.

Each update is marked done once handled (replies included). After a crash the pending ones are
handled again before anything new (:meth:`Inbox.recover`, run at start-up), in update order, so
each user's stay in order. A redelivered update id is stored once and handled once; an update
replayed after a crash between its save and its mark is saved once by the handlers' own
idempotency keys (a /log message's id, a Quick Log button's token); a conversation step has no
such key, so an update's first step also records it applied, in that step's transaction
(storage/uow.py), and a replay of an update whose step landed asks the step it moved to again
instead of taking its answer twice (bot/core/conversation.py). Several instances on
PostgreSQL: each handles what it received; pending rows of an instance that died are claimed
(FOR UPDATE SKIP LOCKED) by one other instance after the lease.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram.error import NetworkError

from storage.repositories.inbox import InboxRepository

log = logging.getLogger(__name__)

RECOVER_BATCH = 500
PRUNE_BATCH = 1000
# Handled updates are kept a day (for support), then pruned in batches.
KEEP_DONE = timedelta(days=1)
# Handled updates are recorded done with the next update stored, or after this many seconds.
FLUSH_DELAY = 0.2


class Inbox:
    """Stores incoming updates, marks them handled, and hands back the ones left pending."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        bot: Bot,
        clock: Callable[[], datetime],
        *,
        lease: timedelta,
    ) -> None:
        self._sessions = session_factory
        self._bot = bot
        self._clock = clock
        self.lease = lease
        # Updates this process stored or recovered and not yet recorded done: their claims are
        # renewed (heartbeat), and recovery never hands them over a second time.
        self._in_hand: set[int] = set()
        # Handled, not yet recorded: written with the next store, or by a flush soon after.
        self._finished: list[int] = []
        # Handed over again, a conversation step of theirs committed before a crash.
        self._stepped: set[int] = set()
        self._flushing: asyncio.Task[None] | None = None

    async def store(self, update: Update) -> bool:
        """Store the update (committed); False if this update id was stored before."""
        user = update.effective_user
        payload = json.dumps(update.to_dict(), separators=(",", ":"))
        finished, self._finished = self._finished, []
        try:
            async with self._sessions() as session:
                repository = InboxRepository(session)
                now = self._clock()
                stored = await repository.store(
                    update.update_id, user.id if user else None, payload, now
                )
                if finished:
                    # Riding along: no transaction of their own while updates keep coming.
                    await repository.mark_done(finished, now)
                await session.commit()
        except BaseException:
            self._finished[:0] = finished
            raise
        self._in_hand.difference_update(finished)
        if stored:
            self._in_hand.add(update.update_id)
        return stored

    async def done(self, update: object) -> None:
        """Record a handled update done (whatever its handlers did: a failure is not retried).

        Recorded with the next stored update, or within FLUSH_DELAY: a crash in between hands
        it over again, and the handlers' idempotency keys make that replay save nothing twice.
        """
        if not isinstance(update, Update):
            return
        self._stepped.discard(update.update_id)
        self._finished.append(update.update_id)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(FLUSH_DELAY)
        await self.flush()

    async def flush(self) -> None:
        """Record the handled updates not yet recorded (also at shutdown)."""
        finished, self._finished = self._finished, []
        if not finished:
            return
        try:
            async with self._sessions() as session:
                await InboxRepository(session).mark_done(finished, self._clock())
                await session.commit()
        except Exception:
            self._finished[:0] = finished
            log.exception("could not record %d handled update(s) done", len(finished))
            return
        self._in_hand.difference_update(finished)

    async def recover(self, queue: asyncio.Queue[object], *, all_pending: bool) -> int:
        """Put pending updates on `queue`, oldest first; how many.

        `all_pending`: also those claimed within the lease (at start-up on SQLite, where this
        is the only process); otherwise only those whose claim is older than the lease.
        """
        total = 0
        now = self._clock()
        stale_before = now + timedelta(seconds=1) if all_pending else now - self.lease
        while True:
            async with self._sessions() as session:
                rows = await InboxRepository(session).claim_pending(
                    stale_before, now, RECOVER_BATCH
                )
                await session.commit()
            for update_id, payload, stepped in rows:
                if update_id in self._in_hand:
                    continue  # still queued here, behind a backlog: not lost
                try:
                    update = Update.de_json(json.loads(payload), self._bot)
                except Exception:
                    log.exception("stored update %s cannot be read; dropped", update_id)
                    continue
                self._in_hand.add(update_id)
                if stepped:
                    self._stepped.add(update_id)
                await queue.put(update)
                total += 1
            if len(rows) < RECOVER_BATCH:
                break
        if total:
            log.info("inbox: %d pending update(s) handed over", total)
        return total

    def step_landed(self, update_id: int) -> bool:
        """Whether this update, handed over again, had a conversation step committed."""
        return update_id in self._stepped

    async def renew(self) -> None:
        """Renew the claims of the updates in hand, so no other instance takes them over."""
        if not self._in_hand:
            return
        async with self._sessions() as session:
            await InboxRepository(session).touch(sorted(self._in_hand), self._clock())
            await session.commit()

    async def prune(self) -> int:
        """Delete updates handled more than KEEP_DONE ago, in batches; how many."""
        total = 0
        while True:
            async with self._sessions() as session:
                gone = await InboxRepository(session).prune_done(
                    self._clock() - KEEP_DONE, PRUNE_BATCH
                )
                await session.commit()
            total += gone
            if gone < PRUNE_BATCH:
                return total


class InboxQueue(asyncio.Queue[object]):
    """The Updater's queue: an update is stored before it goes on to the application's queue.

    The Updater acknowledges an update once ``put`` returns, so ``put`` returns only after the
    INSERT committed. An update id stored before (Telegram redelivered it) is not handed on
    again: whoever stored it handles it.
    """

    def __init__(self, inbox: Inbox, target: asyncio.Queue[object]) -> None:
        super().__init__()
        self._inbox = inbox
        self._target = target

    async def put(self, item: object) -> None:
        """Store, then hand over; NetworkError (not acknowledged) if it cannot be stored.

        A TelegramError is what PTB's polling loop retries (with backoff, the offset kept, so
        Telegram sends the batch again); anything else would end polling. The webhook answers
        it with a 500, and Telegram sends the update again.
        """
        if isinstance(item, Update):
            try:
                stored = await self._inbox.store(item)
            except Exception as exc:
                log.warning("update %s could not be stored: %s", item.update_id, exc)
                raise NetworkError(
                    f"update not stored ({type(exc).__name__}), so not acknowledged"
                ) from exc
            if not stored:
                log.debug("update %s was stored before; not handled again", item.update_id)
                return
        await self._target.put(item)
