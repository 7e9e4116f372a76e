"""/reminders: every setting changed the way a user would, with bad input refused."""

from __future__ import annotations

from datetime import date

from bot.ui.texts import NOT_FOUND, STALE_BUTTON
from tests.chat import ChatUser
from tests.reminders.helpers import add_sessions, skill_id, user_row
from tests.support import UnitOfWorkFactory


def _flat(rows: list[list[str]]) -> list[str]:
    return [label for row in rows for label in row]


async def test_overview_shows_defaults_and_every_screen_has_back_and_close(
    sarah: ChatUser,
) -> None:
    await sarah.send("/reminders")
    text = sarah.last_text()
    assert "Inactivity nudge: on after 2 days without practice, at 18:00" in text
    assert "Streak reminder: on at 20:00" in text
    assert "Weekly summary: on Sundays at 18:00" in text
    assert "Weekly goal: none" in text
    for screen, title in [
        ("👋 Inactivity nudge", "Inactivity nudge"),
        ("🔥 Streak reminder", "Streak reminder"),
        ("📊 Weekly summary", "Weekly summary"),
        ("🎯 Weekly goal", "Weekly goal"),
        ("⏸ Pause (vacation)", "Pause"),
    ]:
        await sarah.tap(screen)
        assert title in sarah.last_text()
        assert {"« Back", "✖ Close"} <= set(_flat(sarah.buttons()))
        await sarah.tap("« Back")
        assert "⏰ Reminders" in sarah.last_text()
    await sarah.tap("✖ Close")
    assert "Reminder settings saved" in sarah.last_text()
    assert sarah.buttons() == []
    assert sarah.unanswered() == []


