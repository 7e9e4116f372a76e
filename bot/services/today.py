"""/today's plan: the user's skills ranked by what needs practice now (bot.domain.today).

Five small reads: the user's goals and skills, their saved next focuses, and two bounded
aggregates over the sessions of the last weeks (daily totals per skill, mean confidence per
skill), however long the history is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.analytics import DayTotal
from bot.domain.goals import EMPTY_WEEK, week_activities
from bot.domain.skills import SkillRef
from bot.domain.today import (
    CONFIDENCE_WINDOW_DAYS,
    RHYTHM_WINDOW_DAYS,
    SkillSignals,
    Suggestion,
    rank,
)
from bot.domain.weeks import days_left_in_week, user_week_start, week_of
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class TodayPlan:
    """The ranked suggestions and the week they were measured in."""

    suggestions: list[Suggestion]
    week_first: date
    week_last: date
    days_left: int


async def today_plan(uow: UnitOfWork, user_id: int, today: date) -> TodayPlan:
    """Every active skill with its most pressing reason, most pressing first."""
    found = await uow.goals.user_goals(user_id)
    week_start = user_week_start(found.week_start, found.timezone)
    first, last = week_of(today, week_start)
    rhythm_start = today - timedelta(days=RHYTHM_WINDOW_DAYS - 1)
    rows = await uow.analytics.daily_totals(user_id, min(first, rhythm_start), today)
    confidence = await uow.coach.recent_confidence(
        user_id, today - timedelta(days=CONFIDENCE_WINDOW_DAYS - 1)
    )
    focuses = await uow.timers.next_focus_by_skill(user_id)
    weeks = week_activities(rows, first, today)
    recent: dict[int, list[DayTotal]] = defaultdict(list)
    for row in rows:
        if row.day >= rhythm_start:
            recent[row.skill_id].append(row)
    signals = [
        SkillSignals(
            skill_id=skill.skill_id,
            name=skill.name,
            goals=skill.goals,
            week=weeks.get(skill.skill_id, EMPTY_WEEK),
            last_practised=max((r.day for r in recent[skill.skill_id]), default=None),
            active_days=len({r.day for r in recent[skill.skill_id]}),
            recent_minutes=sum(r.minutes for r in recent[skill.skill_id]),
            confidence=confidence.get(skill.skill_id),
            next_focus=focuses.get(skill.skill_id),
        )
        for skill in found.skills
    ]
    days_left = days_left_in_week(today, week_start)
    return TodayPlan(rank(signals, today, days_left), first, last, days_left)


async def ranked_skills(uow: UnitOfWork, user_id: int, today: date) -> list[SkillRef]:
    """The user's active skills in /today's order, for Quick Log buttons under reminders."""
    plan = await today_plan(uow, user_id, today)
    return [SkillRef(s.skill_id, s.name) for s in plan.suggestions]
