"""Delivery: flood control, network errors, blocked users, crashes, and two instances at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from bot.config import Settings
from bot.core.runtime import BotApp
from bot.domain.reminders import ReminderKind
from bot.jobs.reminders import LEASE, claim_batch, sweep
from bot.jobs.sender import Sender
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import (
    add_sessions,
    add_user,
    another_app,
    chats,
    deps_of,
    ledger,
    user_row,
)
from tests.support import FakeClock, UnitOfWorkFactory

EVENING = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
STREAK_DAYS = [date(2026, 11, 23), date(2026, 11, 24)]
QUIET = {"weekly_enabled": False, "inactivity_enabled": False}


async def _streak_users(uow_factory: UnitOfWorkFactory, *user_ids: int) -> None:
    for user_id in user_ids:
        await add_user(uow_factory, user_id, **QUIET)
        await add_sessions(uow_factory, user_id, STREAK_DAYS)


async def test_flood_control_pauses_for_the_time_asked_then_sends(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await _streak_users(uow_factory, 1, 2)
    api.fail_next("sendMessage", status=429, retry_after=1)
    clock.set(EVENING)
    sender = Sender()
    report = await sweep(deps_of(app), app.bot, sender=sender)
    assert report.count("sent") == 2
    assert sorted(chats(api)) == [1, 2]
    assert sender.pauses == [1.0]
    attempts = api.sent("sendMessage")
    assert [call.status for call in attempts] == [429, 200, 200]
    # Nothing went out during the pause Telegram asked for.
    assert attempts[1].at_monotonic - attempts[0].at_monotonic >= 1.0
    assert sorted(row[3] for row in await ledger(uow_factory)) == ["sent", "sent"]


async def test_server_errors_are_retried_with_backoff(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await _streak_users(uow_factory, 1)
    api.fail_next("sendMessage", status=502, times=2)
    clock.set(EVENING)
    report = await sweep(deps_of(app), app.bot, sender=Sender(backoff=0.05))
    calls = api.sent("sendMessage")
    assert [call.status for call in calls] == [502, 502, 200]
    assert calls[2].at_monotonic - calls[1].at_monotonic >= 0.1  # 0.05, then 0.1
    assert report.count("sent") == 1


async def test_a_network_outage_leaves_the_claim_for_a_later_sweep(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await _streak_users(uow_factory, 1)
    api.fail_next("sendMessage", status=500, times=3)
    clock.set(EVENING)
    report = await sweep(deps_of(app), app.bot, sender=Sender(backoff=0.01, network_attempts=3))
    assert report.count("retry later") == 1
    assert await ledger(uow_factory) == [(1, "streak", "2026-11-25", "claimed")]
    clock.advance(seconds=LEASE.total_seconds() + 60)
    await sweep(deps_of(app), app.bot)
    assert chats(api) == [1]
    assert await ledger(uow_factory) == [(1, "streak", "2026-11-25", "sent")]


async def test_a_blocked_bot_marks_the_user_and_skips_them_until_they_write(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await sarah.send("/reminders")
    await _streak_users(uow_factory, 1)
    await add_sessions(uow_factory, 1001, STREAK_DAYS)
    api.fail_for_chat(1001)
    clock.set(EVENING)
    start = api.mark()
    report = await sweep(deps_of(app), app.bot)
    # The other user still gets theirs: one failure never stops the sweep.
    assert chats(api, since=start) == [1]
    assert report.count("blocked") == 1
    assert not (await user_row(uow_factory, 1001)).is_reachable
    assert (1001, "streak", "2026-11-25", "blocked") in await ledger(uow_factory)

    clock.set(datetime(2026, 11, 26, 20, 0, tzinfo=UTC))
    await add_sessions(uow_factory, 1001, [date(2026, 11, 25)])
    before = api.mark()
    await sweep(deps_of(app), app.bot)
    assert [call.chat_id for call in api.calls_since(before)] == []  # not even attempted

    api.clear_failures()
    await sarah.send("/help")  # writing again means they unblocked the bot
    assert (await user_row(uow_factory, 1001)).is_reachable
    before = api.mark()
    await sweep(deps_of(app), app.bot)
    assert chats(api, since=before) == [1001]


async def test_crash_after_claim_is_sent_after_the_lease_at_least_once(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _streak_users(uow_factory, 1)
    clock.set(EVENING)
    claims, _, _, _ = await claim_batch(deps_of(app), ReminderKind.STREAK, 10)
    assert [c.user_id for c in claims] == [1]
    # ...and the process dies here, before sending. A new one starts on the same database.
    async with another_app(settings, api, clock) as restarted:
        await sweep(deps_of(restarted), restarted.bot)
        assert chats(api) == []  # within the lease the claim may still be in flight elsewhere
        clock.advance(seconds=LEASE.total_seconds() + 1)
        await sweep(deps_of(restarted), restarted.bot)
        assert chats(api) == [1]
        clock.advance(minutes=30)
        await sweep(deps_of(restarted), restarted.bot)
    assert chats(api) == [1]
    assert await ledger(uow_factory) == [(1, "streak", "2026-11-25", "sent")]


async def test_a_crashed_claim_whose_day_ended_is_dropped(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _streak_users(uow_factory, 1)
    clock.set(datetime(2026, 11, 25, 23, 55, tzinfo=UTC))
    await claim_batch(deps_of(app), ReminderKind.STREAK, 10)
    async with another_app(settings, api, clock) as restarted:
        clock.set(datetime(2026, 11, 26, 0, 10, tzinfo=UTC))
        await sweep(deps_of(restarted), restarted.bot)
    assert chats(api) == []


async def test_a_claim_taken_over_is_not_sent_by_its_first_owner(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
) -> None:
    from bot.jobs.reminders import deliver
    from bot.jobs.sender import delivery_bot

    await _streak_users(uow_factory, 1)
    clock.set(EVENING)
    deps = deps_of(app)
    stuck, _, _, _ = await claim_batch(deps, ReminderKind.STREAK, 10)
    clock.advance(seconds=LEASE.total_seconds() + 1)
    async with another_app(settings, api, clock) as other:
        await sweep(deps_of(other), other.bot)  # takes the claim over and sends
    # The first process wakes up late: the claim is no longer its own.
    outcome = await deliver(deps, delivery_bot(app.bot, deps.settings), Sender(), stuck[0])
    assert outcome == "not ours"
    assert chats(api) == [1]


async def test_two_instances_sweeping_at_once_send_each_message_exactly_once(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
) -> None:
    users = list(range(1, 31))
    await _streak_users(uow_factory, *users)
    for user_id in users[:15]:  # half also get an inactivity nudge due the same evening
        async with uow_factory() as uow:
            user = await uow.users.get(user_id)
            assert user is not None
            user.inactivity_enabled, user.inactivity_days = True, 1
            await uow.commit()
    clock.set(EVENING)
    async with another_app(settings, api, clock) as second:
        # Small batches, so the two interleave many claims instead of one winning everything.
        first_report, second_report = await asyncio.gather(
            sweep(deps_of(app), app.bot, batch=3), sweep(deps_of(second), second.bot, batch=3)
        )
    assert sorted(chats(api)) == users
    assert first_report.count("sent") + second_report.count("sent") == 30
    rows = await ledger(uow_factory)
    assert len(rows) == 30 and {row[3] for row in rows} == {"sent"}
    assert sorted(row[1] for row in rows) == ["inactivity"] * 15 + ["streak"] * 15
