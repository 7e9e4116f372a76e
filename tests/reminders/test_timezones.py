"""Reminders go out at the user's local time: UTC+13, UTC-10, and across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.runtime import BotApp
from bot.jobs.reminders import sweep
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import add_sessions, add_user, chats, deps_of, ledger, texts_to
from tests.support import FakeClock, UnitOfWorkFactory

AUCKLAND, HONOLULU = 13, 10  # user ids named after their offsets: UTC+13 (NZDT), UTC-10


async def _sweep_at(app: BotApp, clock: FakeClock, when: datetime) -> None:
    clock.set(when)
    await sweep(deps_of(app), app.bot)


async def test_streak_reminder_at_20_00_local_in_utc_plus_13_and_utc_minus_10(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, AUCKLAND, "Pacific/Auckland")
    await add_user(uow_factory, HONOLULU, "Pacific/Honolulu")
    # Each practised on their own yesterday and the day before, not yet today.
    await add_sessions(uow_factory, AUCKLAND, [date(2026, 11, 24), date(2026, 11, 25)])
    await add_sessions(uow_factory, HONOLULU, [date(2026, 11, 23), date(2026, 11, 24)])

    # 05:59 UTC: 19:59 on 25 Nov in Honolulu, 18:59 on 26 Nov in Auckland.
    await _sweep_at(app, clock, datetime(2026, 11, 26, 5, 59, tzinfo=UTC))
    assert chats(api) == []
    await _sweep_at(app, clock, datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    assert chats(api) == [HONOLULU]
    assert "Your 2-day streak ends at midnight" in texts_to(api, HONOLULU)[0]
    await _sweep_at(app, clock, datetime(2026, 11, 26, 6, 59, tzinfo=UTC))
    assert chats(api) == [HONOLULU]
    await _sweep_at(app, clock, datetime(2026, 11, 26, 7, 0, tzinfo=UTC))
    assert chats(api) == [HONOLULU, AUCKLAND]
    # Later sweeps the same local day send nothing more.
    await _sweep_at(app, clock, datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    assert chats(api) == [HONOLULU, AUCKLAND]
    assert await ledger(uow_factory) == [
        (HONOLULU, "streak", "2026-11-25", "sent"),
        (AUCKLAND, "streak", "2026-11-26", "sent"),
    ]


async def test_inactivity_nudge_follows_the_spring_forward_change(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    # New York moves from UTC-5 to UTC-4 at 02:00 on Sunday 8 March 2026; London does not.
    quiet = {"weekly_enabled": False, "streak_enabled": False}
    await add_user(uow_factory, 1, "America/New_York", **quiet)
    await add_user(uow_factory, 2, "America/New_York", inactivity_minute=2 * 60 + 30, **quiet)
    await add_user(uow_factory, 3, "Europe/London", **quiet)
    for user_id in (1, 2, 3):
        await add_sessions(uow_factory, user_id, [date(2026, 3, 6)])  # 2 days before the 8th

    # 02:30 does not exist in New York that night: the nudge comes at 03:00 EDT (07:00 UTC).
    await _sweep_at(app, clock, datetime(2026, 3, 8, 6, 59, tzinfo=UTC))
    assert chats(api) == []
    await _sweep_at(app, clock, datetime(2026, 3, 8, 7, 0, tzinfo=UTC))
    assert chats(api) == [2]
    await _sweep_at(app, clock, datetime(2026, 3, 8, 17, 59, tzinfo=UTC))
    assert chats(api) == [2]
    await _sweep_at(app, clock, datetime(2026, 3, 8, 18, 0, tzinfo=UTC))
    assert chats(api) == [2, 3]
    # 18:00 EDT is 22:00 UTC (on EST it would have been 23:00).
    await _sweep_at(app, clock, datetime(2026, 3, 8, 21, 59, tzinfo=UTC))
    assert chats(api) == [2, 3]
    await _sweep_at(app, clock, datetime(2026, 3, 8, 22, 0, tzinfo=UTC))
    assert chats(api) == [2, 3, 1]
    assert "It's been 2 days since your last practice session (Fri 6 Mar)" in texts_to(api, 1)[0]


async def test_the_repeated_hour_of_the_fall_back_change_sends_once(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    # 01:30 happens twice in New York on Sunday 1 November 2026 (EDT, then EST).
    await add_user(uow_factory, 5, "America/New_York", streak_minute=90, weekly_enabled=False)
    await add_sessions(uow_factory, 5, [date(2026, 10, 30), date(2026, 10, 31)])
    await _sweep_at(app, clock, datetime(2026, 11, 1, 5, 29, tzinfo=UTC))
    assert chats(api) == []
    await _sweep_at(app, clock, datetime(2026, 11, 1, 5, 30, tzinfo=UTC))  # 01:30 EDT
    assert chats(api) == [5]
    await _sweep_at(app, clock, datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # 01:30 EST
    assert chats(api) == [5]


async def test_a_sweep_that_was_down_sends_what_is_still_due_today_and_drops_the_rest(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 7, "Europe/Berlin", weekly_enabled=False)
    await add_sessions(uow_factory, 7, [date(2026, 11, 23), date(2026, 11, 24)])
    # Due at 20:00 Berlin (19:00 UTC) on the 25th; the bot comes back at 22:30 Berlin: sent.
    await _sweep_at(app, clock, datetime(2026, 11, 25, 21, 30, tzinfo=UTC))
    assert chats(api) == [7]
    # Next day the user practised nothing more: the streak is gone, nothing is due. A bot down
    # all of the 26th never sends the 26th's messages on the 27th.
    await add_user(uow_factory, 8, "Europe/Berlin", weekly_enabled=False)
    await add_sessions(uow_factory, 8, [date(2026, 11, 24), date(2026, 11, 25)])
    await _sweep_at(app, clock, datetime(2026, 11, 27, 0, 30, tzinfo=UTC))  # 01:30 on the 27th
    assert chats(api) == [7]
    assert [row[1:] for row in await ledger(uow_factory, 8)] == []
