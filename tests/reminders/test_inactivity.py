"""Inactivity nudges: one per window, three unanswered then silence, vacation pause."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.runtime import BotApp
from bot.jobs.reminders import sweep
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import add_sessions, add_user, chats, deps_of, ledger, texts_to
from tests.support import FakeClock, UnitOfWorkFactory

QUIET = {"weekly_enabled": False, "streak_enabled": False}


async def _evening(app: BotApp, clock: FakeClock, day: int, month: int = 11) -> None:
    clock.set(datetime(2026, month, day, 18, 0, tzinfo=UTC))
    await sweep(deps_of(app), app.bot)


async def test_three_unanswered_nudges_then_silence_until_the_next_session(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1, inactivity_days=1, **QUIET)
    await add_sessions(uow_factory, 1, [date(2026, 11, 20)])
    await _evening(app, clock, 21)
    await _evening(app, clock, 21)  # a second sweep in the same window sends nothing
    await _evening(app, clock, 22)
    await _evening(app, clock, 23)
    await _evening(app, clock, 24)
    await _evening(app, clock, 25)
    sent = texts_to(api, 1)
    assert len(sent) == 3
    assert "your last session was yesterday" in sent[0]
    assert "It's been 2 days" in sent[1]
    assert "last nudge" not in sent[0] + sent[1]
    assert "It's been 3 days" in sent[2]
    assert "This is my last nudge for now" in sent[2]
    assert [row[2] for row in await ledger(uow_factory, 1)] == [
        "2026-11-21",
        "2026-11-22",
        "2026-11-23",
    ]
    # Logging again starts the count afresh.
    await add_sessions(uow_factory, 1, [date(2026, 11, 25)])
    await _evening(app, clock, 26)
    assert len(texts_to(api, 1)) == 4
    assert "last nudge" not in texts_to(api, 1)[3]


async def test_every_n_days_and_the_buttons(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 2, inactivity_days=3, **QUIET)
    await add_sessions(uow_factory, 2, [date(2026, 11, 10), date(2026, 11, 11)])
    for day in range(12, 21):
        await _evening(app, clock, day)
    assert [row[2] for row in await ledger(uow_factory, 2)] == [
        "2026-11-14",
        "2026-11-17",
        "2026-11-20",
    ]
    assert "Your best streak so far is 2 days" in texts_to(api, 2)[0]
    buttons = api.sent("sendMessage", 2)[0].buttons
    assert ["⚙️ Reminder settings"] in buttons


async def test_vacation_pause_sends_nothing_and_counts_from_its_end(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 3, paused_until=date(2026, 11, 26), **QUIET)
    await add_sessions(uow_factory, 3, [date(2026, 11, 20)])
    for day in range(21, 28):  # due on the 22nd and 24th, but paused through the 26th
        await _evening(app, clock, day)
    assert chats(api) == []
    await _evening(app, clock, 28)  # two days after the pause ended
    assert chats(api) == [3]
    assert "It's been 8 days since your last practice session (Fri 20 Nov)" in texts_to(api, 3)[0]


async def test_a_new_user_who_never_logged_is_nudged_to_start(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 4, joined=datetime(2026, 11, 23, 9, 0, tzinfo=UTC), **QUIET)
    await _evening(app, clock, 24)
    assert chats(api) == []
    await _evening(app, clock, 25)
    assert "You haven't logged a practice session yet" in texts_to(api, 4)[0]
    assert "/addskill" in texts_to(api, 4)[0]


async def test_only_one_nudge_a_day_when_the_streak_reminder_is_due_too(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    # Practised on the 23rd and 24th: on the 25th both nudges are due (18:00 and 20:00).
    await add_user(uow_factory, 5, inactivity_days=1, weekly_enabled=False)
    await add_sessions(uow_factory, 5, [date(2026, 11, 23), date(2026, 11, 24)])
    await _evening(app, clock, 25)
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    await sweep(deps_of(app), app.bot)
    sent = texts_to(api, 5)
    assert len(sent) == 1
    assert "Your 2-day streak ends at midnight — one session keeps it alive" in sent[0]
    assert await ledger(uow_factory, 5) == [(5, "inactivity", "2026-11-25", "sent")]
