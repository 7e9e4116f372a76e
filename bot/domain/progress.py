"""Progress engine: turn a skill's practice aggregates into a percentage, a stage and a trend.

How the progress percentage is calculated
-----------------------------------------

Progress is the sum of three growing components and one recency penalty:

| Component   | Input                                   | Formula                       | Max |
|-------------|-----------------------------------------|-------------------------------|-----|
| Volume      | total hours practised `h`               | `40 * h / (h + 30)`           | 40  |
| Experience  | number of sessions `s`                  | `30 * (1 - exp(-s / 15))`     | 30  |
| Consistency | distinct practice days in last 28, `d`  | `30 * d / (d + 3)`            | 30  |
| Recency     | days since the last session, `g`        | `-(V + E + C) * r(g)`         | 0   |

- Volume: half of its 40 points come at 30 hours, and every further hour adds a little less.
- Experience: about two thirds of its 30 points come with 15 sessions.
- Consistency: practising 3 days in the last 4 weeks gives half of its 30 points; practising
  every day gives about 27.
- Recency: no penalty while the last session was at most 7 days ago; after that the score loses
  1% of itself per extra day, `r(g) = min(0.5, (g - 7) / 100)`, so a long break can at most halve
  it. Practising again removes the penalty at once.

The growing components saturate, so 100% is approached but never reached, and the total is
always within 0-100. More sessions or more hours never lower it; a longer gap never raises it.

Spec examples: 10 sessions, 15 hours, one practice day a week (4 of the last 28 days), last
session this week -> 13.3 + 14.6 + 17.1 = 45.1% (Intermediate). 50 sessions, 80 hours, practice
every day -> 29.1 + 28.9 + 27.1 = 85.1% (Advanced).

Stages: **Beginner** below 35%, **Intermediate** from 35% to below 70%, **Advanced** from 70%.

Trend: minutes in the last 4 weeks against the 4 weeks before. More than 15% up is
*improving*, more than 15% down is *declining*, anything between is *maintaining*; starting
from nothing counts as improving, nothing in both halves as maintaining.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.analytics import DayTotal

VOLUME_MAX = 40.0
VOLUME_HALF_HOURS = 30.0
EXPERIENCE_MAX = 30.0
EXPERIENCE_SCALE_SESSIONS = 15.0
CONSISTENCY_MAX = 30.0
CONSISTENCY_HALF_DAYS = 3.0
RECENT_DAYS = 28
RECENCY_GRACE_DAYS = 7
RECENCY_PENALTY_PER_DAY = 0.01
RECENCY_MAX_PENALTY = 0.5

INTERMEDIATE_FROM = 35.0
ADVANCED_FROM = 70.0

TREND_WEEKS = 4
TREND_WINDOW_WEEKS = 2 * TREND_WEEKS
TREND_THRESHOLD = 0.15

# Ten years: beyond this an estimate is no use to anyone, so we say "not at this pace".
ESTIMATE_HORIZON_DAYS = 3650


class Stage(StrEnum):
    """Skill stage derived from the progress percentage."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Trend(StrEnum):
    """Direction of recent practice volume."""

    IMPROVING = "improving"
    MAINTAINING = "maintaining"
    DECLINING = "declining"


class ComponentKind(StrEnum):
    """Named parts of the progress percentage."""

    VOLUME = "volume"
    EXPERIENCE = "experience"
    CONSISTENCY = "consistency"
    RECENCY = "recency"


@dataclass(frozen=True, slots=True)
class SkillActivity:
    """Aggregated practice of one skill, as SQL can produce it with bounded work.

    ``weekly_minutes`` holds minutes per 7-day bucket, oldest first, the last bucket ending
    today (see :func:`activity_from_daily`); only the last 8 are used.
    ``first_practiced`` is not part of the score; it is kept for display.
    """

    sessions: int
    total_minutes: int
    first_practiced: date | None
    last_practiced: date | None
    active_days_recent: int
    weekly_minutes: Sequence[int] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        """Reject impossible aggregates early: they are programming errors, not user input."""
        if self.sessions < 0 or self.total_minutes < 0:
            raise ValueError("sessions and total_minutes must be >= 0")
        if not 0 <= self.active_days_recent <= RECENT_DAYS:
            raise ValueError(f"active_days_recent must be within 0..{RECENT_DAYS}")
        if any(m < 0 for m in self.weekly_minutes):
            raise ValueError("weekly_minutes must be >= 0")


