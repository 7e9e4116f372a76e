"""/progress: the spec's examples, why the number is what it is, the picker, and the chart."""

from __future__ import annotations

from datetime import date, timedelta

from tests.bot.insights_helpers import assert_chart, session_count
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.seed import add_skills, seed_sessions
from tests.support import UnitOfWorkFactory

TODAY = date(2026, 11, 25)  # the test clock's date in UTC


def _days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


async def test_spec_example_weekly_practice_is_45_percent_intermediate(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "React")
    # 10 sessions, 15 hours, one session a week (the last one today).
    await seed_sessions(
        uow_factory, 1001, [(ids["React"], _days_ago(7 * w), 90) for w in range(10)]
    )
    calls = await sarah.send("/progress React")
    text = sarah.texts()[-2]
    assert text.startswith("📈 React: 45% · 🌿 Intermediate")
    assert "Trend: → maintaining" in text
    assert "Volume: 15 h practised → +13.3 of 40" in text
    assert "Experience: 10 sessions → +14.6 of 30" in text
    assert "Consistency: practised on 4 of the last 28 days → +17.1 of 30" in text
    assert "Break: last session today → no penalty" in text
    assert "= 45.1%" in text
    assert "Next: Advanced at 70% — 24.9 points to go." in text
    # 4 sessions of 90 min in the last 4 weeks: 1 h 30 min a week on one day.
    assert "(1 h 30 min a week, on 1 day a week) you'd get there in about" in text
    caption = assert_chart(api, calls, 1001, (1000, 600))
    assert caption == "📈 React: progress over the last 12 weeks (now 45%)"
    # Looking changes nothing.
    assert await session_count(uow_factory) == 10


async def test_spec_example_daily_practice_is_85_percent_advanced(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "SQL")
    # 50 sessions, 80 hours, every day for the last 50 days.
    await seed_sessions(uow_factory, 1001, [(ids["SQL"], _days_ago(d), 96) for d in range(50)])
    calls = await sarah.send("/progress sql")
    text = sarah.texts()[-2]
    assert text.startswith("📈 SQL: 85% · 🌳 Advanced")
    assert "Consistency: practised on 28 of the last 28 days → +27.1 of 30" in text
    assert "You're at the top stage" in text
    assert "Next:" not in text
    assert_chart(api, calls, 1001, (1000, 600))


async def test_a_break_costs_points_and_the_trend_declines(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Chess")
    # Practised on days 30..49 ago, nothing since: 20 days past the free week.
    await seed_sessions(
        uow_factory, 1001, [(ids["Chess"], _days_ago(d), 60) for d in range(30, 50)]
    )
    await sarah.send("/progress Chess")
    text = sarah.texts()[-2]
    assert "Trend: ↘ declining (−100% practice time in the last 4 weeks" in text
    # 16.0 + 22.1 + 0 points, minus 23% for 30 days without practice: 29.3%, Beginner.
    assert text.startswith("📈 Chess: 29% · 🌱 Beginner")
    assert "Break: last session 30 days ago → −8.8 (a session today removes it)" in text
    assert "Consistency: practised on 0 of the last 28 days → +0.0 of 30" in text
    assert "You haven't practised in the last 4 weeks, so I can't estimate when" in text


async def test_several_skills_get_a_picker_with_a_way_back(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Guitar", "Spanish")
    await seed_sessions(uow_factory, 1001, [(ids["Spanish"], _days_ago(d), 30) for d in range(3)])
    await sarah.send("/progress")
    picker = sarah.last_message()
    assert "Which skill's progress?" in sarah.last_text()
    assert sarah.buttons() == [["Guitar", "Spanish"], ["✖ Close"]]
    calls = await sarah.tap("Spanish")
    shown = api.find_message(1001, picker["message_id"])
    assert shown is not None
    assert shown["text"].startswith("📈 Spanish: ")
    assert assert_chart(api, calls, 1001, (1000, 600)).startswith("📈 Spanish")
    await sarah.tap("« Back to skills", message=picker["message_id"])
    assert "Which skill's progress?" in sarah.last_text()
    # A skill without sessions explains itself and sends no empty chart.
    calls = await sarah.tap("Guitar")
    assert "Guitar: no sessions yet, so progress is 0% (Beginner)" in sarah.last_text()
    assert not [c for c in calls if c.method == "sendPhoto"]
    await sarah.tap("✖ Close")
    assert "Closed" in sarah.last_text()


async def test_unknown_skill_names_are_refused_specifically(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skills(sarah, uow_factory, "Guitar", "Spanish")
    calls = await sarah.send("/progress nonexistent")
    assert sarah.last_text() == (
        "You have no skill called “nonexistent”. Your skills: Guitar, Spanish.\n"
        "Send /progress to pick one, or /progress name."
    )
    assert not [c for c in calls if c.method == "sendPhoto"]
    # A unique prefix, in any case, is enough.
    await sarah.send("/progress SPAN")
    assert sarah.last_text().startswith("📈 Spanish: no sessions yet")


async def test_users_without_skills_are_told_what_to_do(sarah: ChatUser) -> None:
    await sarah.send("/progress")
    assert "You have no skills yet. Add one with /addskill Guitar" in sarah.last_text()
    await sarah.send("/progress Guitar")
    assert "You have no skills yet" in sarah.last_text()


async def test_one_skill_is_shown_without_asking(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Piano")
    await seed_sessions(uow_factory, 1001, [(ids["Piano"], TODAY, 25)])
    calls = await sarah.send("/progress")
    assert sarah.texts()[-2].startswith("📈 Piano: ")
    assert "Trend: ↗ improving (you started practising in the last 4 weeks)" in sarah.texts()[-2]
    assert_chart(api, calls, 1001, (1000, 600))


async def test_someone_elses_skill_cannot_be_opened(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Diary")
    await seed_sessions(uow_factory, 1001, [(ids["Diary"], TODAY, 40)])
    await add_skills(mallory, uow_factory, "Lockpicking", "Chess")
    await mallory.send("/progress")
    await mallory.tap_data(f"pg:s:{ids['Diary']}:0")
    assert mallory.answers()[-1] == "That item no longer exists. Nothing was changed."
    assert "Diary" not in "".join(mallory.texts())
    await mallory.tap_data("pg:s:notanid:0")
    assert "expired" in str(mallory.answers()[-1])
    await mallory.send("/progress Diary")
    assert "You have no skill called “Diary”" in mallory.last_text()


async def test_many_skills_are_paged_in_the_picker(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    names = [f"Skill {n:02d}" for n in range(12)]
    await add_skills(sarah, uow_factory, *names)
    await sarah.send("/progress")
    assert "(page 1/2)" in sarah.last_text()
    assert sarah.buttons()[-2:] == [["▶"], ["✖ Close"]]
    await sarah.tap("▶")
    assert "(page 2/2)" in sarah.last_text()
    assert sarah.buttons() == [["Skill 10", "Skill 11"], ["◀"], ["✖ Close"]]
    await sarah.tap("Skill 11")
    assert sarah.last_text().startswith("📈 Skill 11: no sessions yet")
    await sarah.tap("« Back to skills")
    assert "(page 2/2)" in sarah.last_text()
