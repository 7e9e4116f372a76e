"""Progress engine: spec examples, documented thresholds and invariants."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.analytics import DayTotal
from bot.domain.progress import (
    ADVANCED_FROM,
    INTERMEDIATE_FROM,
    ActivityBaseline,
    ComponentKind,
    SkillActivity,
    Stage,
    Trend,
    activity_as_of,
    activity_from_daily,
    compute_progress,
    history_days,
    progress_history,
    recency_factor,
    stage_for,
)

TODAY = date(2025, 6, 15)
SKILL = 1  # the one skill whose day totals feed the engine


def _activity(
    sessions: int,
    minutes: int,
    active_days: int,
    gap: int | None = 0,
    weekly: tuple[int, ...] = (),
) -> SkillActivity:
    last = None if gap is None else TODAY - timedelta(days=gap)
    return SkillActivity(
        sessions=sessions,
        total_minutes=minutes,
        first_practiced=date(2025, 1, 1) if sessions else None,
        last_practiced=last,
        active_days_recent=active_days,
        weekly_minutes=weekly,
    )


@pytest.mark.parametrize("gap", [0, 3, 7])
def test_spec_example_weekly_practice_is_45_percent_intermediate(gap: int) -> None:
    # 10 sessions, 15 hours, one practice day a week (4 of the last 28), last session this week.
    progress = compute_progress(_activity(10, 15 * 60, 4, gap, (120,) * 8), TODAY)
    assert progress.percent == pytest.approx(45, abs=2)
    assert progress.stage is Stage.INTERMEDIATE


@pytest.mark.parametrize("active_days", [27, 28])
def test_spec_example_daily_practice_is_85_percent_advanced(active_days: int) -> None:
    progress = compute_progress(_activity(50, 80 * 60, active_days, 0, (600,) * 8), TODAY)
    assert progress.percent == pytest.approx(85, abs=2)
    assert progress.stage is Stage.ADVANCED
    assert progress.next_stage is None


def test_components_sum_to_percent_and_are_named() -> None:
    progress = compute_progress(_activity(20, 1800, 6, 30, (60,) * 8), TODAY)
    kinds = [c.kind for c in progress.components]
    assert kinds == [
        ComponentKind.VOLUME,
        ComponentKind.EXPERIENCE,
        ComponentKind.CONSISTENCY,
        ComponentKind.RECENCY,
    ]
    assert math.isclose(sum(c.points for c in progress.components), progress.percent)
    recency = progress.components[-1]
    assert recency.points < 0
    assert recency.value == 30
    assert progress.days_since_last == 30


def test_no_practice_is_zero_beginner() -> None:
    progress = compute_progress(_activity(0, 0, 0, None), TODAY)
    assert progress.percent == 0
    assert progress.stage is Stage.BEGINNER
    assert progress.trend is Trend.MAINTAINING
    assert progress.next_stage is not None
    assert progress.next_stage.days is None
    assert progress.components[-1].points == 0.0
    assert not math.copysign(1.0, progress.components[-1].points) < 0


@pytest.mark.parametrize(
    ("percent", "stage"),
    [
        (0, Stage.BEGINNER),
        (INTERMEDIATE_FROM - 0.01, Stage.BEGINNER),
        (INTERMEDIATE_FROM, Stage.INTERMEDIATE),
        (ADVANCED_FROM - 0.01, Stage.INTERMEDIATE),
        (ADVANCED_FROM, Stage.ADVANCED),
        (100, Stage.ADVANCED),
    ],
)
def test_stage_thresholds(percent: float, stage: Stage) -> None:
    assert stage_for(percent) is stage


@pytest.mark.parametrize(
    ("gap", "factor"),
    [(None, 0.5), (0, 0.0), (7, 0.0), (8, 0.01), (37, 0.3), (57, 0.5), (400, 0.5)],
)
def test_recency_factor(gap: int | None, factor: float) -> None:
    assert recency_factor(gap) == pytest.approx(factor)


def test_future_last_practice_counts_as_today() -> None:
    progress = compute_progress(_activity(5, 300, 5, -2), TODAY)
    assert progress.days_since_last == 0


@pytest.mark.parametrize(
    ("weekly", "trend"),
    [
        ((100, 100, 100, 100, 150, 150, 150, 150), Trend.IMPROVING),
        ((100, 100, 100, 100, 110, 100, 100, 100), Trend.MAINTAINING),
        ((100, 100, 100, 100, 50, 50, 50, 50), Trend.DECLINING),
        ((0, 0, 0, 0, 0, 0, 0, 30), Trend.IMPROVING),
        ((), Trend.MAINTAINING),
        ((30, 30), Trend.IMPROVING),  # shorter history: the missing weeks are zero
        ((999, 999, 0, 0, 0, 0, 0, 0, 0, 0), Trend.MAINTAINING),  # only the last 8 count
    ],
)
def test_trend(weekly: tuple[int, ...], trend: Trend) -> None:
    assert compute_progress(_activity(10, 600, 4, 0, weekly), TODAY).trend is trend


def test_next_stage_estimate_at_current_pace() -> None:
    # Spec example 1 practising 2 h a week on one day a week.
    progress = compute_progress(_activity(10, 900, 4, 0, (120,) * 8), TODAY)
    nxt = progress.next_stage
    assert nxt is not None
    assert nxt.stage is Stage.ADVANCED
    assert nxt.points_needed == pytest.approx(ADVANCED_FROM - progress.percent)
    assert nxt.days is not None
    assert nxt.extra_minutes is not None
    assert nxt.extra_sessions is not None
    # Reaching Advanced with the accumulated extra practice, and not a day earlier.
    pace = 480 / 28
    later = compute_progress(
        _activity(10 + nxt.extra_sessions, int(900 + nxt.days * pace), 4, 0), TODAY
    )
    assert later.percent >= ADVANCED_FROM - 0.5
    earlier = compute_progress(
        _activity(10 + (nxt.days - 1) * 4 // 28, int(900 + (nxt.days - 1) * pace), 4, 0), TODAY
    )
    assert earlier.percent < ADVANCED_FROM


def test_next_stage_none_days_without_recent_pace() -> None:
    nxt = compute_progress(_activity(3, 120, 0, 40, (0,) * 8), TODAY).next_stage
    assert nxt is not None
    assert nxt.stage is Stage.INTERMEDIATE
    assert nxt.days is None


def test_next_stage_unreachable_at_tiny_consistency() -> None:
    # One practice day in 4 weeks: volume + experience + consistency can't quite reach 70.
    nxt = compute_progress(_activity(10, 900, 1, 0, (0, 0, 0, 0, 0, 0, 0, 5)), TODAY).next_stage
    assert nxt is not None
    assert nxt.stage is Stage.ADVANCED
    assert nxt.days is None


def test_invalid_activity_rejected() -> None:
    with pytest.raises(ValueError, match="active_days_recent"):
        _activity(1, 10, 29)
    with pytest.raises(ValueError, match=">= 0"):
        _activity(-1, 10, 1)


def test_activity_from_daily_buckets_and_active_days() -> None:
    daily = [
        DayTotal(TODAY, SKILL, 30, 1),
        DayTotal(TODAY - timedelta(days=6), SKILL, 20, 2),  # still the newest 7-day bucket
        DayTotal(TODAY - timedelta(days=7), SKILL, 10, 1),  # previous bucket
        DayTotal(TODAY - timedelta(days=27), SKILL, 5, 1),  # last day of the 28-day window
        DayTotal(TODAY - timedelta(days=28), SKILL, 7, 1),  # outside the 28-day window
        DayTotal(TODAY - timedelta(days=56), SKILL, 99, 1),  # outside the 8 weeks
    ]
    activity = activity_from_daily(
        sessions=40,
        total_minutes=2000,
        first_practiced=date(2024, 1, 1),
        last_practiced=TODAY,
        daily=daily,
        today=TODAY,
    )
    assert activity.active_days_recent == 4
    assert activity.weekly_minutes == (0, 0, 0, 7, 5, 0, 10, 50)


def test_activity_as_of_and_history() -> None:
    baseline = ActivityBaseline(5, 300, date(2025, 1, 2), date(2025, 2, 1))
    daily = [DayTotal(TODAY - timedelta(days=i), SKILL, 30, 1) for i in range(0, 60, 2)]
    past = activity_as_of(TODAY - timedelta(days=10), baseline, daily)
    assert past.sessions == 5 + 25
    assert past.total_minutes == 300 + 25 * 30
    assert past.first_practiced == date(2025, 1, 2)
    assert past.last_practiced == TODAY - timedelta(days=10)
    assert past.active_days_recent == 14
    days = history_days(TODAY, 4)
    assert days[0] == TODAY - timedelta(weeks=4)
    assert days[-1] == TODAY
    points = progress_history(baseline, daily, days)
    assert [p.day for p in points] == days
    assert all(0 <= p.percent <= 100 for p in points)
    assert points[-1].percent == pytest.approx(
        compute_progress(activity_as_of(TODAY, baseline, daily), TODAY).percent
    )
    assert [p.percent for p in points] == sorted(p.percent for p in points)


sessions_st = st.integers(min_value=0, max_value=5000)
minutes_st = st.integers(min_value=0, max_value=1_000_000)
active_st = st.integers(min_value=0, max_value=28)
gap_st = st.one_of(st.none(), st.integers(min_value=0, max_value=3000))
weekly_st = st.lists(st.integers(min_value=0, max_value=10_000), max_size=10).map(tuple)


@given(sessions_st, minutes_st, active_st, gap_st, weekly_st)
def test_property_bounded_and_components_sum(
    sessions: int, minutes: int, active: int, gap: int | None, weekly: tuple[int, ...]
) -> None:
    progress = compute_progress(_activity(sessions, minutes, active, gap, weekly), TODAY)
    assert 0 <= progress.percent <= 100
    assert math.isclose(sum(c.points for c in progress.components), progress.percent, abs_tol=1e-9)
    assert progress.stage is stage_for(progress.percent)


@given(sessions_st, st.integers(min_value=0, max_value=500), minutes_st, active_st, gap_st)
def test_property_more_sessions_never_lower(
    sessions: int, extra: int, minutes: int, active: int, gap: int | None
) -> None:
    fewer = compute_progress(_activity(sessions, minutes, active, gap), TODAY).percent
    more = compute_progress(_activity(sessions + extra, minutes, active, gap), TODAY).percent
    assert more >= fewer


@given(sessions_st, minutes_st, st.integers(min_value=0, max_value=50_000), active_st, gap_st)
def test_property_more_hours_never_lower(
    sessions: int, minutes: int, extra: int, active: int, gap: int | None
) -> None:
    less = compute_progress(_activity(sessions, minutes, active, gap), TODAY).percent
    more = compute_progress(_activity(sessions, minutes + extra, active, gap), TODAY).percent
    assert more >= less


@given(
    sessions_st,
    minutes_st,
    active_st,
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=3000),
)
def test_property_longer_gap_never_higher(
    sessions: int, minutes: int, active: int, gap: int, extra: int
) -> None:
    recent = compute_progress(_activity(sessions, minutes, active, gap), TODAY).percent
    older = compute_progress(_activity(sessions, minutes, active, gap + extra), TODAY).percent
    never = compute_progress(_activity(sessions, minutes, active, None), TODAY).percent
    assert older <= recent
    assert never <= older
