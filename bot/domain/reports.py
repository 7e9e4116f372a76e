"""What /stats, /progress and /streak show: the results the insight services assemble."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.analytics import Frequency, PeriodSummary, PeriodTotals, Totals, WeekdayPattern
from bot.domain.progress import Progress, ProgressPoint, SkillActivity
from bot.domain.skills import SkillRef
from bot.domain.streaks import Streak

PATTERN_WEEKS = 26


class StatsPeriod(StrEnum):
    """What /stats covers."""

    WEEK = "week"
    MONTH = "month"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class SkillProgress:
    """One skill's progress now, the activity behind it, and its weekly history."""

    skill: SkillRef
    activity: SkillActivity
    progress: Progress
    history: list[ProgressPoint]


@dataclass(frozen=True, slots=True)
class StatsReport:
    """Everything /stats shows for one period."""

    period: StatsPeriod
    today: date
    start: date | None
    totals: Totals
    frequency: Frequency
    summary: PeriodSummary
    pattern: WeekdayPattern
    timeline: list[PeriodTotals]  # one per day, week or month of the timeline


@dataclass(frozen=True, slots=True)
class SkillStreak:
    """One skill's streak."""

    skill_id: int
    name: str
    streak: Streak


@dataclass(frozen=True, slots=True)
class StreakReport:
    """The overall streak, each practised skill's, and this week's practice days."""

    overall: Streak
    skills: list[SkillStreak]
    week_start: date
    week: list[bool]
