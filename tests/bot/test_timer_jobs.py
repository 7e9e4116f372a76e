"""The timer's jobs through the real Application: the live message's refresh cadence and budget,
the forgotten-timer guard (question, answers, silent stop, vacation, 24 h), and two instances
stopping one timer at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.core.runtime import BotApp
from bot.jobs.timer_refresh import RECHECK_CHUNK, refresh_timers
from storage.models import Timer, User
from tests.chat import ChatUser, run_job
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import another_app, deps_of
from tests.seed import count_logs, logs, seed_skills
from tests.support import SARAH, FakeClock, UnitOfWorkFactory


def job(app: BotApp, name: str) -> Any:
    """The scheduled job with this name."""
    assert app.job_queue is not None
    return next(j for j in app.job_queue.jobs() if j.name == name)


def edits(api: FakeBotApi, since: int) -> list[str]:
    """Texts of the message edits made since the mark."""
    return [
        str(call.params.get("text"))
        for call in api.calls_since(since)
        if call.method == "editMessageText" and call.ok
    ]


async def test_the_live_message_is_refreshed_every_minute_then_every_five(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar scales")
    live = sarah.last_message()
    refresh = job(app, "refresh-timers")
    seen: list[int] = []
    for second in range(0, 30 * 60, 30):  # the job runs every 30 s for half an hour
        clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC) + timedelta(seconds=second))
        mark = api.mark()
        await run_job(app, api, refresh)
        if edits(api, mark):
            seen.append(second // 60)
    # Every minute for the first ten, then every five.
    assert seen == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25]
    shown = api.find_message(SARAH, live["message_id"])
    assert shown is not None
    assert shown["text"].startswith("⏱ Guitar · 25 min · scales")
    assert sarah.buttons(live) == [["⏸ Pause", "⏹ Stop"], ["✖ Discard"]]


async def test_a_paused_timer_is_not_refreshed_and_a_deleted_message_is_dropped(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    await sarah.tap("⏸ Pause")
    clock.advance(minutes=30)
    report = await refresh_timers(deps_of(app), app.bot)
    assert report.claimed == 0
    await sarah.tap("▶️ Resume")
    clock.advance(minutes=5)  # past the first ten minutes: every five
    api.fail_next(
        "editMessageText", status=400, description="Bad Request: message to edit not found"
    )
    report = await refresh_timers(deps_of(app), app.bot)
    assert (report.claimed, report.edited, report.dropped) == (1, 0, 1)


async def test_refreshes_beyond_the_budget_wait_oldest_first(
    app: BotApp, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    users = [ChatUser(app, api, user_id=5000 + n, first_name=f"U{n}") for n in range(5)]
    for user in users:
        await seed_skills(uow_factory, "Guitar", user_id=user.user_id)
        await user.send("/timer guitar")
        clock.advance(seconds=1)
    clock.advance(minutes=2)
    deps = deps_of(app)
    first = await refresh_timers(deps, app.bot, budget=3)
    second = await refresh_timers(deps, app.bot, budget=3)
    third = await refresh_timers(deps, app.bot, budget=3)
    assert (first.edited, second.edited, third.edited) == (3, 2, 0)


async def test_a_refresh_claimed_before_a_stop_never_overwrites_the_card(
    app: BotApp,
    sarah: ChatUser,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
) -> None:
    # A first chunk of others' timers, due before Sarah's; hers is re-read with the next chunk.
    for n in range(RECHECK_CHUNK):
        other = ChatUser(app, api, user_id=6000 + n, first_name=f"U{n}")
        await seed_skills(uow_factory, "Chess", user_id=other.user_id)
        await other.send("/timer chess")
    clock.advance(seconds=1)
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    live = sarah.last_message()
    clock.advance(minutes=3)

    class StopsSarahMidRun:
        """Edits through the real bot; while the first edit is in flight, Sarah presses Stop."""

        def __init__(self) -> None:
            self.pressed = False

        async def edit_message_text(self, *args: Any, **kwargs: Any) -> Any:
            if not self.pressed:
                self.pressed = True
                await sarah.tap("⏹ Stop", message=live)
            return await app.bot.edit_message_text(*args, **kwargs)

    bot: Any = StopsSarahMidRun()
    report = await refresh_timers(deps_of(app), bot)
    assert (report.claimed, report.edited, report.dropped) == (RECHECK_CHUNK + 1, RECHECK_CHUNK, 1)
    card = api.find_message(SARAH, live["message_id"])
    assert card is not None and "⏹ Saved: Guitar — 3 min" in card["text"]


async def set_paused_until(uow_factory: UnitOfWorkFactory, day: date) -> None:
    """Pause Sarah's reminders until `day`."""
    async with uow_factory() as uow:
        await uow.session.execute(update(User).where(User.id == SARAH).values(paused_until=day))
        await uow.commit()


