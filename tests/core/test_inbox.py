"""The update inbox: stored before it is acknowledged, handled once, recovered in order."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot, Update
from telegram.error import NetworkError

from bot.app import build_application, on_shutdown
from bot.config import Settings
from bot.core.inbox import Inbox, InboxQueue, InboxRequest, sender_id
from bot.core.runtime import BotApp
from bot.core.webhook import SECRET_HEADER
from storage.db import create_engine, create_session_factory
from storage.models import InboxUpdate
from tests.botprocess import command_update, free_port
from tests.fakebot import FakeBotApi, FakeRequest
from tests.support import SARAH, TEST_TOKEN, FakeClock, UnitOfWorkFactory

LEASE = timedelta(seconds=60)


@pytest.fixture
async def live_app(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The application as production runs it: with its updater and so with the inbox."""
    application = build_application(
        settings, request=FakeRequest(api), get_updates_request=FakeRequest(api), clock=clock
    )
    await application.initialize()
    yield application
    await application.shutdown()
    await on_shutdown(application)


@pytest.fixture
async def inboxes(db_url: str, clock: FakeClock) -> AsyncIterator[tuple[Inbox, Inbox]]:
    """Two instances' inboxes on the same database, each with its own engine."""
    engines = [create_engine(db_url) for _ in range(2)]
    bot = Bot(TEST_TOKEN, request=FakeRequest(FakeBotApi()))
    first, second = (
        Inbox(create_session_factory(engine), bot, clock, lease=LEASE) for engine in engines
    )
    yield first, second
    for engine in engines:
        await engine.dispose()


def _update(update_id: int, text: str = "/help", user: int = SARAH) -> Update:
    return Update.de_json(command_update(update_id, user, text), None)


async def _rows(uow_factory: UnitOfWorkFactory) -> list[tuple[int, bool]]:
    async with uow_factory() as uow:
        rows = await uow.session.execute(
            select(InboxUpdate.update_id, InboxUpdate.done_at).order_by(InboxUpdate.update_id)
        )
        return [(update_id, done is not None) for update_id, done in rows.all()]


def _drain(queue: asyncio.Queue[object]) -> list[int]:
    ids = []
    while not queue.empty():
        update = queue.get_nowait()
        assert isinstance(update, Update)
        ids.append(update.update_id)
    return ids


