"""streak_from_runs: three runs (latest, longest, second longest) are enough for a streak."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.streaks import compute_streak, streak_from_runs

TODAY = date(2026, 11, 25)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _length(run: tuple[date, date]) -> int:
    return (run[1] - run[0]).days + 1


@given(st.lists(st.integers(min_value=0, max_value=120), max_size=80))
def test_the_three_runs_a_database_returns_are_enough(offsets: list[int]) -> None:
    days = [TODAY - timedelta(days=n) for n in offsets]
    runs = _runs(days)
    by_length = sorted(runs, key=lambda r: (_length(r), r[1]), reverse=True)[:2]
    latest = runs[-1:]
    assert streak_from_runs(by_length + latest, TODAY) == compute_streak(days, TODAY)
    assert streak_from_runs(runs, TODAY) == compute_streak(days, TODAY)


def test_no_runs_is_no_streak() -> None:
    streak = streak_from_runs([], TODAY)
    assert (streak.current, streak.longest, streak.previous_best) == (0, 0, 0)
