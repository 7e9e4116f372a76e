"""/history through the real Application: keyset paging, filters, detail, edit, delete and Undo,
stale and forged buttons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.texts import NOTHING_SAVED
from storage.models import Evidence, PracticeLog
from tests.bot.history_helpers import (
    SARAH,
    TODAY,
    add_evidence,
    add_sessions,
    count,
    data_of,
    shown,
    tag,
    user_with_skills,
)
from tests.chat import ChatUser
from tests.conftest import UnitOfWorkFactory
from tests.fakebot import FakeBotApi


@pytest.fixture(autouse=True)
def no_failed_updates(api: FakeBotApi) -> Iterator[None]:
    """The app's error handler turns a crash into a polite apology; here that is a failure."""
    yield
    failed = [call for call in api.calls if NOTHING_SAVED in str(call.params)]
    assert not failed, "an update failed: see the log for its traceback"


def _flat(buttons: list[list[str]]) -> list[str]:
    return [label for row in buttons for label in row]


async def test_paging_forwards_and_back_stays_consistent_while_sessions_arrive(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await user_with_skills(uow_factory, SARAH, "React", "SQL")
    react, sql = skills["React"], skills["SQL"]
    # 25 sessions, two per day (ties on the date are ordered by id), alternating skills.
    await add_sessions(
        uow_factory,
        SARAH,
        [
            (n, react if n % 2 else sql, TODAY - timedelta(days=(25 - n) // 2), 30)
            for n in range(1, 26)
        ],
    )
    await sarah.send("/history")
    text = sarah.last_text()
    assert "History — All skills · All time" in text
    assert "25 sessions · 12 h 30 min" in text
    assert shown(text) == list(range(25, 15, -1))
    assert _flat(sarah.buttons())[:10] == [str(n) for n in range(1, 11)]
    assert "◀ Newer" not in _flat(sarah.buttons())

    await sarah.tap("Older ▶")
    assert shown(sarah.last_text()) == list(range(15, 5, -1))
    # Three sessions arrive between two presses; pages already reached don't shift.
    await add_sessions(uow_factory, SARAH, [(n, react, TODAY, 20) for n in (26, 27, 28)])
    await sarah.tap("Older ▶")
    assert shown(sarah.last_text()) == [5, 4, 3, 2, 1]
    assert "28 sessions · 13 h 30 min" in sarah.last_text()
    assert "Older ▶" not in _flat(sarah.buttons())
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == list(range(15, 5, -1))
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == list(range(25, 15, -1))
    # Fewer than a page left before it: the newest page, new sessions first.
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == [28, 27, 26, *range(25, 18, -1)]
    assert "◀ Newer" not in _flat(sarah.buttons())

    # Filter by skill: the picker, then paging inside the filter.
    await sarah.tap("🎯 Skill ▾")
    assert "which skill?" in sarah.last_text()
    await sarah.tap("SQL · 12")
    text = sarah.last_text()
    assert "History — SQL · All time" in text and "12 sessions · 6 h" in text
    assert shown(text) == list(range(24, 4, -2))
    await sarah.tap("Older ▶")
    assert shown(sarah.last_text()) == [4, 2]
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == list(range(24, 4, -2))
    # Range buttons keep the skill; "All skills" keeps the range.
    await sarah.tap("This week")  # Mon 23 - Wed 25 Nov: sessions 20..28
    text = sarah.last_text()
    assert "SQL · This week (23–25 Nov 2026)" in text
    assert shown(text) == [24, 22, 20]
    assert "• This week" in _flat(sarah.buttons())
    await sarah.tap("🎯 SQL ▾")
    await sarah.tap("• All skills" if "• All skills" in _flat(sarah.buttons()) else "All skills")
    assert shown(sarah.last_text()) == [28, 27, 26, 25, 24, 23, 22, 21, 20]
    await sarah.tap("30 days")
    assert "Last 30 days (27 Oct – 25 Nov 2026)" in sarah.last_text()
    await sarah.tap("This month")
    assert "28 sessions" in sarah.last_text()
    await sarah.tap("✖ Close")
    assert "Closed" in sarah.last_text()
    assert await count(uow_factory, PracticeLog, SARAH) == 28
    assert await count(uow_factory, Evidence, SARAH) == 0


async def test_typed_filters_in_the_users_time_zone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await user_with_skills(
        uow_factory, SARAH, "React", "SQL", "Machine Learning", timezone="Pacific/Auckland"
    )
    react, sql, ml = skills["React"], skills["SQL"], skills["Machine Learning"]
    # In Auckland (UTC+13) the test clock's 12:00 UTC on 25 Nov is already 26 Nov.
    local_today = date(2026, 11, 26)
    await add_sessions(
        uow_factory,
        SARAH,
        [
            (1, react, date(2026, 10, 5), 60),
            (2, sql, date(2026, 10, 20), 30),
            (3, react, date(2026, 11, 1), 45),
            (4, ml, date(2026, 11, 20), 90),
            (5, react, date(2026, 11, 23), 15),
            (6, sql, local_today, 20),
        ],
    )
    cases = {
        "/history react": ([5, 3, 1], "React · All time", "3 sessions · 2 h"),
        "/history 2026-11-01..2026-11-20": ([4, 3], "All skills · 1–20 Nov 2026", "2 sessions"),
        "/history react last month": ([1], "React · Last month (1–31 Oct 2026)", "1 session · 1 h"),
        "/history last month react": ([1], "React · Last month", "1 session"),
        "/history this week": ([6, 5], "This week (23–26 Nov 2026)", "2 sessions · 35 min"),
        "/history today": ([6], "Today (26 Nov 2026)", "1 session · 20 min"),
        "/history last 30 days": ([6, 5, 4, 3], "Last 30 days (28 Oct – 26 Nov 2026)", ""),
        "/history machine learning november": ([4], "Machine Learning · November 2026", ""),
        "/history sq since 2026-10-01": ([6, 2], "SQL · 1 Oct – 26 Nov 2026", "2 sessions"),
        "/history 20.11": ([4], "20 Nov 2026", "1 session · 1 h 30 min"),
        "/history all": ([6, 5, 4, 3, 2, 1], "All time", "6 sessions · 4 h 20 min"),
        "/history sql this week": ([6], "SQL · This week", ""),
        "/history react yesterday": ([], "React · Yesterday (25 Nov 2026)", "0 sessions"),
    }
    for command, (expected, header, totals) in cases.items():
        await sarah.send(command)
        text = sarah.last_text()
        assert shown(text) == expected, command
        assert header in text and totals in text, (command, text)
    assert "No sessions match this filter" in sarah.last_text()

    refusals = {
        "/history guitar": "couldn't read “guitar” as a skill or a date range",
        "/history guitar this week": "no skill called “guitar”",
        "/history 31.02..05.03": "no such date",
        "/history last 0 days": "at least 1 day",
        "/history 2026-12-01..2026-12-24": "in the future",
    }
    for command, message in refusals.items():
        await sarah.send(command)
        assert message in sarah.last_text(), command
        assert "Try /history react" in sarah.last_text() or "History" not in sarah.last_text()
    assert tag(1) not in sarah.last_text()