async def test_an_update_is_stored_before_it_goes_on_and_a_redelivery_is_not_handled_again(
    live_app: BotApp, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    assert live_app.updater is not None
    intake = live_app.updater.update_queue
    assert isinstance(intake, InboxQueue)
    update = _update(41)
    await intake.put(update)
    assert await _rows(uow_factory) == [(41, False)]
    await intake.put(_update(41))  # Telegram sent it again (its 200 was lost)
    assert live_app.update_queue.qsize() == 1

    handed = live_app.update_queue.get_nowait()
    await live_app.update_processor.process_update(handed, live_app.process_update(handed))
    assert len(api.sent("sendMessage", SARAH)) == 1
    await live_app.bot_data["inbox"].flush()  # done within FLUSH_DELAY, or with the next update
    assert await _rows(uow_factory) == [(41, True)]


async def test_after_a_restart_pending_updates_come_first_in_order_and_done_ones_never(
    inboxes: tuple[Inbox, Inbox], uow_factory: UnitOfWorkFactory
) -> None:
    crashed, restarted = inboxes
    for update_id in (7, 5, 6, 8):  # as Telegram numbers them, not necessarily as they came
        assert await crashed.store(_update(update_id))
    await crashed.done(_update(6))
    await crashed.store(_update(8))  # records 6 done on the way (8 was stored before)
    queue: asyncio.Queue[object] = asyncio.Queue()
    assert await restarted.recover(queue, all_pending=True) == 3
    assert _drain(queue) == [5, 7, 8]
    # Handed over once: they are now the restarted instance's, in hand.
    assert await restarted.recover(queue, all_pending=True) == 0


async def test_two_instances_taking_over_pending_updates_never_take_the_same_one(
    inboxes: tuple[Inbox, Inbox], clock: FakeClock, db_url: str
) -> None:
    dead_inbox, _ = inboxes
    for update_id in range(1, 201):
        await dead_inbox.store(_update(update_id, user=SARAH + update_id % 7))
    clock.advance(seconds=LEASE.total_seconds() + 1)  # their instance died long ago
    engines = [create_engine(db_url) for _ in range(2)]
    try:
        bot = Bot(TEST_TOKEN, request=FakeRequest(FakeBotApi()))
        a, b = (Inbox(create_session_factory(e), bot, clock, lease=LEASE) for e in engines)
        queues: list[asyncio.Queue[object]] = [asyncio.Queue(), asyncio.Queue()]
        await asyncio.gather(
            a.recover(queues[0], all_pending=False), b.recover(queues[1], all_pending=False)
        )
    finally:
        for engine in engines:
            await engine.dispose()
    took_a, took_b = _drain(queues[0]), _drain(queues[1])
    assert not set(took_a) & set(took_b)
    assert sorted(took_a + took_b) == list(range(1, 201))
    assert took_a == sorted(took_a) and took_b == sorted(took_b)


async def test_updates_in_hand_keep_their_claim_and_are_never_handed_over_twice(
    inboxes: tuple[Inbox, Inbox], clock: FakeClock
) -> None:
    busy, other = inboxes
    await busy.store(_update(1))
    clock.advance(seconds=LEASE.total_seconds() / 2)
    await busy.renew()  # still being handled: the heartbeat renews the claim
    clock.advance(seconds=LEASE.total_seconds() / 2 + 1)
    queue: asyncio.Queue[object] = asyncio.Queue()
    assert await other.recover(queue, all_pending=False) == 0
    clock.advance(seconds=LEASE.total_seconds())  # busy died: nothing renews the claim
    assert await other.recover(queue, all_pending=False) == 1
    assert _drain(queue) == [1]


async def test_an_update_that_cannot_be_stored_is_not_acknowledged(
    tmp_path: Path, clock: FakeClock
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'no-schema.db'}")  # no tables
    try:
        inbox = Inbox(create_session_factory(engine), None, clock, lease=LEASE)  # type: ignore[arg-type]
        target: asyncio.Queue[object] = asyncio.Queue()
        # A TelegramError: PTB's polling loop retries it without advancing the offset.
        with pytest.raises(NetworkError, match="not acknowledged"):
            await InboxQueue(inbox, target).put(_update(3))
        assert target.empty()
    finally:
        await engine.dispose()


async def _payloads(uow_factory: UnitOfWorkFactory) -> dict[int, tuple[str, bool]]:
    async with uow_factory() as uow:
        rows = await uow.session.execute(
            select(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.done_at)
        )
        return {update_id: (payload, done is not None) for update_id, payload, done in rows.all()}


async def test_a_get_updates_batch_is_stored_as_received_before_get_updates_returns_it(
    live_app: BotApp, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    assert live_app.updater is not None
    intake = live_app.updater.update_queue
    assert isinstance(intake, InboxQueue)
    await intake.put(Update.de_json(command_update(60, SARAH, "/help"), live_app.bot))
    handled = live_app.update_queue.get_nowait()
    await live_app.update_processor.process_update(handled, live_app.process_update(handled))
    assert len(api.sent("sendMessage", SARAH)) == 1
    sent = [command_update(61, SARAH, "/help"), command_update(62, SARAH + 1, "/help")]
    for update in sent:
        api.push_update(update)

    batch = await live_app.bot.get_updates(timeout=0)

    # Stored (and the handled update recorded done) before the Updater sees a single one of
    # them, so before its next offset confirms them to Telegram; stored as Telegram sent them.
    stored = await _payloads(uow_factory)
    assert [json.loads(stored[u["update_id"]][0]) for u in sent] == sent
    assert {u: done for u, (_, done) in stored.items()} == {60: True, 61: False, 62: False}
    for update in batch:
        await intake.put(update)
    assert _drain(live_app.update_queue) == [61, 62]

    for update in await live_app.bot.get_updates(timeout=0):  # the offset was lost: sent again
        await intake.put(update)
    assert live_app.update_queue.empty()


async def test_a_get_updates_batch_that_cannot_be_stored_is_not_returned(
    tmp_path: Path, clock: FakeClock
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'no-schema.db'}")  # no tables
    api = FakeBotApi()
    intake_request = InboxRequest(FakeRequest(api))
    bot = Bot(TEST_TOKEN, request=FakeRequest(api), get_updates_request=intake_request)
    intake_request.inbox = Inbox(create_session_factory(engine), bot, clock, lease=LEASE)
    api.push_update(command_update(70, SARAH, "/help"))
    try:
        # A TelegramError out of getUpdates: PTB's polling loop retries, the offset kept.
        with pytest.raises(NetworkError, match="not acknowledged"):
            await bot.get_updates(timeout=0)
    finally:
        await engine.dispose()
    assert [u["update_id"] for u in api.pending_updates()] == [70]


async def test_the_webhook_stores_the_body_as_it_was_posted(
    live_app: BotApp, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    assert live_app.updater is not None
    port = free_port()
    await live_app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        secret_token="hook-secret",
        webhook_url="https://bot.example.com/hook",
    )
    body = json.dumps(command_update(80, SARAH, "/help caf\u00e9"), indent=1).encode()
    try:
        assert await asyncio.to_thread(_post, f"http://127.0.0.1:{port}/hook", body) == 200
        assert (await _payloads(uow_factory))[80] == (body.decode(), False)
        assert _drain(live_app.update_queue) == [80]
        # Sent again (our 200 was lost on the way): acknowledged, not handled a second time.
        assert await asyncio.to_thread(_post, f"http://127.0.0.1:{port}/hook", body) == 200
    finally:
        await live_app.updater.stop()
    assert live_app.update_queue.empty()


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(  # noqa: S310 (loopback test URL)
        url,
        data=body,
        headers={"Content-Type": "application/json", SECRET_HEADER: "hook-secret"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


@pytest.mark.parametrize(
    "update",
    [
        command_update(1, SARAH, "/help"),
        {
            "update_id": 2,
            "callback_query": {
                "id": "q",
                "from": {"id": SARAH, "is_bot": False, "first_name": "Sarah"},
                "chat_instance": "c",
                "data": "x",
            },
        },
        {  # an anonymous vote: a chat, no user
            "update_id": 3,
            "poll_answer": {
                "poll_id": "p",
                "voter_chat": {"id": -100, "type": "channel", "title": "C"},
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            },
        },
        {
            "update_id": 4,
            "poll_answer": {
                "poll_id": "p",
                "user": {"id": SARAH, "is_bot": False, "first_name": "Sarah"},
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            },
        },
    ],
)
def test_the_sender_of_a_received_update_is_whom_ptb_finds(update: dict[str, Any]) -> None:
    user = Update.de_json(update, None).effective_user
    assert sender_id(update) == (user.id if user else None)


async def test_a_stored_batch_that_never_reached_the_queue_is_recovered_after_the_lease(
    inboxes: tuple[Inbox, Inbox], clock: FakeClock
) -> None:
    inbox, _ = inboxes
    # Polling stopped between getUpdates' commit and the Updater's puts: the batch is stored
    # (and confirmed to Telegram by nobody yet, but it may have been) and in nobody's hands.
    await inbox.store_received([command_update(90, SARAH, "/help")])
    await inbox.store_received([command_update(91, SARAH, "/help")])  # the next batch
    assert inbox.take_received(90) is None  # the previous batch's are no longer in hand
    queue: asyncio.Queue[object] = asyncio.Queue()
    assert await inbox.recover(queue, all_pending=False) == 0  # within the lease: left alone
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert await inbox.recover(queue, all_pending=False) == 1
    assert _drain(queue) == [90]  # 91 is still this batch's, on its way to the queue
