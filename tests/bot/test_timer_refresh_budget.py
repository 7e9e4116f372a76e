"""Timer refreshes take the lowest lane of the one send budget, through the real Application:
replies are never queued behind them, refreshes with no spare slot are shed and stay due, and a
Stop that lands while a refresh waits for its slot is never overwritten."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.core.runtime import BotApp
from bot.jobs.sender import shared_budget
from bot.jobs.timer_refresh import refresh_timers
from storage.models import Timer
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import another_app, deps_of
from tests.seed import seed_skills
from tests.support import SARAH, FakeClock, UnitOfWorkFactory

TIMERS = 10
BURST = 8  # at 5/s, longer than a refresh waits for a spare slot


async def _apps(
    settings: Settings, api: FakeBotApi, clock: FakeClock, rate: float
) -> AsyncIterator[BotApp]:
    update = {"rate_limit_per_second": rate}
    async with another_app(settings.model_copy(update=update), api, clock) as app:
        yield app


@pytest.fixture
async def app5(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The application with RATE_LIMIT_PER_SECOND=5 (a slot every ~0.2 s)."""
    async for app in _apps(settings, api, clock, 5):
        yield app


async def test_replies_go_first_and_refreshes_without_a_spare_slot_stay_due(
    app5: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    timing = [ChatUser(app5, api, user_id=7000 + n, first_name=f"T{n}") for n in range(TIMERS)]
    for user in timing:
        await seed_skills(uow_factory, "Guitar", user_id=user.user_id)
        await user.send("/timer guitar")
    clock.advance(minutes=2)
    chatting = [ChatUser(app5, api, user_id=8000 + n, first_name=f"C{n}") for n in range(BURST)]
    mark = api.mark()

    def refreshed() -> list[int]:
        return [c.chat_id for c in api.calls_since(mark) if c.method == "editMessageText" and c.ok]

    async def burst() -> None:
        while len(refreshed()) < 2:  # the refresh run is under way
            await asyncio.sleep(0.005)
        await asyncio.gather(*(user.send("/help") for user in chatting))

    deps = deps_of(app5)
    report, _ = await asyncio.gather(refresh_timers(deps, app5.bot), burst())

    log = [c for c in api.calls_since(mark) if c.chat_id is not None and c.ok]
    replies = [i for i, c in enumerate(log) if c.chat_id in {u.user_id for u in chatting}]
    edits = [i for i, c in enumerate(log) if c.method == "editMessageText"]
    assert len(replies) == BURST
    # Once the first reply went out, no refresh took a slot until the last one had.
    assert not [i for i in edits if replies[0] < i < replies[-1]]
    # The replies need more than the refreshes' patience: the rest of the run was shed.
    assert report.edited >= 2 and report.shed > 0 and report.dropped == 0
    assert report.edited + report.shed == TIMERS
    first = set(refreshed())
    assert len(first) == report.edited

    # Shed, not lost: the next run, with nobody chatting, sends exactly those.
    again = await refresh_timers(deps, app5.bot)
    assert (again.claimed, again.edited, again.shed) == (report.shed, report.shed, 0)
    assert sorted(refreshed()) == sorted(u.user_id for u in timing)  # each once


async def test_a_stop_while_a_refresh_waits_for_its_slot_is_not_overwritten(
    app5: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    sarah = ChatUser(app5, api, user_id=SARAH)
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    live = sarah.last_message()
    clock.advance(minutes=3)
    budget = shared_budget(app5.bot)
    assert budget is not None

    async def stop_once_claimed() -> None:
        while True:  # the run has claimed the refresh and waits for a slot
            async with uow_factory() as uow:
                due = (await uow.session.execute(select(Timer.refresh_at))).scalar_one()
            if due.replace(tzinfo=None) > clock().replace(tzinfo=None):
                break
            await asyncio.sleep(0.002)
        await sarah.tap("⏹ Stop", message=live)

    # Flood control for a moment: every sender waits, the refresh within its patience.
    budget.pause(0.3)
    report, _ = await asyncio.gather(refresh_timers(deps_of(app5), app5.bot), stop_once_claimed())
    assert (report.claimed, report.edited, report.dropped, report.shed) == (1, 0, 1, 0)
    card = api.find_message(SARAH, live["message_id"])
    assert card is not None and "⏹ Saved: Guitar — 3 min" in card["text"]
