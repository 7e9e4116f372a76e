"""Forgiving streaks: freezes, weekly-goal streaks and habit strength (pure, from plain data).

- **Freezes.** Every 7 practice days of a streak earn a freeze; at most 2 are banked. A missed
  day spends one automatically, and the streak goes on counting it as a *frozen* day. A gap
  longer than the freezes in the bank ends the streak. Freezes are spent in date order from
  what was banked *before* the gap, so practice logged later never mends an older break.
- **Weekly-goal streaks.** A skill with a weekly goal keeps a streak of weeks in which every
  weekly goal was met. The week in progress counts once its goal is met; until then the
  streak of finished weeks is still alive.
- **Habit strength** (as Loop Habit Tracker computes it): an exponentially weighted average of
  daily check-ins, ``s = s * m + v * (1 - m)`` with ``m = 0.5 ** (sqrt(f) / 13)`` where ``f``
  is the target share of days (1 for daily practice, 3/7 for three days a week). For
  non-daily targets a day's ``v`` is the share of the target met over the last 7 days, capped
  at 1, so a skill practised three days a week against a 3-day goal rises to 100% and one
  missed day costs a few points, not everything.

Inputs are runs of consecutive dates (as streak_islands or a stored run table give them),
per-week flags, or practice dates in a bounded window; never session rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

FREEZE_EVERY_DAYS: Final = 7
MAX_FREEZES: Final = 2
HABIT_WINDOW_DAYS: Final = 182
HALF_LIFE_DAYS: Final = 13.0

Run = tuple[date, date]


@dataclass(frozen=True, slots=True)
class FrozenStreak:
    """The current streak with freezes: its days (frozen ones included) and the bank."""

    current: int
    frozen: int
    banked: int
    start: date | None
    end: date | None
    frozen_days: tuple[date, ...]

    @property
    def alive(self) -> bool:
        """Whether a streak is running."""
        return self.current > 0


NO_STREAK: Final = FrozenStreak(0, 0, 0, None, None, ())


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def runs_of(dates: Iterable[date]) -> list[Run]:
    """Runs of consecutive dates (first, last) from any dates, oldest first."""
    runs: list[Run] = []
    for day in sorted(set(dates)):
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def streak_with_freezes(runs: Iterable[Run], today: date) -> FrozenStreak:
    """The current streak as of ``today`` from runs of consecutive practice dates.

    Today itself is never a missed day (there is still time to practise); yesterday is.
    """
    ordered = sorted({(a, min(b, today)) for a, b in runs if a <= today})
    start: date | None = None
    end: date | None = None
    practised = banked = 0
    frozen: list[date] = []
    for first, last in ordered:
        if end is not None and first <= end:
            first = end + timedelta(days=1)  # overlapping input: count each date once
            if first > last:
                continue
        if end is None or start is None:
            start = first
        else:
            gap = (first - end).days - 1
            if gap <= banked:
                banked -= gap
                frozen += _days(end + timedelta(days=1), first - timedelta(days=1))
            else:
                start, practised, banked, frozen = first, 0, 0, []
        before = practised
        practised += (last - first).days + 1
        earned = practised // FREEZE_EVERY_DAYS - before // FREEZE_EVERY_DAYS
        banked = min(MAX_FREEZES, banked + earned)
        end = last
    if end is None or start is None:
        return NO_STREAK
    missed = (today - end).days - 1
    if missed > banked:
        return NO_STREAK
    if missed > 0:
        banked -= missed
        frozen += _days(end + timedelta(days=1), today - timedelta(days=1))
        end = today - timedelta(days=1)
    return FrozenStreak(
        current=(end - start).days + 1,
        frozen=len(frozen),
        banked=banked,
        start=start,
        end=end,
        frozen_days=tuple(frozen),
    )


@dataclass(frozen=True, slots=True)
class WeekStreak:
    """Weeks in a row with the weekly goal met; ``this_week_met`` counts the week in progress."""

    weeks: int
    this_week_met: bool
    longest: int


def weekly_goal_streak(finished: Sequence[bool], this_week_met: bool) -> WeekStreak:
    """The streak from finished weeks' flags (oldest first) and the week in progress."""
    trailing = 0
    for met in reversed(finished):
        if not met:
            break
        trailing += 1
    longest = run = 0
    for met in [*finished, this_week_met]:
        run = run + 1 if met else 0
        longest = max(longest, run)
    return WeekStreak(trailing + (1 if this_week_met else 0), this_week_met, longest)


def habit_multiplier(days_per_week: float) -> float:
    """Loop's decay per day for a target share of days: slower for less frequent habits."""
    share = min(1.0, max(days_per_week, 0.0) / 7)
    return float(0.5 ** (math.sqrt(share) / HALF_LIFE_DAYS))


def habit_strength(
    practised: Iterable[date] | Mapping[date, object],
    today: date,
    days_per_week: int = 7,
    window_days: int = HABIT_WINDOW_DAYS,
) -> float:
    """Habit strength in [0, 1] as of today from the practice dates of the last ``window_days``.

    Older dates weigh less than 0.1% after half a year, so the bounded window loses nothing.
    """
    target = min(7, max(1, days_per_week))
    multiplier = habit_multiplier(target)
    first = today - timedelta(days=window_days - 1)
    done = {d for d in practised if first - timedelta(days=7) <= d <= today}
    score = 0.0
    # Practice days in the 7 days ending on the day being scored, kept as a running count.
    recent = sum(1 for d in done if d < first)
    for offset in range(window_days):
        day = first + timedelta(days=offset)
        recent += (day in done) - ((day - timedelta(days=7)) in done)
        value = (1.0 if day in done else 0.0) if target == 7 else min(1.0, recent / target)
        score = score * multiplier + value * (1 - multiplier)
    return score
