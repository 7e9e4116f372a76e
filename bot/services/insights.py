"""Progress, stats and streak reports: bounded SQL aggregates turned into domain results.

Each loader runs a handful of aggregate queries (see storage/repositories/analytics.py) and
hands the rows to the pure functions in bot/domain; none of them reads session rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from bot.domain.analytics import (
    DailySeries,
    DayTotal,
    Period,
    SkillTotals,
    WeeklySeries,
    daily_series,
    frequency,
    frequency_from_daily,
    period_bounds,
    period_summary,
    period_totals,
    series_window_start,
    totals,
    totals_from_skills,
    week_start_of,
    weekday_pattern,
    weekly_series,
    with_names,
)
from bot.domain.monthly import monthly_series
from bot.domain.progress import (
    TREND_WINDOW_WEEKS,
    ActivityBaseline,
    activity_as_of,
    compute_progress,
    history_days,
    progress_history,
)
from bot.domain.reports import (
    PATTERN_WEEKS,
    SkillProgress,
    SkillStreak,
    StatsPeriod,
    StatsReport,
    StreakReport,
)
from bot.domain.skills import SkillRef
from bot.domain.streaks import Streak, days_practised_this_week, streak_from_runs
from storage.repositories.analytics import ALL_SKILLS, Island, SkillTotalsRow
from storage.uow import UnitOfWork

HISTORY_WEEKS = 12
TIMELINE_MONTHS = 12
WEEKLY_CHART_WEEKS = 12
HEATMAP_WEEKS = 26


# --- progress ---------------------------------------------------------------------------


async def skill_progress(
    uow: UnitOfWork, user_id: int, skill: SkillRef, today: date
) -> SkillProgress:
    """Progress of one of the user's skills as of today, with 12 weeks of history."""
    days = history_days(today, HISTORY_WEEKS)
    # Each history point looks back 8 weeks (consistency and trend), so the window starts there.
    window_start = days[0] - timedelta(weeks=TREND_WINDOW_WEEKS)
    [totals_row] = await uow.analytics.skill_totals(user_id, skill.skill_id)
    # Open-ended: a date "after today" (possible after a time-zone change) is dropped by
    # activity_as_of instead of being counted in the baseline.
    rows = await uow.analytics.daily_totals(user_id, window_start, None, skill.skill_id)
    baseline = await _baseline(uow, user_id, totals_row, rows, window_start)
    activity = activity_as_of(today, baseline, rows)
    return SkillProgress(
        skill=skill,
        activity=activity,
        progress=compute_progress(activity, today),
        history=progress_history(baseline, rows, days),
    )


async def _baseline(
    uow: UnitOfWork,
    user_id: int,
    totals_row: SkillTotalsRow,
    daily: Sequence[DayTotal],
    window_start: date,
) -> ActivityBaseline:
    """Everything before the window: all-time totals minus what the window holds."""
    sessions = totals_row.sessions - sum(r.sessions for r in daily)
    if sessions <= 0:
        return ActivityBaseline()
    first = totals_row.first_practiced
    return ActivityBaseline(
        sessions=sessions,
        total_minutes=totals_row.minutes - sum(r.minutes for r in daily),
        first_practiced=first if first is not None and first < window_start else None,
        last_practiced=await uow.analytics.last_practiced_before(
            user_id, totals_row.skill_id, window_start
        ),
    )


# --- stats ------------------------------------------------------------------------------


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _next_month(day: date) -> date:
    return _month_start(day, -1)


def _timeline_bounds(period: StatsPeriod, today: date, week_start: int) -> list[tuple[date, date]]:
    if period is StatsPeriod.WEEK:
        start = week_start_of(today, week_start)
        return [(start + timedelta(days=i),) * 2 for i in range((today - start).days + 1)]
    if period is StatsPeriod.MONTH:
        month = today.replace(day=1)
        bounds = []
        week = week_start_of(month, week_start)
        while week <= today:
            bounds.append((max(week, month), min(week + timedelta(days=6), today)))
            week += timedelta(weeks=1)
        return bounds
    bounds = []
    for back in range(TIMELINE_MONTHS - 1, -1, -1):
        first = _month_start(today, back)
        bounds.append((first, min(_next_month(first) - timedelta(days=1), today)))
    return bounds