async def test_inactivity_days_time_and_switch(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/reminders")
    await sarah.tap("👋 Inactivity nudge")
    await sarah.tap("3 days")
    assert "Saved" in sarah.answers()[-1]
    assert "✓ 3 days" in _flat(sarah.buttons())
    await sarah.tap("20:00")
    await sarah.tap("🕒 Other time…")
    assert "At what time should the inactivity nudge come" in sarah.last_text()
    await sarah.send("25:00")
    assert "A time runs from 00:00 to 23:59" in sarah.last_text()
    await sarah.send("half past six")
    assert "couldn't read" in sarah.last_text()
    user = await user_row(uow_factory, 1001)
    assert (user.inactivity_days, user.inactivity_minute) == (3, 20 * 60)
    await sarah.send("7:30 pm")
    assert "✅ Saved" in sarah.last_text()
    assert "19:30" in sarah.last_text()
    await sarah.tap("🔕 Turn off")
    user = await user_row(uow_factory, 1001)
    assert (user.inactivity_days, user.inactivity_minute, user.inactivity_enabled) == (
        3,
        19 * 60 + 30,
        False,
    )
    await sarah.tap("🔔 Turn on")
    assert (await user_row(uow_factory, 1001)).inactivity_enabled


async def test_typed_time_back_returns_without_changes(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/reminders")
    await sarah.tap("🔥 Streak reminder")
    await sarah.tap("🕒 Other time…")
    await sarah.tap("« Back")
    assert "Streak reminder" in sarah.last_text()
    await sarah.tap("21:00")
    assert (await user_row(uow_factory, 1001)).streak_minute == 21 * 60
    await sarah.tap("🕒 Other time…")
    await sarah.send("/cancel")
    assert "Cancelled the reminder settings" in sarah.last_text()
    assert (await user_row(uow_factory, 1001)).streak_minute == 21 * 60


async def test_weekly_day_time_and_goals(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    await sarah.send("/reminders")  # registers Sarah
    await add_sessions(uow_factory, 1001, [date(2026, 11, 20)], skill="Guitar")
    await sarah.tap("📊 Weekly summary")
    await sarah.tap("Wed")
    await sarah.tap("🕒 Other time…")
    await sarah.send("9am")
    user = await user_row(uow_factory, 1001)
    assert (user.weekly_weekday, user.weekly_minute) == (2, 9 * 60)
    assert "Every Wednesday at 09:00" in sarah.last_text()

    await sarah.send("/reminders")
    await sarah.tap("🎯 Weekly goal")
    await sarah.tap("2 h 30 min")
    assert (await user_row(uow_factory, 1001)).weekly_goal_minutes == 150
    await sarah.tap("✏️ Other amount…")
    await sarah.send("200 hours")
    assert "at most 10080 minutes" in sarah.last_text()
    await sarah.send("3h 15m")
    assert (await user_row(uow_factory, 1001)).weekly_goal_minutes == 195
    await sarah.tap("Guitar: —")
    await sarah.tap("1 h")
    await sarah.tap("✏️ Other amount…")
    await sarah.send("lots")
    assert "couldn't read" in sarah.last_text()
    await sarah.send("90")
    assert "Guitar" in sarah.last_text()
    async with uow_factory() as uow:
        skill = await uow.skills.get(1001, await skill_id(uow_factory, 1001, "Guitar"))
        assert skill is not None and skill.weekly_goal_minutes == 90
    await sarah.tap("« Back")
    await sarah.tap("Off")
    assert (await user_row(uow_factory, 1001)).weekly_goal_minutes is None
    await sarah.send("/reminders")
    assert "Weekly goal: none (+ 1 skill goal)" in sarah.last_text()


async def test_pause_for_a_week_then_resume(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/reminders")
    await sarah.tap("⏸ Pause (vacation)")
    await sarah.tap("1 week")
    assert (await user_row(uow_factory, 1001)).paused_until == date(2026, 12, 1)
    assert "Paused through Tue 1 Dec" in sarah.last_text()
    await sarah.tap("« Back")
    assert "Paused through Tue 1 Dec" in sarah.last_text()
    await sarah.tap("▶️ Resume reminders")
    assert (await user_row(uow_factory, 1001)).paused_until is None
    await sarah.tap("⏸ Pause (vacation)")
    await sarah.tap("📅 Until a date…")
    await sarah.send("2026-01-05")
    assert "That date has passed" in sarah.last_text()
    await sarah.send("2028-01-05")
    assert "at most a year" in sarah.last_text()
    await sarah.send("24.12")
    assert (await user_row(uow_factory, 1001)).paused_until == date(2026, 12, 24)


async def test_forged_settings_buttons_change_nothing(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await mallory.send("/reminders")
    theirs = await add_sessions(uow_factory, 2002, [date(2026, 11, 20)], skill="Lockpicking")
    await sarah.send("/reminders")
    await sarah.tap_data("rm:set:id:4")
    await sarah.tap_data("rm:set:im:1440")
    await sarah.tap_data("rm:set:ww:x")
    await sarah.tap_data("rm:nope")
    assert sarah.answers() == [STALE_BUTTON] * 4
    await sarah.tap_data(f"rm:set:sg:{theirs}:60")
    await sarah.tap_data(f"rm:gk:{theirs}")
    assert sarah.answers()[-2:] == [NOT_FOUND, NOT_FOUND]
    async with uow_factory() as uow:
        skill = await uow.skills.get(2002, theirs)
        assert skill is not None and skill.weekly_goal_minutes is None
    user = await user_row(uow_factory, 1001)
    assert (user.inactivity_days, user.inactivity_minute, user.weekly_weekday) == (2, 1080, 6)


async def test_set_up_offers_the_reminder_defaults(sarah: ChatUser) -> None:
    await sarah.send("/start")
    await sarah.tap("Berlin")
    await sarah.send("Guitar")
    assert "weekly summary on Sundays at 18:00" in sarah.last_text()
    await sarah.tap("⏰ Reminder settings")
    assert "⏰ Reminders" in sarah.last_text()
    assert "Europe/Berlin" in sarah.last_text()
