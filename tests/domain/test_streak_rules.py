"""Freezes, weekly-goal streaks and habit strength: the rules, and properties they keep."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.streak_rules import (
    MAX_FREEZES,
    habit_strength,
    streak_with_freezes,
    weekly_goal_streak,
)
from bot.domain.streaks import compute_streak

TODAY = date(2026, 12, 10)


def _runs(dates: set[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(dates):
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _span(first: int, last: int) -> set[date]:
    """Days `first` to `last` days ago."""
    return {TODAY - timedelta(days=n) for n in range(last, first - 1, -1)}


def test_seven_days_earn_a_freeze_that_covers_a_missed_day() -> None:
    # 7 days practised, a day missed, 3 more up to today: 11 days, 1 frozen, the freeze spent.
    dates = _span(4, 10) | _span(0, 2)
    s = streak_with_freezes(_runs(dates), TODAY)
    assert (s.current, s.frozen, s.banked) == (11, 1, 0)
    assert s.frozen_days == (TODAY - timedelta(days=3),)
    assert compute_streak(dates, TODAY).current == 3


def test_without_a_freeze_a_missed_day_ends_the_streak() -> None:
    s = streak_with_freezes(_runs(_span(4, 9) | _span(0, 2)), TODAY)  # 6 days: nothing earned
    assert (s.current, s.frozen) == (3, 0)


def test_at_most_two_are_banked_and_a_longer_gap_breaks() -> None:
    s = streak_with_freezes(_runs(_span(0, 40)), TODAY)
    assert (s.current, s.frozen, s.banked) == (41, 0, MAX_FREEZES)
    # Missed yesterday .. 4 days ago: 4 days > 2 banked, so it is over.
    assert streak_with_freezes(_runs(_span(5, 40)), TODAY).current == 0
    broken = streak_with_freezes(_runs(_span(5, 40) | {TODAY}), TODAY)
    assert (broken.current, broken.frozen) == (1, 0)
    saved = streak_with_freezes(_runs(_span(3, 40)), TODAY)  # yesterday and the day before missed
    assert (saved.current, saved.frozen, saved.banked) == (40, 2, 0)


def test_a_freeze_covers_yesterday_until_today_is_over() -> None:
    s = streak_with_freezes(_runs(_span(2, 8)), TODAY)  # 7 days, then yesterday missed
    assert (s.current, s.frozen, s.banked) == (8, 1, 0)
    assert s.end == TODAY - timedelta(days=1)


def test_weekly_goal_streaks_count_finished_weeks_and_a_met_current_week() -> None:
    assert weekly_goal_streak([True, False, True, True], False).weeks == 2
    assert weekly_goal_streak([True, False, True, True], True).weeks == 3
    assert weekly_goal_streak([True, True, True, False], False).weeks == 0
    assert weekly_goal_streak([True, True, True, False], False).longest == 3
    assert weekly_goal_streak([], True).weeks == 1


def test_habit_strength_follows_loop_and_forgives_one_missed_day() -> None:
    daily = _span(0, 120)
    strong = habit_strength(daily, TODAY)
    assert strong > 0.99
    missed_one = habit_strength(daily - {TODAY - timedelta(days=1)}, TODAY)
    assert 0.93 < missed_one < strong
    # Three days a week against a three-day target is as strong as daily against daily.
    three = {d for d in _span(0, 150) if d.weekday() in (0, 2, 4)}
    assert habit_strength(three, TODAY, days_per_week=3) > 0.95
    assert habit_strength(three, TODAY) < 0.5
    assert habit_strength(set(), TODAY) == 0


day_sets = st.sets(st.integers(0, 90), max_size=80).map(
    lambda offsets: {TODAY - timedelta(days=n) for n in offsets}
)


@given(day_sets)
def test_freezes_are_bounded_and_only_ever_help(dates: set[date]) -> None:
    s = streak_with_freezes(_runs(dates), TODAY)
    plain = compute_streak(dates, TODAY)
    assert 0 <= s.banked <= MAX_FREEZES
    assert 0 <= s.frozen <= s.current
    assert s.current >= plain.current
    assert not set(s.frozen_days) & dates
    if s.start is not None and s.end is not None:
        assert all(s.start < d < TODAY for d in s.frozen_days)
        practised = len([d for d in dates if s.start <= d <= s.end])
        assert practised + s.frozen == s.current
        # Freezes are earned before they are spent: one per 7 practice days.
        assert s.frozen <= practised // 7


@given(day_sets, st.integers(1, 60), st.sets(st.integers(1, 60), max_size=30))
def test_later_practice_never_mends_an_earlier_break(
    dates: set[date], back: int, later: set[int]
) -> None:
    then = TODAY - timedelta(days=back)
    past = {d for d in dates if d <= then}
    if streak_with_freezes(_runs(past), then).current:
        return
    future = past | {then + timedelta(days=n) for n in later if n <= back}
    now = streak_with_freezes(_runs(future), TODAY)
    assert now.start is None or now.start > then


@given(st.lists(st.booleans(), max_size=60), st.booleans())
def test_a_weekly_streak_is_the_trailing_run(finished: list[bool], this_week: bool) -> None:
    s = weekly_goal_streak(finished, this_week)
    flags = [*finished, this_week] if this_week else finished
    trailing = len(flags) - len("".join("1" if f else "0" for f in flags).rstrip("1"))
    assert s.weeks == trailing
    assert s.weeks <= s.longest


@given(day_sets, st.integers(1, 7))
def test_habit_strength_is_a_share_that_grows_with_practice(dates: set[date], target: int) -> None:
    score = habit_strength(dates, TODAY, target)
    assert 0.0 <= score <= 1.0
    assert habit_strength(dates | {TODAY}, TODAY, target) >= score