@dataclass(frozen=True, slots=True)
class Component:
    """One named contribution to the percentage.

    ``value`` is the component's input in its own unit: hours, sessions, active days in the
    last 28, or days since the last session (None when never practised). The recency component
    has ``max_points`` 0 and non-positive ``points``.
    """

    kind: ComponentKind
    points: float
    max_points: float
    value: float | None


@dataclass(frozen=True, slots=True)
class NextStage:
    """What it takes to reach the next stage, estimated at the recent pace.

    The estimate assumes the last 4 weeks' minutes per day continue, one session per active
    day, and the same consistency. ``days`` is None when there is no recent pace or the stage
    is out of reach at it within ten years.
    """

    stage: Stage
    points_needed: float
    days: int | None
    extra_minutes: int | None
    extra_sessions: int | None


@dataclass(frozen=True, slots=True)
class Progress:
    """Result of the progress engine; ``components`` sum to ``percent``."""

    percent: float
    stage: Stage
    trend: Trend
    trend_change: float | None
    components: tuple[Component, ...]
    next_stage: NextStage | None
    days_since_last: int | None


@dataclass(frozen=True, slots=True)
class ActivityBaseline:
    """Totals of everything before a window of :class:`DayTotal` rows."""

    sessions: int = 0
    total_minutes: int = 0
    first_practiced: date | None = None
    last_practiced: date | None = None


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """Progress percentage of one skill as of one day, for a chart."""

    day: date
    percent: float


def stage_for(percent: float) -> Stage:
    """Map a percentage to its stage using the documented thresholds."""
    if percent >= ADVANCED_FROM:
        return Stage.ADVANCED
    if percent >= INTERMEDIATE_FROM:
        return Stage.INTERMEDIATE
    return Stage.BEGINNER


def recency_factor(days_since_last: int | None) -> float:
    """Share of the score lost to a break (0 within the grace week, at most 0.5)."""
    if days_since_last is None:
        return RECENCY_MAX_PENALTY
    over = max(0, days_since_last - RECENCY_GRACE_DAYS)
    return min(RECENCY_MAX_PENALTY, over * RECENCY_PENALTY_PER_DAY)


def _growth_points(hours: float, sessions: float, active_days: int) -> tuple[float, float, float]:
    volume = VOLUME_MAX * hours / (hours + VOLUME_HALF_HOURS)
    experience = EXPERIENCE_MAX * (1.0 - math.exp(-sessions / EXPERIENCE_SCALE_SESSIONS))
    consistency = CONSISTENCY_MAX * active_days / (active_days + CONSISTENCY_HALF_DAYS)
    return volume, experience, consistency


def _score(hours: float, sessions: float, active_days: int, days_since_last: int | None) -> float:
    base = sum(_growth_points(hours, sessions, active_days))
    return min(100.0, max(0.0, base * (1.0 - recency_factor(days_since_last))))


def _trend(weekly_minutes: Sequence[int]) -> tuple[Trend, float | None]:
    window = list(weekly_minutes)[-TREND_WINDOW_WEEKS:]
    window = [0] * (TREND_WINDOW_WEEKS - len(window)) + window
    before = sum(window[:TREND_WEEKS])
    recent = sum(window[TREND_WEEKS:])
    if before == 0:
        return (Trend.IMPROVING if recent > 0 else Trend.MAINTAINING), None
    change = (recent - before) / before
    if change > TREND_THRESHOLD:
        return Trend.IMPROVING, change
    if change < -TREND_THRESHOLD:
        return Trend.DECLINING, change
    return Trend.MAINTAINING, change


def _next_stage(activity: SkillActivity, percent: float) -> NextStage | None:
    stage = stage_for(percent)
    if stage is Stage.ADVANCED:
        return None
    target_stage, target = (
        (Stage.INTERMEDIATE, INTERMEDIATE_FROM)
        if stage is Stage.BEGINNER
        else (Stage.ADVANCED, ADVANCED_FROM)
    )
    needed = target - percent
    recent_minutes = sum(list(activity.weekly_minutes)[-TREND_WEEKS:])
    minutes_per_day = recent_minutes / (TREND_WEEKS * 7)
    sessions_per_day = activity.active_days_recent / RECENT_DAYS
    if minutes_per_day <= 0 or sessions_per_day <= 0:
        return NextStage(target_stage, needed, None, None, None)

    def score_after(days: int) -> float:
        return _score(
            (activity.total_minutes + days * minutes_per_day) / 60.0,
            activity.sessions + days * sessions_per_day,
            activity.active_days_recent,
            0,
        )

    if score_after(ESTIMATE_HORIZON_DAYS) < target:
        return NextStage(target_stage, needed, None, None, None)
    # score_after is monotone in days, so a binary search finds the first day that reaches it.
    low, high = 1, ESTIMATE_HORIZON_DAYS
    while low < high:
        mid = (low + high) // 2
        if score_after(mid) >= target:
            high = mid
        else:
            low = mid + 1
    return NextStage(
        target_stage,
        needed,
        low,
        math.ceil(low * minutes_per_day),
        math.ceil(low * sessions_per_day),
    )


