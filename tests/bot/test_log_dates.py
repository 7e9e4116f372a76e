"""/log dates in one message and at the date step: every phrase, in zones ahead of and behind
UTC, future dates refused, near-misses asked about — through the real Application."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.chat import ChatUser
from tests.seed import count_logs, logs, seed_skills
from tests.support import FakeClock, UnitOfWorkFactory

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