async def stats_report(
    uow: UnitOfWork, user_id: int, today: date, period: StatsPeriod, week_start: int = 0
) -> StatsReport:
    """Totals, frequency, this period against the last, weekday pattern and timeline."""
    summary_period = Period.WEEK if period is StatsPeriod.WEEK else Period.MONTH
    (start, _), (previous_start, _) = period_bounds(summary_period, today, week_start)
    pattern_start = series_window_start(today, PATTERN_WEEKS, week_start)
    timeline = _timeline_bounds(period, today, week_start)
    window_start = min(previous_start, pattern_start, timeline[0][0])
    names = {s.skill_id: s.name for s in await uow.analytics.skills(user_id)}
    rows = with_names(await uow.analytics.daily_totals(user_id, window_start, today), names)
    pattern = weekday_pattern(r for r in rows if r.day >= pattern_start)
    summary = period_summary(rows, today, summary_period, week_start)
    if period is StatsPeriod.ALL:
        all_time = [
            SkillTotals(s.skill_id, s.name, s.minutes, s.sessions)
            for s in await uow.analytics.skill_totals(user_id)
            if s.sessions > 0
        ]
        days = await uow.analytics.practice_days(user_id)
        report_totals = totals_from_skills(all_time)
        report_frequency = frequency(
            report_totals.overall.sessions, days.count, days.first or today, today
        )
        report_start: date | None = days.first
    else:
        report_totals = totals(rows, start, today)
        report_frequency = frequency_from_daily(rows, start, today)
        report_start = start
    return StatsReport(
        period=period,
        today=today,
        start=report_start,
        totals=report_totals,
        frequency=report_frequency,
        summary=summary,
        pattern=pattern,
        timeline=[period_totals(rows, first, last) for first, last in timeline],
    )


async def weekly_chart_series(
    uow: UnitOfWork, user_id: int, today: date, week_start: int = 0
) -> WeeklySeries:
    """Minutes per week by skill for the last 12 weeks (stacked-bar chart input)."""
    start = series_window_start(today, WEEKLY_CHART_WEEKS, week_start)
    names = {s.skill_id: s.name for s in await uow.analytics.skills(user_id)}
    rows = with_names(await uow.analytics.daily_totals(user_id, start, today), names)
    return weekly_series(rows, today, WEEKLY_CHART_WEEKS, week_start)


async def monthly_chart_series(uow: UnitOfWork, user_id: int, today: date) -> WeeklySeries:
    """Minutes per month by skill since the first session (the all-time chart's input)."""
    names = {s.skill_id: s.name for s in await uow.analytics.skills(user_id)}
    return monthly_series(await uow.coach.monthly_minutes(user_id, today), names, today)


async def heatmap_series(
    uow: UnitOfWork, user_id: int, today: date, week_start: int = 0
) -> DailySeries:
    """Minutes per day over the last 26 weeks (calendar heatmap input)."""
    start = series_window_start(today, HEATMAP_WEEKS, week_start)
    rows = await uow.analytics.daily_totals(user_id, start, today)
    return daily_series(with_names(rows, {}), today, HEATMAP_WEEKS, week_start)


# --- streaks ----------------------------------------------------------------------------


def _streaks_by_group(islands: Iterable[Island], today: date) -> dict[int, Streak]:
    runs: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for island in islands:
        runs[island.skill_id].append((island.start, island.end))
    return {group: streak_from_runs(found, today) for group, found in runs.items()}


async def streak_report(
    uow: UnitOfWork, user_id: int, today: date, week_start: int = 0
) -> StreakReport:
    """Current and longest streaks, overall and per skill, and this week's days."""
    per_skill = _streaks_by_group(await uow.analytics.streak_islands(user_id, today), today)
    overall = per_skill.pop(ALL_SKILLS, None) or streak_from_runs((), today)
    names = {s.skill_id: s.name for s in await uow.analytics.skills(user_id)}
    skills = sorted(
        (SkillStreak(sid, names.get(sid, "?"), streak) for sid, streak in per_skill.items()),
        key=lambda s: (-s.streak.current, -s.streak.longest, s.name.casefold()),
    )
    first = week_start_of(today, week_start)
    dates = await uow.analytics.practice_dates(user_id, first, today)
    return StreakReport(
        overall=overall,
        skills=skills,
        week_start=first,
        week=days_practised_this_week(dates, today, week_start),
    )
