"""/streak: current and longest runs in the user's own calendar days, and when a streak ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.chat import ChatUser
from tests.seed import add_skills, seed_sessions
from tests.support import FakeClock, UnitOfWorkFactory

TODAY = date(2026, 11, 25)  # Wednesday; the test clock's date in UTC


def _days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


async def test_current_and_longest_overall_and_per_skill(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Guitar", "Spanish")
    guitar, spanish = ids["Guitar"], ids["Spanish"]
    sessions = [(guitar, d, 30) for d in _days_ago(0, 1, 2, 10, 11, 12, 13, 14, 15, 30)]
    sessions += [(spanish, d, 20) for d in _days_ago(2, 3, 4, 5)]
    sessions.append((spanish, TODAY, 10))  # a second session today counts once
    await seed_sessions(uow_factory, 1001, sessions)
    await sarah.send("/streak")
    text = sarah.last_text()
    assert text.startswith("🔥 Your practice streak\n")
    # Guitar's 0-2 and Spanish's 2-5 days ago join into one run of six days overall.
    assert "Current: 6 days (Fri 20 Nov – today)" in text
    assert "Longest: 6 days (Fri 20 Nov – today)" in text
    assert "This week: Mon ✅  Tue ✅  Wed ✅  Thu ·  Fri ·  Sat ·  Sun ·" in text
    assert "3 of 3 days so far." in text
    assert (
        "✅ Today is done. Keep it going: log tomorrow (Thu 26 Nov) before 23:59 (UTC time)."
        in text
    )
    assert "• Guitar — 🔥 3 days now; longest 6 days (Tue 10 Nov – Sun 15 Nov)" in text
    assert "• Spanish — 🔥 1 day now; longest 4 days (Fri 20 Nov – Mon 23 Nov)" in text


async def test_a_one_day_streak(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    await seed_sessions(uow_factory, 1001, [(ids["Piano"], TODAY, 15)])
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 1 day (today)\nLongest: 1 day (today)" in text
    assert "This week: Mon ⬜  Tue ⬜  Wed ✅" in text
    assert "1 of 3 days so far." in text
    assert "Per skill" not in text


async def test_a_gap_ends_the_streak_but_keeps_the_record(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    await seed_sessions(uow_factory, 1001, [(ids["Piano"], d, 15) for d in _days_ago(2, 3, 4)])
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 0 days\nLongest: 3 days (Sat 21 Nov – Mon 23 Nov)" in text
    assert "No streak running. Log a session today to start one!" in text


async def test_a_streak_alive_through_yesterday_must_be_kept_today(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    await seed_sessions(uow_factory, 1001, [(ids["Piano"], d, 15) for d in _days_ago(1, 2)])
    await sarah.send("/streak")  # 12:00 UTC
    text = sarah.last_text()
    assert "Current: 2 days (Mon 23 Nov – yesterday)" in text
    assert (
        "⚠️ Your 2-day streak ends tonight: log today before 23:59 "
        "(UTC time, 12 h 0 min left) to keep it going."
    ) in text


async def test_tongatapu_utc_plus_13_counts_its_own_calendar_days(
    sarah: ChatUser, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone Pacific/Tongatapu")
    ids = await add_skills(sarah, uow_factory, "Guitar")
    guitar = ids["Guitar"]
    await seed_sessions(uow_factory, 1001, [(guitar, d, 30) for d in _days_ago(0, 1, 2)])
    # 10:30 UTC on the 25th is 23:30 on the 25th in Tonga: the session of "today" counts.
    clock.set(datetime(2026, 11, 25, 10, 30, tzinfo=UTC))
    await sarah.send("/streak")
    assert "Current: 3 days (Mon 23 Nov – today)" in sarah.last_text()
    assert "log tomorrow (Thu 26 Nov) before 23:59 (Pacific/Tongatapu time)" in sarah.last_text()
    # An hour later it is 00:30 on the 26th in Tonga, still the 25th in UTC.
    clock.advance(hours=1)
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 3 days (Mon 23 Nov – yesterday)" in text
    assert "log today before 23:59 (Pacific/Tongatapu time, 23 h 30 min left)" in text
    # A session dated the 26th (Tonga's today, UTC's tomorrow) keeps it alive.
    await seed_sessions(uow_factory, 1001, [(guitar, date(2026, 11, 26), 20)])
    await sarah.send("/streak")
    assert "Current: 4 days (Mon 23 Nov – today)" in sarah.last_text()
    assert "Mon ✅  Tue ✅  Wed ✅  Thu ✅  Fri ·" in sarah.last_text()
    # Midnight of the 27th passes without practice; at 00:30 on the 28th the streak is over.
    clock.set(datetime(2026, 11, 27, 11, 30, tzinfo=UTC))
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 0 days\nLongest: 4 days (Mon 23 Nov – Thu 26 Nov)" in text
    assert "No streak running" in text


async def test_honolulu_utc_minus_10_late_evening(
    sarah: ChatUser, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone Pacific/Honolulu")
    ids = await add_skills(sarah, uow_factory, "Spanish")
    spanish = ids["Spanish"]
    await seed_sessions(uow_factory, 1001, [(spanish, d, 30) for d in _days_ago(1, 2)])
    # 09:30 UTC on the 26th is 23:30 on the 25th in Honolulu: half an hour left to log.
    clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 2 days (Mon 23 Nov – yesterday)" in text
    # Hawaii's calendars, like the rest of the US, start the week on Sunday.
    assert "This week: Sun ⬜  Mon ✅  Tue ✅  Wed ⬜  Thu ·" in text
    assert (
        "⚠️ Your 2-day streak ends tonight: log today before 23:59 "
        "(Pacific/Honolulu time, 30 min left) to keep it going."
    ) in text
    # Logged at 23:30 local: the session is dated the 25th, and the streak is safe.
    await seed_sessions(uow_factory, 1001, [(spanish, TODAY, 15)])
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 3 days (Mon 23 Nov – today)" in text
    assert "log tomorrow (Thu 26 Nov) before 23:59 (Pacific/Honolulu time)" in text


async def test_without_sessions_streak_explains_how_to_start(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(mallory, uow_factory, "Chess")
    await seed_sessions(uow_factory, 2002, [(ids["Chess"], TODAY, 30)])
    await sarah.send("/streak")
    assert "You haven't logged any practice yet" in sarah.last_text()
    await mallory.send("/streak")
    assert "Current: 1 day (today)" in mallory.last_text()


async def test_a_freeze_earned_by_seven_days_covers_a_missed_day_and_says_so(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    # Sun 15 – Mon 23 Nov practised (9 days: one freeze earned), yesterday missed.
    await seed_sessions(
        uow_factory, 1001, [(ids["Piano"], d, 20) for d in _days_ago(*range(2, 11))]
    )
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 10 days, 1 frozen (Sun 15 Nov – yesterday)" in text
    assert "Longest without a miss: 9 days (Sun 15 Nov – Mon 23 Nov)" in text
    assert "⚠️ Your 10-day streak is frozen through yesterday: log today before 23:59" in text
    assert "❄️ A streak freeze covered yesterday, so the streak lives on." in text
    assert "❄️ Freezes banked: 0 of 2" in text
    # Practising today keeps it going; the frozen day stays counted, nothing is rewritten.
    await seed_sessions(uow_factory, 1001, [(ids["Piano"], TODAY, 20)])
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 11 days, 1 frozen (Sun 15 Nov – today)" in text
    assert "✅ Today is done." in text


async def test_two_missed_days_without_freezes_end_the_streak(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    await seed_sessions(
        uow_factory, 1001, [(ids["Piano"], d, 20) for d in _days_ago(*range(3, 12))]
    )
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "Current: 0 days" in text
    assert "frozen" not in text
    assert "No streak running." in text


async def test_weekly_goal_streak_and_habit_strength(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "React", "Chess")
    react = ids["React"]
    # Two sessions in each of the three weeks before this one (Mon-start weeks), one this week.
    days = _days_ago(3, 5, 10, 12, 17, 19, 0)
    await seed_sessions(uow_factory, 1001, [(react, d, 30) for d in days])
    await seed_sessions(uow_factory, 1001, [(ids["Chess"], TODAY - timedelta(days=40), 30)])
    await sarah.send("/goals react 2x week")
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "🎯 React: goal met 3 weeks in a row (this week still to do)" in text
    await sarah.send("/goals chess 3 days a week")
    await sarah.send("/streak")
    text = sarah.last_text()
    assert "🎯 Chess: no week with the goal met yet — this one can be the first" in text
    assert "💪 Habit strength: React " in text
    habit = text.split("💪 Habit strength: ")[1].split("\n")[0]
    react_score, chess_score = (int(p.split()[-1].rstrip("%")) for p in habit.split(" · "))
    assert react_score > chess_score
    await seed_sessions(uow_factory, 1001, [(react, TODAY, 15)])
    await sarah.send("/streak")
    assert "🎯 React: goal met 4 weeks in a row" in sarah.last_text()


async def test_the_card_counts_the_frozen_streak_too(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    await seed_sessions(
        uow_factory, 1001, [(ids["Piano"], d, 20) for d in _days_ago(*range(2, 11))]
    )
    await sarah.send("/quick")
    await sarah.tap("Piano 15m")
    assert "🔥 Day 11 in a row (1 frozen)" in sarah.last_text()
