"""Coaching figures: freezes, weekly-goal streaks and habit strength from bounded aggregates.

Three reads however long the history: the overall runs of the last FREEZE_WINDOW_DAYS, the
user's goals, and a year of daily per-skill totals (a few rows per practice day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.analytics import DayTotal, week_start_of
from bot.domain.goals import EMPTY_WEEK, GoalSet, week_activities, week_met
from bot.domain.streak_rules import (
    HABIT_WINDOW_DAYS,
    FrozenStreak,
    WeekStreak,
    habit_strength,
    streak_with_freezes,
    weekly_goal_streak,
)
from bot.domain.weeks import user_week_start
from storage.uow import UnitOfWork

# Streaks longer than this show as this long; it keeps the runs query bounded.
FREEZE_WINDOW_DAYS = 400
GOAL_STREAK_WEEKS = 52


@dataclass(frozen=True, slots=True)
class GoalStreak:
    """A skill's (``skill_id`` None: overall) weekly-goal streak."""

    skill_id: int | None
    name: str | None
    streak: WeekStreak


@dataclass(frozen=True, slots=True)
class Habit:
    """A skill's habit strength in [0, 1] and the days a week it is measured against."""

    skill_id: int
    name: str
    strength: float
    days_per_week: int


@dataclass(frozen=True, slots=True)
class CoachReport:
    """What /streak adds to the plain streak: freezes, goal streaks, habit strength."""

    freeze: FrozenStreak
    goal_streaks: list[GoalStreak]
    habits: list[Habit]


def target_days(goals: GoalSet) -> int:
    """Days a week a skill's habit is measured against: its day or session goal, else daily."""
    if goals.weekly_goal_days:
        return goals.weekly_goal_days
    if goals.weekly_goal_sessions:
        return min(7, goals.weekly_goal_sessions)
    return 7


def _goal_streak(
    rows: list[DayTotal], key: int | None, goals: GoalSet, first: date, today: date
) -> WeekStreak:
    finished = []
    start = first
    while start + timedelta(days=6) < today:
        week = week_activities(rows, start, start + timedelta(days=6)).get(key, EMPTY_WEEK)
        finished.append(bool(week_met(goals, week)))
        start += timedelta(days=7)
    current = week_activities(rows, start, today).get(key, EMPTY_WEEK)
    return weekly_goal_streak(finished, bool(week_met(goals, current)))


async def coach_report(uow: UnitOfWork, user_id: int, today: date) -> CoachReport:
    """Freezes on the overall streak, each weekly goal's streak, each skill's habit strength."""
    runs = await uow.coach.overall_runs(user_id, today - timedelta(days=FREEZE_WINDOW_DAYS), today)
    found = await uow.goals.user_goals(user_id)
    week_start = user_week_start(found.week_start, found.timezone)
    first = week_start_of(today, week_start) - timedelta(weeks=GOAL_STREAK_WEEKS)
    rows = await uow.analytics.daily_totals(user_id, first, today)
    # Only skills whose weekly goals exist get a goal streak; rows are grouped once per skill.
    by_skill: dict[int | None, list[DayTotal]] = defaultdict(list)
    for row in rows:
        by_skill[row.skill_id].append(row)
    goal_streaks = []
    if found.overall.weekly:
        goal_streaks.append(
            GoalStreak(None, None, _goal_streak(rows, None, found.overall, first, today))
        )
    for skill in found.skills:
        if skill.goals.weekly:
            streak = _goal_streak(
                by_skill[skill.skill_id], skill.skill_id, skill.goals, first, today
            )
            goal_streaks.append(GoalStreak(skill.skill_id, skill.name, streak))
    habit_since = today - timedelta(days=HABIT_WINDOW_DAYS + 7)
    habits = []
    for skill in found.skills:
        dates = [r.day for r in by_skill[skill.skill_id] if r.day >= habit_since]
        if dates:
            days = target_days(skill.goals)
            habits.append(
                Habit(skill.skill_id, skill.name, habit_strength(dates, today, days), days)
            )
    habits.sort(key=lambda h: (-h.strength, h.name.casefold()))
    return CoachReport(streak_with_freezes(runs, today), goal_streaks, habits)