async def test_the_guard_asks_once_and_keep_going_resets_it(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timezone Europe/Berlin")
    await sarah.send("/timer guitar")  # 13:00 in Berlin
    reminders = job(app, "reminders")
    clock.advance(minutes=119)
    await run_job(app, api, reminders)
    assert "Still practising" not in sarah.last_text()
    clock.advance(minutes=1)
    await run_job(app, api, reminders)
    assert "Still practising Guitar? The timer shows 2 h" in sarah.last_text()
    assert "I last heard from you at 13:00" in sarah.last_text()
    assert sarah.buttons() == [["Yes, keep going"], ["Stop at 13:00", "Stop now"]]
    clock.advance(minutes=1)
    mark = api.mark()
    await run_job(app, api, reminders)  # asked once, not every sweep
    assert [c for c in api.calls_since(mark) if c.method == "sendMessage"] == []
    await sarah.tap("Yes, keep going")
    assert sarah.last_text().startswith("⏱ Guitar · 2 h 1 min")
    clock.advance(minutes=60)
    await run_job(app, api, reminders)  # seen an hour ago: no question, no stop
    assert sarah.last_text().startswith("⏱ Guitar")
    await sarah.tap("⏹ Stop")
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 181


async def test_stop_at_the_last_time_seen(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(minutes=10)
    await sarah.tap("⏸ Pause")
    clock.advance(minutes=5)
    await sarah.tap("▶️ Resume")  # last seen here: 10 min practised
    clock.advance(hours=2, minutes=5)
    await run_job(app, api, job(app, "reminders"))
    assert "I last heard from you at 12:15" in sarah.last_text()
    await sarah.tap("Stop at 12:15")
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 10


async def test_an_unanswered_question_stops_the_timer_at_the_last_time_seen(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(minutes=40)
    await sarah.send("/timer")  # she looked at it: seen at 12:40, and this is the live one now
    live = sarah.last_message()
    reminders = job(app, "reminders")
    clock.advance(hours=2)
    await run_job(app, api, reminders)
    assert "Still practising" in sarah.last_text()
    clock.advance(minutes=29)
    await run_job(app, api, reminders)
    assert await count_logs(uow_factory) == 0
    clock.advance(minutes=1)
    await run_job(app, api, reminders)
    assert "I stopped your Guitar timer at 12:40" in sarah.last_text()
    assert "saved 40 min" in sarah.last_text()
    assert "▶️ Start timer" in sarah.buttons()[-1]
    [row] = await logs(uow_factory)
    assert (row.duration_minutes, row.source) == (40, "timer")
    old = api.find_message(SARAH, live["message_id"])
    assert old is not None and "stopped" in old["text"]
    await run_job(app, api, reminders)  # stopped once
    assert await count_logs(uow_factory) == 1
    await sarah.tap("Yes, keep going")  # the question's buttons answer politely
    assert sarah.answers()[-1] == "Already stopped"


async def test_on_vacation_no_question_but_the_timer_still_stops(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    await set_paused_until(uow_factory, date(2026, 12, 5))
    reminders = job(app, "reminders")
    clock.advance(hours=2, minutes=1)
    mark = api.mark()
    await run_job(app, api, reminders)
    assert [c for c in api.calls_since(mark) if c.method == "sendMessage"] == []
    clock.advance(minutes=30)
    await run_job(app, api, reminders)
    assert "I stopped your Guitar timer at 12:00" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 1


async def test_after_a_day_the_guard_stops_at_the_last_time_seen_on_the_start_date(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    await sarah.send("/timer guitar")
    reminders = job(app, "reminders")
    # She answers "keep going" every two hours, long past midnight, for 22 hours.
    for _ in range(11):
        clock.advance(hours=2)
        await run_job(app, api, reminders)
        await sarah.tap("Yes, keep going")
    clock.advance(hours=2)  # a whole day since the start: stopped, even without a question
    await run_job(app, api, reminders)
    assert "I stopped your Guitar timer at 18:00" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert (row.practiced_on, row.duration_minutes) == (date(2026, 11, 25), 22 * 60)


async def test_stop_after_more_than_a_day_saves_24_hours(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(hours=30)  # no sweep ran meanwhile (the bot was down)
    await sarah.tap("⏹ Stop")
    [row] = await logs(uow_factory)
    assert (row.practiced_on, row.duration_minutes) == (date(2026, 11, 25), 1440)


async def test_stop_past_midnight_is_capped_by_the_start_dates_room(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log guitar 23h long practice day here")
    clock.set(datetime(2026, 11, 25, 23, 0, tzinfo=UTC))
    await sarah.send("/timer guitar")
    clock.advance(hours=2)
    await sarah.tap("⏹ Stop")
    card = sarah.texts()[-2]
    assert "The timer measured 2 h" in card
    assert "so I saved 1 h" in card
    rows = await logs(uow_factory)
    assert [(r.practiced_on, r.duration_minutes) for r in rows] == [
        (date(2026, 11, 25), 1380),
        (date(2026, 11, 25), 60),
    ]


async def test_two_instances_pressing_stop_at_once_save_one_session(
    app: BotApp,
    sarah: ChatUser,
    api: FakeBotApi,
    settings: Any,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    live = sarah.last_message()
    clock.advance(minutes=30)
    async with another_app(settings, api, clock) as other:
        twin = ChatUser(other, api, user_id=SARAH)
        await asyncio.gather(sarah.tap("⏹ Stop", message=live), twin.tap("⏹ Stop", message=live))
    assert await count_logs(uow_factory) == 1
    answers = sorted(sarah.answers() + twin.answers())
    assert answers == ["Already stopped", "Saved"]
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(Timer))) == []


async def test_stop_on_a_full_start_date_saves_nothing_and_says_so(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log guitar 24h a very long practice day")
    await sarah.send("/timer guitar")
    clock.advance(minutes=20)
    await sarah.tap("⏹ Stop")
    assert "today (the day it started) already has 24 h logged" in sarah.last_text()
    assert "nothing was saved" in sarah.last_text()
    assert [r.duration_minutes for r in await logs(uow_factory)] == [1440]
    async with uow_factory() as uow:
        assert list(await uow.session.scalars(select(Timer))) == []
