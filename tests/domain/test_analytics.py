"""Analytics over daily aggregates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.analytics import (
    OTHER_SKILLS,
    DailySkillTotal,
    DayTotal,
    Period,
    SkillTotals,
    daily_series,
    frequency,
    frequency_from_daily,
    period_bounds,
    period_summary,
    series_window_start,
    totals,
    totals_from_skills,
    week_start_of,
    weekday_pattern,
    weekly_series,
    with_names,
)

TODAY = date(2025, 6, 18)  # Wednesday


def row(day: date, skill: int = 1, minutes: int = 30, sessions: int = 1) -> DailySkillTotal:
    names = {1: "Guitar", 2: "Spanish", 3: "SQL"}
    return DailySkillTotal(day, skill, names.get(skill, f"Skill {skill}"), minutes, sessions)


def test_totals_per_skill_and_overall() -> None:
    rows = [
        row(TODAY, 1, 60, 2),
        row(TODAY - timedelta(days=1), 1, 30, 1),
        row(TODAY, 2, 100, 1),
        row(TODAY - timedelta(days=40), 3, 500, 5),
    ]
    result = totals(rows, start=TODAY - timedelta(days=30), end=TODAY)
    assert [s.skill_name for s in result.skills] == ["Spanish", "Guitar"]
    guitar = result.skills[1]
    assert (guitar.minutes, guitar.sessions) == (90, 3)
    assert guitar.average_session_minutes == pytest.approx(30)
    assert result.overall.minutes == 190
    assert result.overall.sessions == 4
    assert result.overall.skill_id is None
    assert result.overall.average_session_minutes == pytest.approx(47.5)


def test_totals_empty() -> None:
    result = totals([])
    assert result.skills == ()
    assert result.overall.minutes == 0
    assert result.overall.average_session_minutes == 0


def test_totals_from_sql_skill_rows() -> None:
    result = totals_from_skills([SkillTotals(1, "b", 10, 1), SkillTotals(2, "A", 10, 2)])
    assert [s.skill_name for s in result.skills] == ["A", "b"]
    assert result.overall.sessions == 3


def test_frequency() -> None:
    freq = frequency(sessions=12, active_days=8, start=TODAY - timedelta(days=27), end=TODAY)
    assert freq.days == 28
    assert freq.sessions_per_week == pytest.approx(3)
    assert freq.active_days_per_week == pytest.approx(2)


def test_frequency_short_window_is_not_extrapolated() -> None:
    freq = frequency(sessions=2, active_days=1, start=TODAY, end=TODAY)
    assert freq.sessions_per_week == 2


def test_frequency_from_daily_counts_distinct_days() -> None:
    rows = [row(TODAY, 1), row(TODAY, 2), row(TODAY - timedelta(days=3), 1, sessions=2)]
    freq = frequency_from_daily(rows, TODAY - timedelta(days=6), TODAY)
    assert (freq.sessions, freq.active_days) == (4, 2)


def test_period_bounds_week_and_month() -> None:
    assert period_bounds(Period.WEEK, TODAY) == (
        (date(2025, 6, 16), TODAY),
        (date(2025, 6, 9), date(2025, 6, 15)),
    )
    assert period_bounds(Period.WEEK, TODAY, week_start=6) == (
        (date(2025, 6, 15), TODAY),
        (date(2025, 6, 8), date(2025, 6, 14)),
    )
    assert period_bounds(Period.MONTH, date(2025, 3, 31)) == (
        (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
    )
    assert period_bounds(Period.MONTH, date(2025, 1, 5))[1] == (
        date(2024, 12, 1),
        date(2024, 12, 31),
    )


def test_week_summary_compares_to_same_point_last_week() -> None:
    rows = [
        row(date(2025, 6, 16), minutes=60),  # this Monday
        row(date(2025, 6, 18), minutes=60),  # today
        row(date(2025, 6, 9), minutes=40),  # last Monday
        row(date(2025, 6, 14), minutes=200),  # last Saturday: after "the same point"
    ]
    summary = period_summary(rows, TODAY, Period.WEEK)
    assert summary.current.minutes == 120
    assert summary.previous.minutes == 240
    assert summary.previous_to_date.end == date(2025, 6, 11)
    assert summary.previous_to_date.minutes == 40
    assert summary.minutes_change_percent == pytest.approx(200)
    assert summary.sessions_change_percent == pytest.approx(100)
    assert summary.current.active_days == 2


def test_month_summary_on_last_day_compares_whole_months() -> None:
    today = date(2025, 3, 31)
    rows = [row(date(2025, 3, 31), minutes=90), row(date(2025, 2, 28), minutes=60)]
    summary = period_summary(rows, today, Period.MONTH)
    assert summary.previous_to_date == summary.previous
    assert summary.minutes_change_percent == pytest.approx(50)


def test_summary_without_previous_has_no_change() -> None:
    summary = period_summary([row(TODAY)], TODAY, Period.MONTH)
    assert summary.minutes_change_percent is None
    assert summary.sessions_change_percent is None


def test_weekday_pattern_top_weekday() -> None:
    saturdays = [row(date(2025, 6, 14) - timedelta(weeks=w), minutes=90) for w in range(3)]
    others = [row(date(2025, 6, 16), minutes=30), row(date(2025, 6, 17), minutes=30)]
    pattern = weekday_pattern(saturdays + others)
    assert pattern.minutes[5] == 270
    assert pattern.active_days[5] == 3
    assert pattern.top_weekday == 5
    assert pattern.top_phrase == "Saturdays"


def test_weekday_pattern_needs_enough_data() -> None:
    assert weekday_pattern([row(date(2025, 6, 14), minutes=90)]).top_phrase is None


def test_weekday_pattern_tie_has_no_favourite() -> None:
    rows = [row(date(2025, 6, 9) + timedelta(days=i), minutes=30) for i in range(7)]
    assert weekday_pattern(rows).top_weekday is None


def test_week_helpers() -> None:
    assert week_start_of(TODAY) == date(2025, 6, 16)
    assert week_start_of(TODAY, 6) == date(2025, 6, 15)
    assert series_window_start(TODAY, 12) == date(2025, 6, 16) - timedelta(weeks=11)


def test_weekly_series_by_skill() -> None:
    rows = [
        row(TODAY, 1, 30),
        row(date(2025, 6, 16), 1, 20),
        row(date(2025, 6, 15), 2, 45),  # Sunday: previous week with a Monday start
        row(series_window_start(TODAY, 12), 1, 10),  # first day of the first week
        row(series_window_start(TODAY, 12) - timedelta(days=1), 3, 999),  # outside
    ]
    series = weekly_series(rows, TODAY)
    assert len(series.week_starts) == 12
    assert series.week_starts[-1] == date(2025, 6, 16)
    assert [s.skill_name for s in series.skills] == ["Guitar", "Spanish"]
    assert series.skills[0].minutes[-1] == 50
    assert series.skills[0].minutes[0] == 10
    assert series.skills[1].minutes[-2] == 45
    assert series.totals[-1] == 50
    assert not series.is_empty


def test_weekly_series_groups_small_skills_as_other() -> None:
    rows = [row(TODAY, skill, minutes=100 - skill) for skill in range(1, 10)]
    series = weekly_series(rows, TODAY, max_skills=4)
    assert len(series.skills) == 4
    assert series.skills[-1].skill_id is None
    assert series.skills[-1].skill_name == OTHER_SKILLS
    assert series.skills[-1].minutes[-1] == sum(100 - s for s in range(4, 10))
    assert sum(series.totals) == sum(100 - s for s in range(1, 10))


def test_weekly_series_empty() -> None:
    series = weekly_series([], TODAY)
    assert series.skills == ()
    assert series.totals == (0,) * 12
    assert series.is_empty


def test_daily_series_for_heatmap() -> None:
    rows = [row(TODAY, 1, 30), row(TODAY, 2, 15), row(date(2025, 1, 1), 1, 60)]
    series = daily_series(rows, TODAY)
    assert series.start == date(2025, 6, 16) - timedelta(weeks=25)
    assert series.start.weekday() == 0
    assert series.end == TODAY
    assert len(series.minutes) == (TODAY - series.start).days + 1
    assert series.weeks == 26
    assert series.minutes[-1] == 45
    assert series.minutes[(date(2025, 1, 1) - series.start).days] == 60
    assert daily_series([], TODAY).is_empty


def test_day_totals_take_their_skills_names() -> None:
    totals = [DayTotal(TODAY, 1, 30, 1), DayTotal(TODAY, 9, 5, 2)]
    assert with_names(totals, {1: "Guitar"}) == [
        DailySkillTotal(TODAY, 1, "Guitar", 30, 1),
        DailySkillTotal(TODAY, 9, "?", 5, 2),
    ]
