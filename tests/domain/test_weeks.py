"""The week: where it starts by region and by choice, its bounds, its name, DST weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.timezones import local_today
from bot.domain.weeks import (
    MONDAY,
    SATURDAY,
    SUNDAY,
    days_left_in_week,
    default_week_start,
    last_full_week,
    user_week_start,
    week_label,
    week_of,
)


@pytest.mark.parametrize(
    ("zone", "first"),
    [
        ("Europe/Berlin", MONDAY),
        ("Europe/London", MONDAY),
        ("UTC", MONDAY),
        ("Australia/Sydney", MONDAY),
        ("America/New_York", SUNDAY),
        ("America/Sao_Paulo", SUNDAY),
        ("Asia/Tokyo", SUNDAY),
        ("Asia/Jerusalem", SUNDAY),
        ("Asia/Kolkata", SUNDAY),
        ("Asia/Dubai", SATURDAY),
        ("Africa/Cairo", SATURDAY),
        ("America/Argentina/Buenos_Aires", MONDAY),
    ],
)
def test_regions_start_the_week_where_their_calendars_do(zone: str, first: int) -> None:
    assert default_week_start(zone) == first
    assert user_week_start(None, zone) == first
    assert user_week_start(MONDAY, zone) == MONDAY  # a choice wins


def test_the_week_is_named_like_a_calendar() -> None:
    first, last = week_of(date(2026, 12, 3), MONDAY)
    assert week_label(first, last) == "Mon 30 Nov – Sun 6 Dec"
    assert week_label(*week_of(date(2026, 12, 3), SUNDAY)) == "Sun 29 Nov – Sat 5 Dec"
    assert week_label(*week_of(date(2026, 12, 3), SATURDAY)) == "Sat 28 Nov – Fri 4 Dec"


def test_the_summary_covers_the_week_that_just_ended() -> None:
    sunday = date(2026, 12, 6)
    assert last_full_week(sunday, MONDAY) == (date(2026, 11, 30), sunday)
    assert last_full_week(sunday + timedelta(days=1), MONDAY) == (date(2026, 11, 30), sunday)
    assert last_full_week(sunday, SUNDAY) == (date(2026, 11, 29), date(2026, 12, 5))


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 6))
def test_every_day_lies_in_one_seven_day_week_starting_on_the_week_start(
    day: date, week_start: int
) -> None:
    first, last = week_of(day, week_start)
    assert first.weekday() == week_start
    assert (last - first).days == 6
    assert first <= day <= last
    assert 1 <= days_left_in_week(day, week_start) <= 7
    assert week_of(first, week_start) == week_of(last, week_start) == (first, last)


@pytest.mark.parametrize(
    ("zone", "transition"),
    [
        ("Europe/Berlin", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 11, 1, 6, 0, tzinfo=UTC)),
        ("Australia/Sydney", datetime(2026, 4, 5, 0, 0, tzinfo=UTC)),
    ],
)
@given(hours=st.integers(-24 * 10, 24 * 10))
def test_a_dst_week_still_has_seven_local_dates(
    zone: str, transition: datetime, hours: int
) -> None:
    # Walking hour by hour across a DST change, every local date's week has seven dates and
    # the week start only moves forward, exactly seven days at a time.
    week_start = default_week_start(zone)
    now = transition + timedelta(hours=hours)
    before = week_of(local_today(zone, now - timedelta(hours=1)), week_start)
    after = week_of(local_today(zone, now), week_start)
    assert (after[1] - after[0]).days == 6
    assert after[0] == before[0] or after[0] - before[0] == timedelta(days=7)
