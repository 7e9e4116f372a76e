"""The weekly summary: weeks compared, per skill, streak, goals, progress, evidence, chart."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.runtime import BotApp
from bot.jobs.reminders import sweep
from bot.jobs.sender import Sender
from storage.models import Evidence
from tests.fakebot import FakeBotApi, UploadedFile
from tests.reminders.helpers import add_sessions, add_user, chats, deps_of, ledger, texts_to
from tests.support import FakeClock, UnitOfWorkFactory

SUNDAY_EVENING = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
NO_NUDGES = {"inactivity_enabled": False, "streak_enabled": False}


async def _evidence(uow_factory: UnitOfWorkFactory, skill_id: int, kind: str, day: int) -> None:
    async with uow_factory() as uow:
        uow.session.add(
            Evidence(
                user_id=1,
                skill_id=skill_id,
                kind=kind,
                url="https://example.com/x" if kind == "link" else None,
                note="Learned barre chords" if kind == "note" else None,
                created_at=datetime(2026, 11, day, 10, 0, tzinfo=UTC),
            )
        )
        await uow.commit()


async def test_summary_compares_weeks_and_shows_goals_progress_evidence_and_chart(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1, weekly_goal_minutes=240, weekly_goal_days=6, **NO_NUDGES)
    guitar = await add_sessions(uow_factory, 1, [date(2026, 11, 17)], skill="Guitar")
    for day, minutes in ((24, 30), (25, 45), (28, 60)):
        await add_sessions(uow_factory, 1, [date(2026, 11, day)], skill="Guitar", minutes=minutes)
    await add_sessions(
        uow_factory, 1, [date(2026, 11, 18), date(2026, 11, 19)], skill="Spanish", minutes=40
    )
    await add_sessions(uow_factory, 1, [date(2026, 11, 26)], skill="Spanish", minutes=20)
    await add_sessions(uow_factory, 1, [date(2026, 11, 27)], skill="Spanish", minutes=25)
    await add_sessions(uow_factory, 1, [date(2026, 11, 20)], skill="Piano", minutes=15)
    async with uow_factory() as uow:
        skill = await uow.skills.get(1, guitar)
        assert skill is not None
        skill.weekly_goal_minutes = 120
        await uow.commit()
    await _evidence(uow_factory, guitar, "link", 24)
    await _evidence(uow_factory, guitar, "link", 27)
    await _evidence(uow_factory, guitar, "note", 28)
    await _evidence(uow_factory, guitar, "link", 20)  # last week: not counted

    clock.set(SUNDAY_EVENING.replace(hour=17, minute=59))
    await sweep(deps_of(app), app.bot)
    assert chats(api) == []
    clock.set(SUNDAY_EVENING)
    report = await sweep(deps_of(app), app.bot)
    assert report.count("sent") == 1
    [text] = texts_to(api, 1)
    assert "Your week</b>, Mon 23 Nov – Sun 29 Nov" in text
    assert "3 h in 5 sessions — last week 2 h 5 min in 4 sessions (+44%)" in text
    assert "• Guitar — 2 h 15 min, 3 sessions · 30 min, 1 session" in text
    assert "• Spanish — 45 min, 2 sessions · 1 h 20 min, 2 sessions" in text
    assert "• Piano — 0 min, 0 sessions · 15 min, 1 session" in text
    assert "Streak: 5 days (best 5 days)" in text
    assert "Weekly goal: ▓▓▓▓▓▓▓░░░ 75% — 3 h of 4 h" in text
    assert "🎯 Guitar: ▓▓▓▓▓▓▓▓▓▓ 113% — 2 h 15 min of 2 h" in text
    assert "🎯 All skills: 5 of 6 days" in text
    assert "📈 Progress: Guitar 10% → 28% (Beginner) · Spanish 17% → 27% (Beginner)" in text
    assert "Evidence added: 3 (2 links, 1 note)" in text

    [photo] = api.sent("sendPhoto", 1)
    upload = photo.params["photo"]
    assert isinstance(upload, UploadedFile)
    assert api.file_bytes(upload.file_id).startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.params["caption"] == "Practice per week, last 8 weeks"
    # The chart is the second message to the same chat: at least a second after the text.
    [message] = api.sent("sendMessage", 1)
    assert photo.at_monotonic - message.at_monotonic >= 1.0
    assert await ledger(uow_factory) == [(1, "weekly", "2026-11-29", "sent")]


async def test_no_summary_after_two_weeks_without_practice_or_when_off(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1, **NO_NUDGES)
    await add_sessions(uow_factory, 1, [date(2026, 11, 15)])  # 15 days before the Sunday
    await add_user(uow_factory, 2, weekly_enabled=False, **NO_NUDGES)
    await add_sessions(uow_factory, 2, [date(2026, 11, 28)])
    await add_user(uow_factory, 3, weekly_weekday=5, **NO_NUDGES)  # Saturdays
    await add_sessions(uow_factory, 3, [date(2026, 11, 16)])
    clock.set(datetime(2026, 11, 28, 18, 0, tzinfo=UTC))
    fast = Sender(per_chat_interval=0)  # the one-second gap per chat is tested above
    await sweep(deps_of(app), app.bot, sender=fast)
    clock.set(SUNDAY_EVENING)
    await sweep(deps_of(app), app.bot, sender=fast)
    assert chats(api) == [3]  # Saturday the 28th: practised on the 16th, within 14 days
    # On a Saturday the week that just ended is the previous one, Mon 16 – Sun 22 Nov.
    [text] = texts_to(api, 3)
    assert "Your week</b>, Mon 16 Nov – Sun 22 Nov" in text
    assert "30 min in 1 session — last week 0 min in 0 sessions" in text


async def test_a_sunday_week_region_gets_its_own_week(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    # New York's weeks start on Sunday: on Sunday the 29th, Sun 22 – Sat 28 has just ended.
    await add_user(uow_factory, 1, "America/New_York", **NO_NUDGES)
    await add_sessions(uow_factory, 1, [date(2026, 11, 22), date(2026, 11, 28)], minutes=30)
    await add_sessions(uow_factory, 1, [date(2026, 11, 29)], minutes=50)
    clock.set(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # 18:00 in New York
    await sweep(deps_of(app), app.bot, sender=Sender(per_chat_interval=0))
    [text] = texts_to(api, 1)
    assert "Your week</b>, Sun 22 Nov – Sat 28 Nov" in text
    assert "1 h in 2 sessions" in text
