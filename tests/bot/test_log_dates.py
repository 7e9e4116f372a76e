"""/log dates in one message and at the date step: every phrase, in zones ahead of and behind
UTC, future dates refused, near-misses asked about — through the real Application."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.chat import ChatUser
from tests.seed import count_logs, logs, seed_skills
from tests.support import SARAH, FakeClock, UnitOfWorkFactory

NOTE = "arpeggio work here"

# (zone, UTC time, the user's local today) — each at a moment its local date differs from UTC's.
AUCKLAND = ("Pacific/Auckland", datetime(2026, 11, 25, 12, 0, tzinfo=UTC), date(2026, 11, 26))
HONOLULU = ("Pacific/Honolulu", datetime(2026, 11, 26, 5, 0, tzinfo=UTC), date(2026, 11, 25))

# What each phrase means for an Auckland user on Thu 26 Nov and a Honolulu user on Wed 25 Nov.
PHRASES = [
    ("today", date(2026, 11, 26), date(2026, 11, 25)),
    ("yesterday", date(2026, 11, 25), date(2026, 11, 24)),
    ("2 weeks ago", date(2026, 11, 12), date(2026, 11, 11)),
    ("1 week ago", date(2026, 11, 19), date(2026, 11, 18)),
    ("10 days ago", date(2026, 11, 16), date(2026, 11, 15)),
    ("Nov 20", date(2026, 11, 20), date(2026, 11, 20)),
    ("20 Nov", date(2026, 11, 20), date(2026, 11, 20)),
    ("20 November", date(2026, 11, 20), date(2026, 11, 20)),
    ("2026-11-20", date(2026, 11, 20), date(2026, 11, 20)),
    ("20.11", date(2026, 11, 20), date(2026, 11, 20)),
    ("last friday", date(2026, 11, 20), date(2026, 11, 20)),
    ("monday", date(2026, 11, 23), date(2026, 11, 23)),
    ("on tuesday", date(2026, 11, 24), date(2026, 11, 24)),
    ("wednesday", date(2026, 11, 25), date(2026, 11, 25)),
]


async def _in_zone(sarah: ChatUser, clock: FakeClock, zone: tuple[str, datetime, date]) -> None:
    name, now, _ = zone
    clock.set(now)
    await sarah.send(f"/timezone {name}")


@pytest.mark.parametrize("zone", [AUCKLAND, HONOLULU], ids=["utc+13", "utc-10"])
async def test_a_date_phrase_anywhere_in_one_message_sets_the_date(
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    zone: tuple[str, datetime, date],
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await _in_zone(sarah, clock, zone)
    for phrase, *_ in PHRASES:
        await sarah.send(f"/log guitar 30m {phrase} {NOTE}")
        assert "✅ Saved: Guitar — 30 min" in sarah.last_text(), phrase
    # The phrase may come first, last or in the middle.
    await sarah.send(f"/log 2 weeks ago guitar 15m {NOTE}")
    await sarah.send(f"/log guitar {NOTE} 15m Nov 20")
    column = 1 if zone is AUCKLAND else 2
    expected = [row[column] for row in PHRASES] + [PHRASES[2][column], date(2026, 11, 20)]
    rows = await logs(uow_factory)
    assert sorted(r.practiced_on for r in rows) == sorted(expected)
    assert {r.description for r in rows} == {NOTE}


@pytest.mark.parametrize("zone", [AUCKLAND, HONOLULU], ids=["utc+13", "utc-10"])
@pytest.mark.parametrize("phrase", ["tomorrow", "next friday", "in the future 2026-11-27"])
async def test_a_future_date_is_refused_and_nothing_is_saved(
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    zone: tuple[str, datetime, date],
    phrase: str,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await _in_zone(sarah, clock, zone)
    await sarah.send(f"/log guitar 30m {phrase} {NOTE}")
    assert "The date cannot be in the future" in sarah.last_text()
    assert "When did you practise" in sarah.last_text()
    assert await count_logs(uow_factory) == 0
    await sarah.send("tomorrow")  # the date step refuses it too
    assert "The date cannot be in the future" in sarah.last_text()
    assert await count_logs(uow_factory) == 0


async def test_utc_today_is_the_future_for_a_user_behind_utc(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await _in_zone(sarah, clock, HONOLULU)  # UTC is already on 26 Nov
    await sarah.send(f"/log guitar 30m 2026-11-26 {NOTE}")
    assert "The date cannot be in the future" in sarah.last_text()
    assert await count_logs(uow_factory) == 0


@pytest.mark.parametrize(
    ("typed", "offered", "expected"),
    [
        ("fridya", "Fri 20 Nov", date(2026, 11, 20)),
        ("2 weks ago", "Wed 11 Nov", date(2026, 11, 11)),
        ("20 novmber", "Fri 20 Nov", date(2026, 11, 20)),
        ("yesterady", "yesterday", date(2026, 11, 24)),
    ],
)
async def test_a_near_miss_date_is_asked_about_never_put_in_the_description(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, typed: str, offered: str, expected: date
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(f"/log guitar 30m {typed} {NOTE}")
    assert f"Did you mean {offered}?" in sarah.last_text()
    assert [offered] in sarah.buttons()
    assert await count_logs(uow_factory) == 0
    await sarah.tap(offered)
    assert "✅ Saved: Guitar — 30 min" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert (row.practiced_on, row.description) == (expected, NOTE)


async def test_the_date_step_asks_about_a_near_miss_and_accepts_phrases(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(f"/log guitar 30m 2026-12-01 {NOTE}")
    assert "cannot be in the future" in sarah.last_text()
    await sarah.send("last fridya")
    assert "Did you mean Fri 20 Nov?" in sarah.last_text()
    await sarah.send("10 days ago")  # typing another answer is fine too
    assert "✅ Saved: Guitar — 30 min, Sun 15 Nov" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert row.practiced_on == date(2026, 11, 15)


async def _date_order(uow_factory: UnitOfWorkFactory) -> tuple[str, bool]:
    async with uow_factory() as uow:
        return await uow.users.date_order(SARAH)


async def test_onboarding_in_a_us_zone_reads_numeric_dates_month_first(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/start")
    await sarah.tap("New York")
    assert await _date_order(uow_factory) == ("month_first", False)
    await sarah.send("Guitar")
    # Unambiguous numeric dates need no question, in either order.
    await sarah.send(f"/log guitar 30m 11/20 {NOTE}")
    await sarah.send(f"/log guitar 30m 20.11 {NOTE}")
    assert [r.practiced_on for r in await logs(uow_factory)] == [date(2026, 11, 20)] * 2


async def test_an_ambiguous_numeric_date_is_asked_once_and_the_answer_remembered(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(f"/log guitar 30m 11/12 {NOTE}")
    assert "Did you mean Thu 11 Dec 2025 or Thu 12 Nov?" in sarah.last_text()
    assert ["Thu 11 Dec 2025", "Thu 12 Nov"] in sarah.buttons()
    assert await count_logs(uow_factory) == 0
    await sarah.tap("Thu 12 Nov")
    assert "✅ Saved: Guitar — 30 min, Thu 12 Nov" in sarah.last_text()
    assert await _date_order(uow_factory) == ("month_first", True)
    # Asked once: the next ambiguous date is read month first without a question ...
    await sarah.send(f"/log guitar 30m 10/11 {NOTE}")
    assert "✅ Saved: Guitar — 30 min, Sun 11 Oct\n" in sarah.last_text()
    # ... and a time zone change does not overrule the answer.
    await sarah.send("/timezone Europe/Berlin")
    await sarah.send(f"/log guitar 30m 3/4 {NOTE}")
    assert "✅ Saved: Guitar — 30 min, Wed 4 Mar\n" in sarah.last_text()
    assert await _date_order(uow_factory) == ("month_first", True)
    assert [r.practiced_on for r in await logs(uow_factory)] == [
        date(2026, 11, 12),
        date(2026, 10, 11),
        date(2026, 3, 4),
    ]


async def test_the_date_step_asks_about_an_ambiguous_date_too(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(f"/log guitar 30m 2026-12-24 {NOTE}")
    await sarah.send("5.6")
    assert "Did you mean Fri 5 Jun or Wed 6 May?" in sarah.last_text()
    await sarah.tap("Fri 5 Jun")
    assert "✅ Saved: Guitar — 30 min, Fri 5 Jun" in sarah.last_text()
    assert await _date_order(uow_factory) == ("day_first", True)


async def test_the_date_order_is_changed_on_the_timezone_screen(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timezone")
    assert "Numeric dates read day first" in sarah.last_text()
    await sarah.tap("📅 Read 11/12 as November 12")
    assert "Numeric dates now read month first" in sarah.last_text()
    assert await _date_order(uow_factory) == ("month_first", True)
    await sarah.send(f"/log guitar 30m 11/12 {NOTE}")
    assert "✅ Saved: Guitar — 30 min, Thu 12 Nov" in sarah.last_text()
    await sarah.send("/timezone")
    await sarah.tap("📅 Read 11/12 as 11 December")
    assert await _date_order(uow_factory) == ("day_first", True)


async def test_history_reads_numeric_dates_in_the_users_order(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/timezone America/New_York")  # month first, inferred
    await sarah.send(f"/log guitar 30m Nov 12 {NOTE}")
    await sarah.send("/history 11/12")
    assert "Thu 12 Nov" in sarah.last_text() and "30 min" in sarah.last_text()


@pytest.mark.parametrize("typed", ["Nov 31", "31.02", "2026-02-30"])
async def test_an_impossible_date_is_asked_again_not_described(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, typed: str
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(f"/log guitar 30m {typed} {NOTE}")
    assert "no such date" in sarah.last_text() and "When did you practise" in sarah.last_text()
    assert await count_logs(uow_factory) == 0
    await sarah.tap("Yesterday")
    [row] = await logs(uow_factory)
    assert row.description == NOTE