def compute_progress(activity: SkillActivity, today: date) -> Progress:
    """Compute percentage, stage, trend, components and next-stage estimate for one skill."""
    hours = activity.total_minutes / 60.0
    days_since_last = (
        None if activity.last_practiced is None else max(0, (today - activity.last_practiced).days)
    )
    volume, experience, consistency = _growth_points(
        hours, activity.sessions, activity.active_days_recent
    )
    base = volume + experience + consistency
    # "0.0 - x" rather than "-x": a zero penalty must not render as "-0".
    penalty = 0.0 - base * recency_factor(days_since_last)
    percent = min(100.0, max(0.0, base + penalty))
    trend, change = _trend(activity.weekly_minutes)
    components = (
        Component(ComponentKind.VOLUME, volume, VOLUME_MAX, hours),
        Component(ComponentKind.EXPERIENCE, experience, EXPERIENCE_MAX, activity.sessions),
        Component(
            ComponentKind.CONSISTENCY, consistency, CONSISTENCY_MAX, activity.active_days_recent
        ),
        Component(
            ComponentKind.RECENCY,
            penalty,
            0.0,
            None if days_since_last is None else float(days_since_last),
        ),
    )
    return Progress(
        percent=percent,
        stage=stage_for(percent),
        trend=trend,
        trend_change=change,
        components=components,
        next_stage=_next_stage(activity, percent),
        days_since_last=days_since_last,
    )


def _weekly_buckets(daily: Sequence[DayTotal], end: date, weeks: int) -> tuple[int, ...]:
    buckets = [0] * weeks
    for row in daily:
        age = (end - row.day).days
        if 0 <= age < weeks * 7:
            buckets[weeks - 1 - age // 7] += row.minutes
    return tuple(buckets)


def _active_days(daily: Sequence[DayTotal], end: date) -> int:
    return len({r.day for r in daily if 0 <= (end - r.day).days < RECENT_DAYS and r.sessions > 0})


def activity_from_daily(
    *,
    sessions: int,
    total_minutes: int,
    first_practiced: date | None,
    last_practiced: date | None,
    daily: Iterable[DayTotal],
    today: date,
    weeks: int = TREND_WINDOW_WEEKS,
) -> SkillActivity:
    """Build a SkillActivity from overall totals plus daily totals of the last ``weeks`` weeks."""
    rows = list(daily)
    return SkillActivity(
        sessions=sessions,
        total_minutes=total_minutes,
        first_practiced=first_practiced,
        last_practiced=last_practiced,
        active_days_recent=_active_days(rows, today),
        weekly_minutes=_weekly_buckets(rows, today, weeks),
    )


def activity_as_of(
    day: date, baseline: ActivityBaseline, daily: Sequence[DayTotal]
) -> SkillActivity:
    """Reconstruct a skill's activity as it stood at the end of ``day``.

    ``daily`` must cover every practice day after the baseline up to ``day``, and at least the
    8 weeks before ``day`` for consistency and trend to be exact.
    """
    upto = [r for r in daily if r.day <= day]
    days_with_practice = [r.day for r in upto if r.sessions > 0]
    firsts = [d for d in (baseline.first_practiced, *days_with_practice) if d is not None]
    lasts = [d for d in (baseline.last_practiced, *days_with_practice) if d is not None]
    return activity_from_daily(
        sessions=baseline.sessions + sum(r.sessions for r in upto),
        total_minutes=baseline.total_minutes + sum(r.minutes for r in upto),
        first_practiced=min(firsts, default=None),
        last_practiced=max(lasts, default=None),
        daily=upto,
        today=day,
    )


def progress_history(
    baseline: ActivityBaseline, daily: Sequence[DayTotal], days: Iterable[date]
) -> list[ProgressPoint]:
    """Progress percentage as of each of ``days``, for the progress-over-time chart."""
    return [
        ProgressPoint(d, compute_progress(activity_as_of(d, baseline, daily), d).percent)
        for d in days
    ]


def history_days(today: date, weeks: int = 12) -> list[date]:
    """Weekly sample dates ending today, oldest first (``weeks + 1`` points)."""
    return [today - timedelta(weeks=w) for w in range(weeks, -1, -1)]
