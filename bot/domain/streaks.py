"""Practice streaks: consecutive local calendar days with at least one session.

A streak is *current* when its last day is today or yesterday (the user's local dates): one
that ended yesterday is still alive but *at risk* until midnight. Inputs are the distinct
practice dates (``SELECT DISTINCT practiced_on``), never session rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Milestone(StrEnum):
    """A streak event worth celebrating on the saved-entry card."""

    DAYS_7 = "streak_7"
    DAYS_30 = "streak_30"
    DAYS_100 = "streak_100"
    DAYS_365 = "streak_365"
    NEW_LONGEST = "new_longest"

    @property
    def days(self) -> int | None:
        """The day count of a day milestone, None for a new longest streak."""
        return None if self is Milestone.NEW_LONGEST else int(self.value.removeprefix("streak_"))


_DAY_MILESTONES = {
    7: Milestone.DAYS_7,
    30: Milestone.DAYS_30,
    100: Milestone.DAYS_100,
    365: Milestone.DAYS_365,
}
MILESTONE_DAYS = tuple(_DAY_MILESTONES)


@dataclass(frozen=True, slots=True)
class Streak:
    """Current and longest runs of consecutive practice days.

    ``previous_best`` is the longest run other than the current one: the record the current
    streak has to beat (equal to ``longest`` when there is no current streak).
    """

    current: int
    current_start: date | None
    current_end: date | None
    alive_today: bool
    at_risk: bool
    longest: int
    longest_start: date | None
    longest_end: date | None
    previous_best: int


def local_date(utc_dt: datetime, tz_name: str) -> date:
    """The user's calendar date of an aware instant: the day a session counts for in a streak."""
    if utc_dt.tzinfo is None:
        # A naive value would be silently read as server-local time: refuse it, like storage does.
        raise ValueError("local_date needs an aware datetime")
    return utc_dt.astimezone(ZoneInfo(tz_name)).date()


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _length(run: tuple[date, date]) -> int:
    return (run[1] - run[0]).days + 1


def compute_streak(dates: Iterable[date], today: date) -> Streak:
    """Current and longest streak from distinct local practice dates (dates after today ignored)."""
    # Sorting and de-duplicating is cheap and makes a slightly wrong caller harmless.
    days = sorted({d for d in dates if d <= today})
    return streak_from_runs(_runs(days), today)


def streak_from_runs(runs: Iterable[tuple[date, date]], today: date) -> Streak:
    """The streak from runs of consecutive dates as (first, last) pairs, none after today.

    Only three runs matter, so a database can send just those: the latest run, the longest
    and the second longest (ties going to the later run). Given all runs, or any subset that
    includes those three, the result equals :func:`compute_streak` over the dates.
    """
    ordered = sorted(set(runs), key=lambda run: run[1])
    current_run = ordered[-1] if ordered and (today - ordered[-1][1]).days <= 1 else None
    # Latest run wins a tie: the most recent record is the one users remember.
    longest_run = max(reversed(ordered), key=_length, default=None)
    others = ordered[:-1] if current_run is not None else ordered
    return Streak(
        current=_length(current_run) if current_run else 0,
        current_start=current_run[0] if current_run else None,
        current_end=current_run[1] if current_run else None,
        alive_today=current_run is not None and current_run[1] == today,
        at_risk=current_run is not None and current_run[1] < today,
        longest=_length(longest_run) if longest_run else 0,
        longest_start=longest_run[0] if longest_run else None,
        longest_end=longest_run[1] if longest_run else None,
        previous_best=max((_length(r) for r in others), default=0),
    )


def streak_deadline(streak: Streak, today: date) -> date | None:
    """Last local date on which a session keeps the current streak going, or None."""
    if streak.alive_today:
        return today + timedelta(days=1)
    if streak.at_risk:
        return today
    return None


def days_practised_this_week(dates: Iterable[date], today: date, week_start: int = 0) -> list[bool]:
    """Seven flags for the week containing today, starting on ``week_start`` (0 = Monday)."""
    start = today - timedelta(days=(today.weekday() - week_start) % 7)
    practised = {d for d in dates if start <= d <= today}
    return [start + timedelta(days=i) in practised for i in range(7)]


def milestone_reached(
    previous_current: int, new_current: int, previous_longest: int
) -> Milestone | None:
    """The milestone crossed when a log moves the current streak from one length to another.

    ``previous_longest`` is the record to beat, i.e. ``Streak.previous_best`` before the log;
    passing the overall longest (which includes the current run) would celebrate every day of a
    record streak instead of once. A day milestone (7/30/100/365) wins over a new record.
    """
    for days in sorted(_DAY_MILESTONES, reverse=True):
        if previous_current < days <= new_current:
            return _DAY_MILESTONES[days]
    if previous_longest >= 1 and previous_current <= previous_longest < new_current:
        return Milestone.NEW_LONGEST
    return None


def milestone_for_log(before: Streak, after: Streak) -> Milestone | None:
    """The milestone a new session caused, given the streaks before and after saving it."""
    return milestone_reached(before.current, after.current, before.previous_best)
