"""/today: skills ranked by what needs practice now, a reason each, one-tap Quick Log."""

from __future__ import annotations

from datetime import timedelta

from bot.ui import callbacks as cb
from storage.models import PracticeLog
from tests.chat import ChatUser, callback_data
from tests.seed import logs, seed_sessions, seed_skills
from tests.support import SARAH, TODAY, FakeClock, UnitOfWorkFactory

MONDAY = TODAY - timedelta(days=2)  # TODAY is Wednesday 25 Nov 2026, Sarah's zone UTC


async def test_today_ranks_skills_with_a_reason_each_and_logs_in_one_tap(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React", "Chess", "Spanish", "Guitar")
    await seed_sessions(uow_factory, SARAH, [(ids["React"], MONDAY, 30)])
    # Chess every other day for eight weeks, until six days ago.
    chess_days = [TODAY - timedelta(days=n) for n in range(6, 56, 2)]
    await seed_sessions(uow_factory, SARAH, [(ids["Chess"], d, 20) for d in chess_days])
    async with uow_factory() as uow:
        uow.session.add(
            PracticeLog(
                user_id=SARAH,
                skill_id=ids["Spanish"],
                practiced_on=TODAY - timedelta(days=1),
                duration_minutes=25,
                description="Subjunctive drills, still shaky",
                confidence=2,
            )
        )
        await uow.commit()
    await sarah.send("/goals react 4x week")
    await sarah.send("/today")
    text = sarah.last_text()
    assert text.startswith("📋 What to practise today (Wed 25 Nov)")
    assert (
        "1. Chess — 6 days since the last session (usually every 2 days)\n"
        "2. React — behind on its goal: 1 of 4 sessions, 5 days left\n"
        "3. Spanish — recent confidence 2.0/5: worth another go\n"
    ) in text
    assert "Guitar" not in text  # nothing to say about it: it is only a button
    assert sarah.buttons() == [
        ["Chess 15m", "Chess 30m", "Chess 60m", "▶️ Start timer"],
        ["React 15m", "React 30m", "React 60m", "▶️ Start timer"],
        ["Spanish 15m", "Spanish 30m", "Spanish 60m", "▶️ Start timer"],
        ["Guitar 15m", "Guitar 30m", "Guitar 60m", "▶️ Start timer"],
        ["✖ Close"],
    ]
    assert all(len(d.encode()) <= 64 for d in callback_data(sarah.last_message()))
    await sarah.tap("React 30m")
    assert sarah.answers()[-1] == "Saved"
    card = sarah.last_text()
    assert "⚡ Logged: React — 30 min, today" in card
    assert "🎯 React: 2 of 4 sessions this week" in card
    saved = [r for r in await logs(uow_factory) if r.practiced_on == TODAY]
    assert [(r.skill_id, r.duration_minutes, r.source) for r in saved] == [
        (ids["React"], 30, "quick")
    ]


async def test_today_when_nothing_is_behind_and_without_skills(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/today")
    assert "You have no skills yet." in sarah.last_text()
    ids = await seed_skills(uow_factory, "React")
    await seed_sessions(uow_factory, SARAH, [(ids["React"], TODAY, 30)])
    await sarah.send("/goals react 1x week")
    await sarah.send("/today")
    assert "Nothing is behind: every goal is on track." in sarah.last_text()
    assert sarah.buttons()[0] == ["React 15m", "React 30m", "React 60m", "▶️ Start timer"]


async def test_today_gives_the_saved_next_focus_and_starts_that_skills_timer(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    ids = await seed_skills(uow_factory, "Guitar", "Chess")
    await seed_sessions(uow_factory, SARAH, [(ids["Chess"], MONDAY, 90)])
    await sarah.send("/timer guitar")
    clock.advance(minutes=20)
    await sarah.tap("⏹ Stop")
    await sarah.send("left-hand legato at 100 bpm")  # What's next for Guitar?
    clock.advance(days=1)
    await sarah.send("/today")
    text = sarah.last_text()
    assert "1. Guitar — Next: left-hand legato at 100 bpm" in text
    assert "Chess" not in text  # more practised, but nothing to say about it
    assert sarah.buttons() == [
        ["Guitar 15m", "Guitar 30m", "Guitar 60m", "▶️ Start timer"],
        ["Chess 15m", "Chess 30m", "Chess 60m", "▶️ Start timer"],
        ["✖ Close"],
    ]
    plan = sarah.last_message()
    timer_buttons = [d for d in callback_data(plan) if d.startswith("tm:")]
    assert timer_buttons == [
        cb.TimerAgain(ids["Guitar"]).encode(),
        cb.TimerAgain(ids["Chess"]).encode(),
    ]
    await sarah.tap_data(timer_buttons[0], message_id=plan["message_id"])
    live = sarah.last_text()
    assert live.startswith("⏱ Guitar · 0 min")
    assert "Last time you said next: left-hand legato at 100 bpm" in live
    assert sarah.api.find_message(SARAH, plan["message_id"]) is not None  # /today stays
    # Another skill's button while this timer runs asks to stop or switch, like everywhere.
    await sarah.tap_data(timer_buttons[1], message_id=plan["message_id"])
    assert "Your Guitar timer is running (0 min). One timer at a time" in sarah.last_text()
