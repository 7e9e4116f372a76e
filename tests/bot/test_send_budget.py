"""One send budget per instance: fractional rates work, replies and the sweep share it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from bot.app import build_application, on_shutdown
from bot.config import Settings
from bot.core.runtime import BotApp
from bot.core.send_budget import SendBudget
from bot.jobs.reminders import sweep
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi, FakeRequest
from tests.reminders.helpers import add_sessions, add_user, deps_of
from tests.support import FakeClock, UnitOfWorkFactory

EVENING = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
RATE = 10


async def _app(
    settings: Settings, api: FakeBotApi, clock: FakeClock, rate: float
) -> AsyncIterator[BotApp]:
    application = build_application(
        settings.model_copy(update={"rate_limit_per_second": rate}),
        request=FakeRequest(api),
        get_updates_request=FakeRequest(api),
        clock=clock,
        with_updater=False,
    )
    await application.initialize()
    yield application
    await application.shutdown()
    await on_shutdown(application)


@pytest.fixture
async def slow_app(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The application with RATE_LIMIT_PER_SECOND=0.5 (an instance among 60 sharing 30/s)."""
    async for application in _app(settings, api, clock, 0.5):
        yield application


@pytest.fixture
async def app10(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The application with RATE_LIMIT_PER_SECOND=10."""
    async for application in _app(settings, api, clock, RATE):
        yield application


async def test_a_rate_below_one_per_second_still_answers(slow_app: BotApp, api: FakeBotApi) -> None:
    sarah = ChatUser(slow_app, api, user_id=1001)
    await sarah.send("/start")
    assert "Practice Tracker" in sarah.last_text()


def _most_in_one_second(stamps: list[float]) -> int:
    return max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)


async def test_replies_and_a_reminder_sweep_share_one_budget_replies_first(
    app10: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    due = list(range(1, 21))
    for user_id in due:  # twenty streak reminders due at 20:00
        await add_user(uow_factory, user_id, weekly_enabled=False, inactivity_enabled=False)
        await add_sessions(uow_factory, user_id, [date(2026, 11, 23), date(2026, 11, 24)])
    chatting = [ChatUser(app10, api, user_id=500 + n) for n in range(6)]
    clock.set(EVENING)

    async def chat_burst() -> None:
        await asyncio.sleep(0.3)  # the sweep is under way
        await asyncio.gather(*(user.send("/help") for user in chatting))

    await asyncio.gather(sweep(deps_of(app10), app10.bot), chat_burst())

    messages = [call for call in api.calls if call.chat_id is not None and call.ok]
    reminders = [c.at_monotonic for c in messages if c.chat_id in due]
    replies = [c.at_monotonic for c in messages if c.chat_id not in due]
    assert len(reminders) == 20 and len(replies) == 6
    assert _most_in_one_second(reminders + replies) <= RATE
    # Replies did not queue behind the rest of the sweep.
    assert max(replies) < sorted(reminders)[-3]


async def test_a_reply_takes_the_next_slot_ahead_of_queued_background_sends() -> None:
    budget = SendBudget(50)
    order: list[str] = []

    async def background(n: int) -> None:
        async with budget.background_slot() as started:
            started()
            order.append(f"b{n}")

    async def reply() -> None:
        while not order:  # once the sweep has started
            await asyncio.sleep(0.001)
        await budget.reply_slot()
        order.append("reply")

    await asyncio.gather(*(background(n) for n in range(10)), reply())
    assert order.index("reply") <= 2


class FakeTime:
    """A monotonic clock that moves only when the test moves it; sleepers wait for that."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = self.now + seconds
        while self.now < wake:
            await asyncio.sleep(0)


async def test_spare_slots_are_only_those_nobody_else_wants() -> None:
    t = FakeTime()
    budget = SendBudget(10, pace=1.0, monotonic=t.monotonic, sleep=t.sleep)
    assert budget.take_spare()
    assert not budget.take_spare()  # the next slot is 0.1 s away: never reserved ahead
    assert budget.spare_wait() == pytest.approx(0.1)
    budget.pause(5)  # flood control stops spare sends as well
    assert budget.spare_wait() == pytest.approx(5)
    reply = asyncio.create_task(budget.reply_slot())  # waits out the pause, unreserved
    await asyncio.sleep(0)
    t.now += 5
    assert not budget.take_spare()  # the slot is due, but a reply waits for it
    await reply
    assert not budget.take_spare()  # and the reply's slot is the current one
    t.now += 0.1
    async with budget.background_slot():  # a reminder in its lane goes first too
        t.now += 0.1
        assert not budget.take_spare()
    assert budget.take_spare()
