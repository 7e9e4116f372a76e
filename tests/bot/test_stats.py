"""/stats: totals, frequency, this period against the last, weekday pattern, timeline, charts."""

from __future__ import annotations

from datetime import date, timedelta

from tests.bot.insights_helpers import assert_chart, session_count
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.seed import add_skills, seed_sessions, seed_stats_history
from tests.support import UnitOfWorkFactory

# The test clock's date (UTC): Wednesday 25 November 2026.
WED = date(2026, 11, 25)
MON = WED - timedelta(days=2)


async def test_week_stats_compare_with_the_same_days_of_last_week(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_stats_history(sarah, uow_factory)
    await sarah.send("/stats")
    text = sarah.last_text()
    assert text.startswith("📊 Your stats — this week (Mon 23 Nov – today)")
    assert "Total: 1 h 35 min over 3 sessions, 2 active days" in text
    assert "Average session: 32 min" in text
    assert "Frequency: 3.0 sessions and 2.0 active days a week" in text
    assert "• Guitar — 1 h 15 min · 2 sessions · avg 38 min" in text
    assert "• Spanish — 20 min · 1 session · avg 20 min" in text
    assert "This week: 1 h 35 min · 3 sessions · 2 active days" in text
    assert "Last week by this point: 1 h 30 min · 2 sessions · 2 active days" in text
    assert "Change: time +6%, sessions +50%" in text
    assert "Whole last week: 3 h · 3 sessions · 3 active days" in text
    assert "You practise most on Saturdays (last 26 weeks)." in text
    assert "Mon 23    ▇▇▇▇▇ 30 min" in text
    assert "Tue 24    ·" in text
    assert "Wed 25    ▇▇▇▇▇▇▇▇▇▇ 1 h 5 min" in text
    assert sarah.buttons() == [
        ["• Week", "Month", "All time"],
        ["📊 Weekly chart", "🗓 Calendar"],
        ["✖ Close"],
    ]
    assert await session_count(uow_factory) == 12


async def test_switching_to_month_and_all_time_edits_the_same_message(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_stats_history(sarah, uow_factory)
    await sarah.send("/stats")
    message_id = sarah.last_message()["message_id"]
    await sarah.tap("Month")
    assert sarah.last_message()["message_id"] == message_id
    text = sarah.last_text()
    assert text.startswith("📊 Your stats — this month (Sun 1 Nov – today)")
    assert "Total: 4 h 35 min over 6 sessions, 5 active days" in text
    # October by the 25th: four Saturdays of 2 h.
    assert "Last month by this point: 8 h · 4 sessions · 4 active days" in text
    assert "Change: time −43%, sessions +50%" in text
    assert "Whole last month: 10 h · 5 sessions · 5 active days" in text
    assert "16–22 Nov ▇▇▇▇▇▇▇▇▇▇ 3 h\n23–25 Nov ▇▇▇▇▇▇ 1 h 35 min" in text
    assert sarah.buttons()[0] == ["Week", "• Month", "All time"]

    await sarah.tap("All time")
    text = sarah.last_text()
    assert text.startswith("📊 Your stats — all time (since Sat 1 Mar 2025)")
    assert "Total: 14 h 50 min over 12 sessions, 11 active days" in text
    assert "• Guitar — 13 h 45 min · 9 sessions · avg 1 h 32 min" in text
    assert "• Spanish — 1 h 5 min · 3 sessions · avg 22 min" in text
    assert "Timeline (the last 12 months)" in text
    assert "Oct 26    ▇▇▇▇▇▇▇▇▇▇ 10 h" in text
    await sarah.tap("✖ Close")
    assert sarah.last_text() == "Closed. /stats opens it again."


async def test_period_arguments(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    await seed_stats_history(sarah, uow_factory)
    await sarah.send("/stats month")
    assert "this month" in sarah.last_text()
    await sarah.send("/stats ALL")
    assert "all time" in sarah.last_text()
    calls = await sarah.send("/stats yearly")
    assert sarah.last_text() == (
        "I don't know the period “yearly”. Try /stats week, /stats month or /stats all."
    )
    assert calls[-1].params.get("reply_markup") is None


async def test_without_sessions_stats_explain_how_to_start(sarah: ChatUser) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send("/stats")
    assert "You haven't logged any practice yet" in sarah.last_text()
    assert "/log" in sarah.last_text()
    assert sarah.buttons() == []


async def test_a_quiet_week_still_shows_the_comparison(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "Guitar")
    await seed_sessions(uow_factory, 1001, [(ids["Guitar"], date(2026, 11, 17), 40)])
    await sarah.send("/stats week")
    text = sarah.last_text()
    assert "Nothing logged this week yet. /log adds a session." in text
    assert "Last week by this point: 40 min · 1 session · 1 active day" in text
    assert "Change: time −100%, sessions −100%" in text


async def test_charts_arrive_as_photos_and_the_summary_stays(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_stats_history(sarah, uow_factory)
    await sarah.send("/stats")
    summary = sarah.last_message()
    calls = await sarah.tap("📊 Weekly chart")
    caption = assert_chart(api, calls, 1001, (1000, 600))
    assert caption == "📊 Practice per week by skill, last 12 weeks"
    calls = await sarah.tap("🗓 Calendar", message=summary["message_id"])
    caption = assert_chart(api, calls, 1001, (1000, 420))
    assert caption.startswith("🗓 Your practice calendar, last 26 weeks")
    # The text summary and its buttons are still there to switch period or chart again.
    shown = api.find_message(1001, summary["message_id"])
    assert shown is not None and shown["text"] == summary["text"]
    assert sarah.buttons(summary["message_id"]) == sarah.buttons(summary)
    assert sarah.unanswered() == []
    # All time is a monthly view, not the weekly chart again.
    await sarah.send("/stats all")
    assert ["📊 Monthly chart", "🗓 Calendar"] in sarah.buttons()
    calls = await sarah.tap("📊 Monthly chart")
    caption = assert_chart(api, calls, 1001, (1000, 600))
    assert caption == "📊 Practice per month by skill, since your first session"


async def test_forged_stats_buttons_are_refused(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_stats_history(sarah, uow_factory)
    await sarah.send("/stats")
    await sarah.tap_data("st:p:yearly")
    assert "expired" in str(sarah.answers()[-1])
    await sarah.tap_data("st:c:pie")
    assert "expired" in str(sarah.answers()[-1])
    # Mallory's own numbers only: she has nothing logged.
    await mallory.send("/stats all")
    assert "You haven't logged any practice yet" in mallory.last_text()


async def test_skill_names_are_shown_literally_everywhere(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await add_skills(sarah, uow_factory, "C++ & <Rust>", "$5 <b>tricks</b>")
    await seed_sessions(
        uow_factory,
        1001,
        [(ids["C++ & <Rust>"], WED, 30), (ids["$5 <b>tricks</b>"], MON, 20)],
    )
    await sarah.send("/stats")
    stats = sarah.last_message()
    assert "• C++ & <Rust> — 30 min · 1 session" in sarah.last_text()
    await sarah.send("/streak")
    assert "• $5 <b>tricks</b> — no current streak" in sarah.last_text()
    await sarah.send("/progress C++")
    assert sarah.texts()[-2].startswith("📈 C++ & <Rust>: ")
    await sarah.tap("📊 Weekly chart", message=stats["message_id"])
    # The fake API parses HTML like Telegram: one unescaped "<" and a send would have failed.
    assert all(c.ok for c in api.calls), [c.error for c in api.calls if not c.ok]
