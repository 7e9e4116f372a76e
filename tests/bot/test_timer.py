"""/timer: start (each entry point), the live message, pause/resume, stop and save, switch,
discard, restart, midnight, the reflection's next focus — through the real Application."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.core.runtime import BotApp
from storage.models import Evidence, Skill, Timer
from tests.chat import ChatUser, flat, run_job
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import another_app
from tests.seed import count_logs, logs, seed_log, seed_skills
from tests.support import TODAY, FakeClock, UnitOfWorkFactory


async def timers(uow_factory: UnitOfWorkFactory) -> list[Timer]:
    """Every running timer, detached."""
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(Timer).order_by(Timer.id)))
        uow.session.expunge_all()
        return rows


async def next_focus(uow_factory: UnitOfWorkFactory, skill_id: int) -> str | None:
    """The skill's stored next focus."""
    async with uow_factory() as uow:
        return await uow.session.scalar(select(Skill.next_focus).where(Skill.id == skill_id))


async def test_timer_picker_starts_the_most_practised_skill_first_and_stop_saves(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    skills = await seed_skills(uow_factory, "Guitar", "Piano", "Chess")
    await seed_log(uow_factory, skills["Piano"], 90, TODAY - timedelta(days=2))
    await seed_log(uow_factory, skills["Guitar"], 20, TODAY - timedelta(days=1))
    await sarah.send("/timer")
    assert "Start a timer" in sarah.last_text()
    assert sarah.buttons() == [["Piano", "Guitar"], ["Chess"], ["✖ Close"]]
    await sarah.tap("Guitar")
    assert sarah.answers()[-1] == "Timer started"
    assert sarah.last_text().startswith("⏱ Guitar · 0 min")
    assert sarah.buttons() == [["⏸ Pause", "⏹ Stop"], ["✖ Discard"]]
    clock.advance(minutes=23, seconds=20)
    await sarah.tap("⏹ Stop")
    text = sarah.texts()[-2]
    assert "⏹ Saved: Guitar — 23 min, today" in text
    assert "Quick practice: 23 min of Guitar" in text
    assert "What's next for Guitar?" in sarah.last_text()
    rows = await logs(uow_factory)
    assert [(r.skill_id, r.practiced_on, r.duration_minutes, r.source) for r in rows[2:]] == [
        (skills["Guitar"], TODAY, 23, "timer")
    ]
    assert await timers(uow_factory) == []


async def test_timer_with_skill_and_intention_pause_resume_arithmetic(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar", "Go")
    await sarah.send("/timer guitar scales at 90 bpm")
    live = sarah.last_message()
    assert sarah.last_text().startswith("⏱ Guitar · 0 min · scales at 90 bpm")
    clock.advance(minutes=10)
    await sarah.tap("⏸ Pause", message=live)
    assert "⏱ Guitar · 10 min · scales at 90 bpm" in sarah.last_text()
    assert "Paused" in sarah.last_text()
    assert sarah.buttons() == [["▶️ Resume", "⏹ Stop"], ["✖ Discard"]]
    clock.advance(minutes=30)  # paused: does not count
    await sarah.tap("▶️ Resume", message=live)
    assert "⏱ Guitar · 10 min" in sarah.last_text()
    clock.advance(minutes=5, seconds=29)
    await sarah.tap("⏸ Pause", message=live)
    clock.advance(minutes=3)
    await sarah.tap("▶️ Resume", message=live)
    clock.advance(seconds=2)  # 15 min 31 s practised in all: rounds to 16
    await sarah.tap("⏹ Stop", message=live)
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 16
    assert row.description == "scales at 90 bpm"
    # A second Stop on the same message (a double tap) saves nothing more.
    await sarah.tap_data(f"tm:st:{row.id}", message_id=live["message_id"])
    assert await count_logs(uow_factory) == 1


async def test_short_intention_still_describes_and_a_second_is_at_least_a_minute(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer Guitar scales")
    clock.advance(seconds=5)
    await sarah.tap("⏹ Stop")
    [row] = await logs(uow_factory)
    assert (row.duration_minutes, row.description) == (1, "Timer: scales")


async def test_unknown_and_ambiguous_skills_get_a_picker(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar", "Go", "Piano")
    await sarah.send("/timer violin vibrato")
    assert "I don't know a skill called “violin”" in sarah.last_text()
    assert "Guitar" in flat(sarah.buttons())
    await sarah.send("/timer g arpeggios")
    assert "Several skills start with “g”" in sarah.last_text()
    assert sorted(flat(sarah.buttons())) == ["Go", "Guitar", "✖ Close"]
    assert await timers(uow_factory) == []


async def test_stop_date_is_the_start_date_in_the_users_zone(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await seed_skills(uow_factory, "Chess", user_id=2002)
    await sarah.send("/timezone UTC+13")  # 12:00 UTC is 01:00 on Nov 26 there
    await mallory.send("/timezone UTC-10")  # and 02:00 on Nov 25
    clock.set(datetime(2026, 11, 25, 10, 30, tzinfo=UTC))  # 23:30 Nov 25 / 00:30 Nov 25
    await sarah.send("/timer guitar")
    await mallory.send("/timer chess")
    clock.advance(minutes=45)  # Sarah is now past midnight: Nov 26 there
    await sarah.tap("⏹ Stop")
    await mallory.tap("⏹ Stop")
    [saved] = await logs(uow_factory)
    assert (saved.practiced_on, saved.duration_minutes) == (date(2026, 11, 25), 45)
    assert "⏹ Saved: Guitar — 45 min, yesterday" in sarah.texts()[-2]
    [theirs] = await logs(uow_factory, 2002)
    assert (theirs.practiced_on, theirs.duration_minutes) == (date(2026, 11, 25), 45)
    assert "⏹ Saved: Chess — 45 min, today" in mallory.texts()[-2]


async def test_the_card_offers_the_timer_again_and_evidence(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(minutes=30)
    await sarah.tap("⏹ Stop")
    card = sarah.api.bot_messages(sarah.user_id)[-2]
    assert sarah.buttons(card) == [
        ["📎 Add evidence", "➕ Log another"],
        ["✏️ Edit", "🗑 Delete"],
        ["▶️ Start timer"],
    ]
    await sarah.tap("Skip")
    assert "Skipped" in sarah.last_text()
    await sarah.tap("▶️ Start timer", message=card)
    assert sarah.last_text().startswith("⏱ Guitar · 0 min")
    assert len(await timers(uow_factory)) == 1


async def test_quick_and_a_running_timer_shown_again_with_old_buttons_working(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/quick")
    await sarah.tap("▶️ Start timer")
    await sarah.tap("Guitar")
    first = sarah.last_message()
    clock.advance(minutes=7)
    await sarah.send("/timer")
    second = sarah.last_message()
    assert second["message_id"] != first["message_id"]
    assert sarah.last_text().startswith("⏱ Guitar · 7 min")
    [timer] = await timers(uow_factory)
    assert timer.message_id == second["message_id"]
    clock.advance(minutes=1)
    await sarah.tap("⏸ Pause", message=first)  # the old message's buttons still work
    assert "⏱ Guitar · 8 min" in sarah.api.find_message(sarah.user_id, first["message_id"])["text"]
    await sarah.tap("⏹ Stop", message=second)
    await sarah.tap("▶️ Resume", message=first)  # stopped meanwhile: a polite answer
    assert sarah.answers()[-1] == "Already stopped"
    assert await count_logs(uow_factory) == 1


async def test_one_timer_per_user_switch_or_stop(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    skills = await seed_skills(uow_factory, "Guitar", "Piano")
    await sarah.send("/timer guitar")
    clock.advance(minutes=20)
    await sarah.send("/timer piano sight reading")
    assert "Your Guitar timer is running (20 min)" in sarah.last_text()
    assert sarah.buttons() == [["⏹ Stop Guitar"], ["🔀 Save it, start Piano"], ["✖ Cancel"]]
    await sarah.tap("✖ Cancel")
    [timer] = await timers(uow_factory)
    assert timer.skill_id == skills["Guitar"]
    await sarah.send("/timer piano sight reading")
    await sarah.tap("🔀 Save it, start Piano")
    assert sarah.last_text().startswith("⏱ Piano · 0 min · sight reading")
    [timer] = await timers(uow_factory)
    assert (timer.skill_id, timer.intention) == (skills["Piano"], "sight reading")
    [row] = await logs(uow_factory)
    assert (row.skill_id, row.duration_minutes) == (skills["Guitar"], 20)
    clock.advance(minutes=5)
    await sarah.send("/timer guitar")
    await sarah.tap("⏹ Stop Piano")
    assert await timers(uow_factory) == []
    assert [r.duration_minutes for r in await logs(uow_factory)] == [20, 5]


async def test_discard_asks_then_saves_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(minutes=12)
    await sarah.tap("✖ Discard")
    assert "Discard the Guitar timer (12 min)? Nothing will be saved." in sarah.last_text()
    assert sarah.texts()[-2].startswith("⏱ Guitar")  # the live message is left as it was
    await sarah.tap("« Back")
    assert sarah.last_text().startswith("⏱ Guitar · 12 min")
    await sarah.tap("✖ Discard")
    await sarah.tap("✖ Yes, discard")
    assert "Discarded the Guitar timer" in sarah.last_text()
    assert await timers(uow_factory) == []
    assert await count_logs(uow_factory) == 0


async def test_anothers_timer_buttons_are_refused(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await seed_skills(uow_factory, "Chess", user_id=2002)
    await sarah.send("/timer guitar")
    [timer] = await timers(uow_factory)
    await mallory.send("/timer")  # her picker: the forged data is pressed on it
    for data in (f"tm:st:{timer.id}", f"tm:dy:{timer.id}", f"tm:pa:{timer.id}"):
        await mallory.tap_data(data)
    assert mallory.answers() == ["Already stopped"] * 3
    await mallory.tap_data("tm:st:abc")
    assert mallory.answers()[-1] == "This button has expired. Nothing was changed."
    assert len(await timers(uow_factory)) == 1
    assert await count_logs(uow_factory) == 0


async def test_next_focus_is_kept_and_shown_when_the_next_timer_starts(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    skills = await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(minutes=30)
    await sarah.tap("⏹ Stop")
    await sarah.send("left-hand legato at 100 bpm")
    assert "Noted for Guitar: left-hand legato at 100 bpm" in sarah.last_text()
    assert await next_focus(uow_factory, skills["Guitar"]) == "left-hand legato at 100 bpm"
    await sarah.send("/timer guitar")
    assert "Last time you said next: left-hand legato at 100 bpm" in sarah.last_text()


async def test_evidence_sent_during_a_timer_joins_the_session(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    live = sarah.last_message()
    clock.advance(minutes=5)
    await sarah.send("https://example.com/tab")
    assert "Guitar timer" in sarah.last_text()
    await sarah.send_photo()
    clock.advance(minutes=5)
    await sarah.tap("⏹ Stop", message=live)
    [row] = await logs(uow_factory)
    async with uow_factory() as uow:
        attached = list(await uow.session.scalars(select(Evidence.practice_log_id)))
    assert attached == [row.id, row.id]
    card = sarah.api.find_message(sarah.user_id, live["message_id"])
    assert card is not None
    assert "📎 2 pieces of evidence sent during the timer are attached." in card["text"]


async def test_a_restarted_bot_continues_the_timer(
    sarah: ChatUser,
    api: FakeBotApi,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timer guitar")
    clock.advance(minutes=10)
    await sarah.tap("⏸ Pause")
    clock.advance(minutes=10)
    async with another_app(settings, api, clock) as restarted:
        again = ChatUser(restarted, api, user_id=sarah.user_id)
        await again.tap("▶️ Resume")
        assert again.last_text().startswith("⏱ Guitar · 10 min")
        clock.advance(minutes=4)
        await again.tap("⏹ Stop")
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 14


async def test_two_instances_starting_at_once_run_one_timer(
    sarah: ChatUser,
    api: FakeBotApi,
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed_skills(uow_factory, "Guitar", "Piano")
    await sarah.send("/start")
    async with another_app(settings, api, FakeClock()) as other:
        twin = ChatUser(other, api, user_id=sarah.user_id)
        await asyncio.gather(sarah.send("/timer guitar"), twin.send("/timer piano"))
    assert len(await timers(uow_factory)) == 1
    texts = sarah.texts()[-2:]
    assert sum(t.startswith("⏱ ") for t in texts) == 1
    assert sum("timer is running" in t for t in texts) == 1


async def test_next_focus_shows_in_log_progress_and_the_weekly_summary(
    app: BotApp, sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar", "Piano")
    await sarah.send("/timer guitar")
    clock.advance(minutes=30)
    await sarah.tap("⏹ Stop")
    await sarah.send("x" * 201)
    assert "keep your next focus to 200 at most" in sarah.last_text()
    await sarah.send("barre chords, clean changes")
    await sarah.send("/log")
    await sarah.tap("Guitar")
    assert "Last time you said next: barre chords, clean changes" in sarah.last_text()
    await sarah.send("/cancel")
    await sarah.send("/log")
    await sarah.tap("Piano")
    assert "Last time you said next" not in sarah.last_text()
    await sarah.send("/cancel")
    await sarah.send("/progress guitar")
    assert "Last time you said next: barre chords, clean changes" in sarah.texts()[-2]
    clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))  # Sunday 18:00: the weekly summary
    assert app.job_queue is not None
    reminders = next(j for j in app.job_queue.jobs() if j.name == "reminders")
    mark = api.mark()
    await run_job(app, api, reminders)
    summary = [c.text or "" for c in api.calls_since(mark) if c.method == "sendMessage"]
    assert any("Next focus</b>\n• Guitar: <i>barre chords, clean changes</i>" in t for t in summary)
