"""Streaks over local practice dates, milestones and the local-date conversion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.streaks import (
    MILESTONE_DAYS,
    Milestone,
    compute_streak,
    days_practised_this_week,
    local_date,
    milestone_for_log,
    milestone_reached,
    streak_deadline,
)

TODAY = date(2025, 6, 18)  # a Wednesday


def _days(*offsets: int) -> list[date]:
    """Dates ``offset`` days before TODAY, oldest first."""
    return sorted(TODAY - timedelta(days=o) for o in offsets)


def test_no_dates() -> None:
    streak = compute_streak([], TODAY)
    assert streak.current == 0
    assert streak.longest == 0
    assert streak.current_start is None
    assert streak.longest_start is None
    assert not streak.alive_today
    assert not streak.at_risk
    assert streak_deadline(streak, TODAY) is None


def test_one_day_streak_today() -> None:
    streak = compute_streak([TODAY], TODAY)
    assert streak.current == 1
    assert streak.current_start == streak.current_end == TODAY
    assert streak.alive_today
    assert not streak.at_risk
    assert streak.longest == 1
    assert streak_deadline(streak, TODAY) == TODAY + timedelta(days=1)


def test_alive_through_today() -> None:
    streak = compute_streak(_days(0, 1, 2, 3), TODAY)
    assert streak.current == 4
    assert streak.current_start == TODAY - timedelta(days=3)
    assert streak.current_end == TODAY
    assert streak.alive_today


def test_at_risk_via_yesterday() -> None:
    streak = compute_streak(_days(1, 2, 3), TODAY)
    assert streak.current == 3
    assert streak.current_end == TODAY - timedelta(days=1)
    assert not streak.alive_today
    assert streak.at_risk
    assert streak_deadline(streak, TODAY) == TODAY


def test_gap_breaks_the_streak() -> None:
    streak = compute_streak(_days(2, 3, 4, 5), TODAY)
    assert streak.current == 0
    assert streak.current_start is None
    assert streak.longest == 4
    assert streak.longest_start == TODAY - timedelta(days=5)
    assert streak.longest_end == TODAY - timedelta(days=2)
    assert streak.previous_best == 4


def test_gap_inside_history_splits_runs() -> None:
    streak = compute_streak(_days(0, 1, 3, 4, 5), TODAY)
    assert streak.current == 2
    assert streak.longest == 3
    assert streak.previous_best == 3


def test_longest_vs_current() -> None:
    dates = _days(0, 1, 2, 10, 11, 12, 13, 14, 15, 30)
    streak = compute_streak(dates, TODAY)
    assert streak.current == 3
    assert streak.longest == 6
    assert streak.longest_start == TODAY - timedelta(days=15)
    assert streak.longest_end == TODAY - timedelta(days=10)
    assert streak.previous_best == 6


def test_current_is_the_longest() -> None:
    streak = compute_streak(_days(0, 1, 2, 3, 5, 6), TODAY)
    assert streak.current == streak.longest == 4
    assert streak.longest_end == TODAY
    assert streak.previous_best == 2


def test_tie_prefers_latest_run() -> None:
    streak = compute_streak(_days(0, 1, 5, 6), TODAY)
    assert streak.longest == 2
    assert streak.longest_end == TODAY


def test_unsorted_duplicates_and_future_dates_are_harmless() -> None:
    dates = [TODAY, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]
    streak = compute_streak(dates, TODAY)
    assert streak.current == 2
    assert streak.current_end == TODAY


def test_days_practised_this_week_monday_start() -> None:
    # Wednesday 18 June 2025: Monday 16 and Wednesday 18 practised; 15 (Sun) is last week.
    dates = [date(2025, 6, 15), date(2025, 6, 16), date(2025, 6, 18)]
    assert days_practised_this_week(dates, TODAY) == [True, False, True] + [False] * 4


def test_days_practised_this_week_sunday_start() -> None:
    dates = [date(2025, 6, 15), date(2025, 6, 16), date(2025, 6, 18), date(2025, 6, 19)]
    flags = days_practised_this_week(dates, TODAY, week_start=6)
    # Sun 15, Mon 16, Tue 17, Wed 18; Thu 19 is in the future and never counts.
    assert flags == [True, True, False, True, False, False, False]


@pytest.mark.parametrize(
    ("previous", "new", "longest", "expected"),
    [
        (6, 7, 10, Milestone.DAYS_7),
        (29, 30, 40, Milestone.DAYS_30),
        (99, 100, 200, Milestone.DAYS_100),
        (364, 365, 400, Milestone.DAYS_365),
        (5, 8, 10, Milestone.DAYS_7),  # a backfill that jumps over 7 still celebrates it
        (6, 7, 6, Milestone.DAYS_7),  # a day milestone wins over a new record
        (7, 8, 10, None),
        (4, 5, 4, Milestone.NEW_LONGEST),
        (0, 1, 0, None),  # a first ever day is not a record
        (1, 2, 1, Milestone.NEW_LONGEST),
        (3, 4, 9, None),
        (5, 5, 4, None),  # a second log on the same day changes nothing
    ],
)
def test_milestone_reached(
    previous: int, new: int, longest: int, expected: Milestone | None
) -> None:
    assert milestone_reached(previous, new, longest) is expected


def test_milestones_fire_once_over_a_growing_streak() -> None:
    # An old record of 5 days, then a fresh streak growing day by day up to 40 days.
    start = date(2025, 1, 1)
    history = [start + timedelta(days=i) for i in range(5)]
    fresh = start + timedelta(days=20)
    events: list[Milestone] = []
    for day_number in range(40):
        today = fresh + timedelta(days=day_number)
        before = compute_streak(history, today)
        history.append(today)
        after = compute_streak(history, today)
        milestone = milestone_for_log(before, after)
        if milestone is not None:
            events.append(milestone)
        # Logging again the same day celebrates nothing.
        assert milestone_for_log(after, compute_streak(history, today)) is None
    assert events == [Milestone.NEW_LONGEST, Milestone.DAYS_7, Milestone.DAYS_30]
    assert Milestone.DAYS_30.days == 30
    assert Milestone.NEW_LONGEST.days is None
    assert MILESTONE_DAYS == (7, 30, 100, 365)


@given(
    st.sets(st.integers(min_value=0, max_value=400), max_size=120),
    st.integers(min_value=0, max_value=5),
)
def test_property_streak_within_span(offsets: set[int], lookback: int) -> None:
    dates = sorted(TODAY - timedelta(days=o) for o in offsets)
    today = TODAY - timedelta(days=lookback)
    streak = compute_streak(dates, today)
    visible = [d for d in dates if d <= today]
    span = (visible[-1] - visible[0]).days + 1 if visible else 0
    assert 0 <= streak.current <= streak.longest <= span
    assert streak.longest <= len(visible)
    assert not (streak.alive_today and streak.at_risk)
    if streak.current:
        assert streak.current_start is not None
        assert streak.current_end is not None
        assert (streak.current_end - streak.current_start).days + 1 == streak.current
        assert (today - streak.current_end).days <= 1
    if streak.longest:
        assert streak.longest_start is not None
        assert streak.longest_end is not None
        assert (streak.longest_end - streak.longest_start).days + 1 == streak.longest
    assert streak.previous_best <= streak.longest


# --- time zones: the practice date is the user's local calendar date -------------------------

TONGA = "Pacific/Tongatapu"  # UTC+13, no DST
HONOLULU = "Pacific/Honolulu"  # UTC-10, no DST


def test_local_date_in_utc_plus_13() -> None:
    # 10:30 UTC is 23:30 the same day in Tonga: still that local day, not the next.
    assert local_date(datetime(2025, 6, 17, 10, 30, tzinfo=UTC), TONGA) == date(2025, 6, 17)
    # 11:30 UTC is 00:30 the next local day.
    assert local_date(datetime(2025, 6, 17, 11, 30, tzinfo=UTC), TONGA) == date(2025, 6, 18)


def test_local_date_in_utc_minus_10() -> None:
    # 23:30 in Honolulu is 09:30 UTC on the *next* UTC day.
    assert local_date(datetime(2025, 6, 18, 9, 30, tzinfo=UTC), HONOLULU) == date(2025, 6, 17)


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2025, 6, 17, 10, 30), TONGA)


@pytest.mark.parametrize(
    ("tz_name", "late_evening_utc"),
    [
        # 23:30 local on 16 and 17 June in Tonga (UTC+13) is 10:30 UTC the same days.
        (
            TONGA,
            [datetime(2025, 6, 16, 10, 30, tzinfo=UTC), datetime(2025, 6, 17, 10, 30, tzinfo=UTC)],
        ),
        # 23:30 local on 16 and 17 June in Honolulu (UTC-10) is 09:30 UTC on 17 and 18 June.
        (
            HONOLULU,
            [datetime(2025, 6, 17, 9, 30, tzinfo=UTC), datetime(2025, 6, 18, 9, 30, tzinfo=UTC)],
        ),
    ],
)
def test_late_evening_sessions_feed_the_local_streak(
    tz_name: str, late_evening_utc: list[datetime]
) -> None:
    # "Now" is 08:00 local on 18 June: the user has not practised yet today.
    now = datetime(2025, 6, 18, 8, 0, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)
    today = local_date(now, tz_name)
    assert today == date(2025, 6, 18)
    dates = sorted({local_date(ts, tz_name) for ts in late_evening_utc})
    assert dates == [date(2025, 6, 16), date(2025, 6, 17)]
    streak = compute_streak(dates, today)
    assert streak.current == 2
    assert streak.at_risk
    assert streak_deadline(streak, today) == today


def test_utc_dates_would_have_broken_the_honolulu_streak() -> None:
    # Why the conversion matters: by UTC date the sessions land on 17 and 18 June, which would
    # wrongly read as "practised today" for a user whose local today is the 18th.
    utc_days = [date(2025, 6, 17), date(2025, 6, 18)]
    local_days = [
        local_date(datetime(2025, 6, 17, 9, 30, tzinfo=UTC), HONOLULU),
        local_date(datetime(2025, 6, 18, 9, 30, tzinfo=UTC), HONOLULU),
    ]
    assert compute_streak(utc_days, TODAY).alive_today
    assert not compute_streak(local_days, TODAY).alive_today
