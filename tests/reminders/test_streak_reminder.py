"""Streak reminders: only for a live streak not yet extended today, once a day, easy to stop."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.config import Settings
from bot.core.runtime import BotApp
from bot.domain.reminders import ReminderKind
from bot.jobs.reminders import claim_batch, deliver, sweep
from bot.jobs.sender import Sender, delivery_bot
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import (
    add_sessions,
    add_user,
    another_app,
    chats,
    deps_of,
    ledger,
    texts_to,
    user_row,
)
from tests.support import FakeClock, UnitOfWorkFactory

EVENING = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 20:00 in UTC, the default time
QUIET = {"weekly_enabled": False, "inactivity_enabled": False}


async def test_sent_only_for_a_streak_of_two_days_or_more_not_yet_extended_today(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    for user_id in (1, 2, 3, 4, 5):
        await add_user(uow_factory, user_id, **QUIET)
    await add_sessions(uow_factory, 1, [date(2026, 11, d) for d in range(13, 25)])  # 12 days
    await add_sessions(uow_factory, 2, [date(2026, 11, 24)])  # one day: no reminder
    await add_sessions(uow_factory, 3, [date(2026, 11, 22), date(2026, 11, 23)])  # broken
    await add_sessions(uow_factory, 4, [date(2026, 11, d) for d in (23, 24, 25)])  # done today
    clock.set(EVENING)
    report = await sweep(deps_of(app), app.bot)
    assert chats(api) == [1]
    assert report.count("sent") == 1
    assert "Your 12-day streak ends at midnight" in texts_to(api, 1)[0]
    assert "🔕 No more streak reminders" in str(api.sent("sendMessage", 1)[0].buttons)


async def test_a_session_logged_between_selection_and_send_cancels_it(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1, **QUIET)
    await add_sessions(uow_factory, 1, [date(2026, 11, 23), date(2026, 11, 24)])
    clock.set(EVENING)
    deps = deps_of(app)
    claims, _, _, _ = await claim_batch(deps, ReminderKind.STREAK, 10)
    assert [c.user_id for c in claims] == [1]
    await add_sessions(uow_factory, 1, [date(2026, 11, 25)])  # logged just now
    outcome = await deliver(deps, delivery_bot(app.bot, deps.settings), Sender(), claims[0])
    assert outcome == "skipped"
    assert chats(api) == []
    assert await ledger(uow_factory) == [(1, "streak", "2026-11-25", "skipped")]
    await sweep(deps, app.bot)
    assert chats(api) == []


async def test_one_a_day_across_a_restart(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await add_user(uow_factory, 1, **QUIET)
    await add_sessions(uow_factory, 1, [date(2026, 11, 23), date(2026, 11, 24)])
    clock.set(EVENING)
    await sweep(deps_of(app), app.bot)
    assert chats(api) == [1]
    async with another_app(settings, api, clock) as restarted:
        clock.advance(minutes=30)
        await sweep(deps_of(restarted), restarted.bot)
    assert chats(api) == [1]


async def test_opt_out_from_settings_and_from_the_reminder_itself(
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await sarah.send("/reminders")
    await sarah.tap("🔥 Streak reminder")
    await sarah.tap("🔕 Turn off")
    await add_sessions(uow_factory, 1001, [date(2026, 11, 22), date(2026, 11, 23)])
    clock.set(datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    before = api.mark()
    await sweep(deps_of(app), app.bot)
    assert api.calls_since(before) == []

    await sarah.tap("🔔 Turn on")
    clock.advance(minutes=5)
    await sweep(deps_of(app), app.bot)
    assert "Your 2-day streak ends at midnight" in texts_to(api, 1001)[-1]
    reminder = sarah.last_message()
    await sarah.tap("🔕 No more streak reminders", message=reminder)
    assert "Streak reminders are off" in sarah.last_text()
    assert not (await user_row(uow_factory, 1001)).streak_enabled
    assert "🔕 No more streak reminders" not in str(sarah.buttons(reminder))
    await sarah.tap("⚙️ Reminder settings", message=reminder)
    assert "Streak reminder: off" in sarah.last_text()


async def test_a_session_logged_while_the_reminder_waits_for_a_send_slot_cancels_it(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1, **QUIET)
    await add_sessions(uow_factory, 1, [date(2026, 11, 23), date(2026, 11, 24)])
    clock.set(EVENING)
    deps = deps_of(app)
    now = [0.0]
    waits: list[float] = []

    async def wait_while_the_user_logs(seconds: float) -> None:
        # The reminder was checked and rendered; its slot comes a second later. Meanwhile:
        waits.append(seconds)
        if len(waits) == 1:
            await add_sessions(uow_factory, 1, [date(2026, 11, 25)])
        now[0] += seconds

    sender = Sender(1, monotonic=lambda: now[0], sleep=wait_while_the_user_logs)
    out = delivery_bot(app.bot, deps.settings)
    await sender.send(99, lambda: out.get_me())  # another chat holds this second's slot
    claims, _, _, _ = await claim_batch(deps, ReminderKind.STREAK, 10)
    assert [c.user_id for c in claims] == [1]
    assert await deliver(deps, out, sender, claims[0]) == "skipped"
    assert waits and waits[0] > 0, "the reminder never waited for its slot"
    assert chats(api) == []
    assert await ledger(uow_factory) == [(1, "streak", "2026-11-25", "skipped")]
