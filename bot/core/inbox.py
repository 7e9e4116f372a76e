"""Durable intake: an update is acknowledged to Telegram only once it is stored in the inbox.

Telegram forgets an update once it is acknowledged: the next getUpdates offset confirms every
update below it, and the webhook's 200 confirms the POSTed one. PTB's Updater acknowledges as
soon as it has put the update on its queue, before any handler runs, so a crash loses the
updates in hand. Here a getUpdates batch is stored as received, in one commit, before
getUpdates returns it (:class:`InboxRequest`, the getUpdates connection), and a webhook's
update is stored from its body; the Updater's queue is an :class:`InboxQueue`, whose ``put``
hands on only updates stored new. So the Updater's next getUpdates, or the webhook's 200,
happens after the update is durable. Handled updates are recorded done in the next such
commit (or within FLUSH_DELAY when none comes): the intake's only write per update.

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
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from storage.repositories.inbox import InboxRepository, InboxWriter, Received

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
        # The last getUpdates batch, stored: update id -> whether it was new.
        self._received: dict[int, bool] = {}
        engine = session_factory.kw["bind"]
        self._writer = InboxWriter(engine)

    async def store(self, update: Update, payload: str | None = None) -> bool:
        """Store the update (committed); False if this update id was stored before.

        `payload`: the update's JSON as received (a webhook's body); without it the parsed
        update is serialised again.
        """
        if payload is None:
            payload = json.dumps(update.to_dict(), separators=(",", ":"))
        user = update.effective_user
        (stored,) = await self._write([(update.update_id, user.id if user else None, payload)])
        if stored:
            self._in_hand.add(update.update_id)
        return stored

    async def store_received(self, updates: Sequence[object]) -> None:
        """Store a getUpdates batch's update objects, in one commit, before PTB parses them.

        The Updater then puts each update on the InboxQueue, which hands on those stored new
        (:meth:`take_received`). Whatever of the previous batch never got there (polling
        stopped in between) is left to recovery once its claim is past the lease.
        """
        received: list[Received] = []
        for item in updates:
            if not isinstance(item, dict) or not isinstance(item.get("update_id"), int):
                continue  # PTB's parsing of the batch will refuse it; nothing to store
            received.append(
                (item["update_id"], sender_id(item), json.dumps(item, separators=(",", ":")))
            )
        self._received = {}
        if received:
            stored = await self._write(received)
            self._received = {row[0]: new for row, new in zip(received, stored, strict=True)}

    def take_received(self, update_id: int) -> bool | None:
        """Whether a stored received update is new (to handle); None if it was not stored so."""
        stored = self._received.pop(update_id, None)
        if stored:
            self._in_hand.add(update_id)
        return stored

    async def _write(self, received: Sequence[Received]) -> list[bool]:
        """Store `received` with the handled updates' done marks riding along, committed."""
        finished, self._finished = self._finished, []
        try:
            stored = await self._writer.write(received, finished, self._clock())
        except BaseException:
            self._finished[:0] = finished
            raise
        self._in_hand.difference_update(finished)
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
        if not self._finished:
            return
        try:
            await self._write([])
        except Exception:
            log.exception("could not record %d handled update(s) done", len(self._finished))

    def close(self) -> None:
        """Release the inbox's own database connection (at shutdown, after the last flush)."""
        self._writer.close()

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
                if update_id in self._in_hand or update_id in self._received:
                    continue  # still queued here, or on its way to the queue: not lost
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
        in_hand = self._in_hand | self._received.keys()
        if not in_hand:
            return
        async with self._sessions() as session:
            await InboxRepository(session).touch(sorted(in_hand), self._clock())
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
        """Store (unless stored with its getUpdates batch), then hand over.

        NetworkError (not acknowledged) if it cannot be stored: a TelegramError is what PTB's
        polling loop retries (with backoff, the offset kept, so Telegram sends the batch
        again); anything else would end polling. The webhook answers it with a 500, and
        Telegram sends the update again.
        """
        if isinstance(item, Update):
            stored = self._inbox.take_received(item.update_id)
            if stored is None:
                stored = await self._store(item, None)
            if not stored:
                log.debug("update %s was stored before; not handled again", item.update_id)
                return
        await self._target.put(item)

    async def put_received(self, update: Update, payload: str) -> None:
        """Store the update with its JSON as received (a webhook's body), then hand it over."""
        if await self._store(update, payload):
            await self._target.put(update)
        else:
            log.debug("update %s was stored before; not handled again", update.update_id)

    async def _store(self, update: Update, payload: str | None) -> bool:
        try:
            return await self._inbox.store(update, payload)
        except Exception as exc:
            log.warning("update %s could not be stored: %s", update.update_id, exc)
            raise NetworkError(
                f"update not stored ({type(exc).__name__}), so not acknowledged"
            ) from exc


class InboxRequest(BaseRequest):
    """The getUpdates connection: a batch is stored in the inbox before getUpdates returns.

    Each update is stored as the JSON object it arrived as (the response's dict encoded
    again, much cheaper than serialising PTB's parsed Update), the whole batch in one commit
    with the done marks of the updates handled meanwhile. The Updater confirms the batch (its
    next offset) only after it put every update on the InboxQueue, which is after this commit.
    Not storable: NetworkError, which the polling loop retries with the offset kept, so
    Telegram sends the batch again.
    """

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner
        # Set once the application (and so the inbox's bot) is built.
        self.inbox: Inbox | None = None

    @property
    def read_timeout(self) -> float | None:
        """The wrapped request's default read timeout."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Initialise the wrapped request."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut the wrapped request down."""
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """The wrapped request's answer; a getUpdates batch is stored before it is returned."""
        code, payload = await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if self.inbox is not None and 200 <= code <= 299 and url.endswith("/getUpdates"):
            await self._store(payload)
        return code, payload

    async def _store(self, payload: bytes) -> None:
        assert self.inbox is not None
        try:
            answer = json.loads(payload)
        except ValueError:
            return  # PTB's own parsing reports it
        updates = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(updates, list) or not updates:
            return
        try:
            await self.inbox.store_received(updates)
        except Exception as exc:
            log.warning("%d update(s) could not be stored: %s", len(updates), exc)
            raise NetworkError(
                f"updates not stored ({type(exc).__name__}), so not acknowledged"
            ) from exc


def sender_id(update: dict[str, Any]) -> int | None:
    """The id of the user an update (as received) comes from, as Update.effective_user finds it."""
    for key, content in update.items():
        if key != "update_id" and isinstance(content, dict):
            user = content.get("from") or content.get("user")
            if isinstance(user, dict) and isinstance(user.get("id"), int):
                return int(user["id"])
    return None
