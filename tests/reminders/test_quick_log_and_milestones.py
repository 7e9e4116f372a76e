"""One tap from a reminder keeps the streak; milestones are celebrated on the card, once each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.core.runtime import BotApp
from bot.jobs.reminders import sweep
from storage.models import PracticeLog
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import add_sessions, chats, deps_of, ledger
from tests.support import FakeClock, UnitOfWorkFactory

TODAY = date(2026, 11, 25)


def _days(first: int, last: int) -> list[date]:
    """Dates `first` to `last` days before TODAY (inclusive), oldest first."""
    return [TODAY - timedelta(days=n) for n in range(first, last - 1, -1)]


async def _sessions(uow_factory: UnitOfWorkFactory, user_id: int) -> list[tuple[date, int, str]]:
    async with uow_factory() as uow:
        rows = await uow.session.execute(
            select(PracticeLog.practiced_on, PracticeLog.duration_minutes, PracticeLog.source)
            .where(PracticeLog.user_id == user_id)
            .order_by(PracticeLog.practiced_on, PracticeLog.id)
        )
        return [tuple(row) for row in rows.all()]


async def test_a_quick_log_tap_on_the_streak_reminder_saves_and_shows_the_new_streak(
    app: BotApp, api: FakeBotApi, clock: FakeClock, sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send("/addskill Piano")
    await add_sessions(uow_factory, 1001, _days(2, 1), skill="Guitar", minutes=20)
    await add_sessions(uow_factory, 1001, _days(10, 10), skill="Piano", minutes=90)
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    await sweep(deps_of(app), app.bot)
    reminder = sarah.last_message()
    assert "Your 2-day streak ends at midnight" in sarah.last_text()
    # Most practised (minutes, last 28 days) first: Piano, then Guitar.
    assert sarah.buttons(reminder)[:2] == [
        ["Piano 15m", "Piano 30m", "Piano 60m"],
        ["Guitar 15m", "Guitar 30m", "Guitar 60m"],
    ]
    await sarah.tap("Guitar 30m", message=reminder)
    assert "Guitar — 30 min, today" in sarah.last_text()
    assert "🔥 Day 3 in a row" in sarah.last_text()
    assert sarah.answers()[-1] == "Saved"
    assert (TODAY, 30, "quick") in await _sessions(uow_factory, 1001)
    # The same press arriving again (a double tap) saves nothing more.
    pressed = reminder["reply_markup"]["inline_keyboard"][1][1]
    assert pressed["text"] == "Guitar 30m"
    await sarah.tap_data(pressed["callback_data"], reminder["message_id"])
    assert len(await _sessions(uow_factory, 1001)) == 4
    before = api.mark()
    clock.advance(minutes=30)
    await sweep(deps_of(app), app.bot)
    assert chats(api, since=before) == []


async def test_the_inactivity_nudge_carries_quick_log_buttons_too(
    app: BotApp, api: FakeBotApi, clock: FakeClock, sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    async with uow_factory() as uow:
        user = await uow.users.get(1001)
        assert user is not None
        user.created_at = datetime(2026, 11, 1, tzinfo=UTC)
        await uow.commit()
    await add_sessions(uow_factory, 1001, _days(2, 2))
    clock.set(datetime(2026, 11, 25, 18, 0, tzinfo=UTC))
    await sweep(deps_of(app), app.bot)
    assert "It's been 2 days since your last practice session" in sarah.last_text()
    assert [b for row in sarah.buttons() for b in row].count("▶️ Start timer") == 1
    await sarah.tap("Guitar 15m")
    assert "Guitar — 15 min, today" in sarah.last_text()


async def test_seven_and_thirty_days_are_celebrated_once(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await add_sessions(uow_factory, 1001, _days(6, 1))  # six days up to yesterday
    await sarah.send("/quick")
    await sarah.tap("Guitar 15m")
    assert "🔥 Day 7 in a row" in sarah.last_text()
    assert "Milestone: a full week in a row!" in sarah.last_text()
    await sarah.tap("↩️ Undo")
    await sarah.send("/quick")
    await sarah.tap("Guitar 30m")
    assert "🔥 Day 7 in a row" in sarah.last_text()
    assert "Milestone" not in sarah.last_text()  # the same streak's 7 days: once
    await sarah.send("/log guitar 20m yesterday evening scales and chords")
    assert "Milestone" not in sarah.last_text()

    await add_sessions(uow_factory, 1001, _days(29, 7), skill="Guitar")  # 30 days to today
    await sarah.send("/log guitar 45m today sight reading practice")
    assert "Milestone" not in sarah.last_text()  # today was already logged: nothing new
    assert ("milestone", "streak_7:2026-11-19") in [
        row[1:3] for row in await ledger(uow_factory, 1001)
    ]


async def test_reaching_thirty_days_and_a_new_record(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await add_sessions(uow_factory, 1001, _days(29, 1))  # 29 days up to yesterday
    await sarah.send("/quick")
    await sarah.tap("Guitar 60m")
    assert "🔥 Day 30 in a row" in sarah.last_text()
    assert "Milestone: 30 days in a row — a whole month!" in sarah.last_text()


async def test_a_new_personal_best_is_celebrated(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await add_sessions(uow_factory, 1001, _days(20, 18))  # an old record of 3 days
    await add_sessions(uow_factory, 1001, _days(3, 1))  # 3 days up to yesterday
    await sarah.send("/log guitar 25m today arpeggios in three keys")
    assert "🔥 Day 4 in a row" in sarah.last_text()
    assert "New personal best: 4 days in a row" in sarah.last_text()
    assert "(your record was 3)" in sarah.last_text()


async def test_reminder_buttons_follow_the_today_ranking(
    app: BotApp, clock: FakeClock, sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send("/addskill Piano")
    await add_sessions(uow_factory, 1001, _days(2, 1), skill="Guitar", minutes=90)
    await add_sessions(uow_factory, 1001, _days(10, 10), skill="Piano", minutes=20)
    # Piano is behind on its weekly goal, so it comes first although Guitar has more minutes.
    await sarah.send("/goals piano 3x week")
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    await sweep(deps_of(app), app.bot)
    reminder = sarah.last_message()
    assert "Your 2-day streak ends at midnight" in sarah.last_text()
    assert sarah.buttons(reminder) == [
        ["Piano 15m", "Piano 30m", "Piano 60m"],
        ["Guitar 15m", "Guitar 30m", "Guitar 60m"],
        ["🔕 No more streak reminders"],
        ["▶️ Start timer"],  # once, not per skill: it opens the picker
        ["⚙️ Reminder settings"],
    ]
    await sarah.tap("▶️ Start timer", message=reminder)
    assert sarah.buttons() == [["Guitar", "Piano"], ["✖ Close"]]  # the timer's picker
