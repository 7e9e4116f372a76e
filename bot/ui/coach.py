"""Coaching lines on /streak: freezes, weekly-goal streaks and habit strength."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final, Protocol

from bot.domain.streak_rules import MAX_FREEZES, FrozenStreak, WeekStreak
from bot.domain.weeks import short_date
from bot.ui.texts import esc, plural

MAX_HABITS: Final = 6


class NamedGoalStreak(Protocol):
    """A goal streak with the skill's name (None: all skills)."""

    @property
    def name(self) -> str | None: ...
    @property
    def streak(self) -> WeekStreak: ...


class NamedHabit(Protocol):
    """A skill's habit strength."""

    @property
    def name(self) -> str: ...
    @property
    def strength(self) -> float: ...


def frozen_phrase(freeze: FrozenStreak) -> str:
    """'41 days, 2 frozen' ('41 days' without frozen days)."""
    days = plural(freeze.current, "day")
    return f"{days}, {freeze.frozen} frozen" if freeze.frozen else days


def freeze_lines(freeze: FrozenStreak, today: date) -> list[str]:
    """Which missed days a freeze covered lately, and how many are banked."""
    lines = []
    recent = [d for d in freeze.frozen_days if d >= today - timedelta(days=7)]
    if recent:
        when = ", ".join(
            "yesterday" if d == today - timedelta(days=1) else short_date(d) for d in recent
        )
        lines.append(f"❄️ A streak freeze covered {when}, so the streak lives on.")
    lines.append(
        f"❄️ Freezes banked: {freeze.banked} of {MAX_FREEZES} — you earn one for every 7 days "
        "of streak; a missed day uses one automatically."
    )
    return lines


def goal_streak_line(item: NamedGoalStreak) -> str:
    """'🎯 React: goal met 6 weeks in a row' (or how the week in progress stands)."""
    label = "All skills" if item.name is None else esc(item.name)
    s = item.streak
    if s.weeks == 0 and s.longest == 0:
        return f"🎯 {label}: no week with the goal met yet — this one can be the first"
    if s.weeks == 0:
        return f"🎯 {label}: weekly goal not met last week — this week starts a new run"
    suffix = "" if s.this_week_met else " (this week still to do)"
    return f"🎯 {label}: goal met {plural(s.weeks, 'week')} in a row{suffix}"


def habit_line(habits: Sequence[NamedHabit]) -> str:
    """'💪 Habit strength: React 84% · Chess 40%'."""
    shown = habits[:MAX_HABITS]
    parts = [f"{esc(h.name)} {round(h.strength * 100)}%" for h in shown]
    more = f" · +{len(habits) - len(shown)} more" if len(habits) > len(shown) else ""
    return "💪 Habit strength: " + " · ".join(parts) + more
