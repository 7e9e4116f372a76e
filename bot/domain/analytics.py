"""Practice analytics from daily aggregates: totals, frequency, period summaries, patterns, series.

Every function takes rows of :class:`DailySkillTotal` (one per local date and skill, as a SQL
``GROUP BY practiced_on, skill_id`` returns them) for a bounded window, and ``today`` in the
user's time zone. Rows outside the range a function needs are ignored, so one query over the
widest window (:func:`series_window_start`) can feed all of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

WEEKDAY_PLURALS = (
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
)
OTHER_SKILLS = "Other"


@dataclass(frozen=True, slots=True)
class DayTotal:
    """Minutes and sessions of one skill on one local date (a daily GROUP BY row)."""

    day: date
    skill_id: int
    minutes: int
    sessions: int


@dataclass(frozen=True, slots=True)
class DailySkillTotal:
    """Minutes and sessions of one skill on one local date, with the skill's name."""

    day: date
    skill_id: int
    skill_name: str
    minutes: int
    sessions: int


@dataclass(frozen=True, slots=True)
class SkillTotals:
    """Total time and sessions of one skill (or, with ``skill_id`` None, of all skills)."""

    skill_id: int | None
    skill_name: str
    minutes: int
    sessions: int

    @property
    def average_session_minutes(self) -> float:
        """Mean session length in minutes (0 without sessions)."""
        return self.minutes / self.sessions if self.sessions else 0.0


@dataclass(frozen=True, slots=True)
class Totals:
    """Per-skill totals, largest first, and the overall total."""

    skills: tuple[SkillTotals, ...]
    overall: SkillTotals


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often practice happens over a window of ``days`` days."""

    days: int
    sessions: int
    active_days: int
    sessions_per_week: float
    active_days_per_week: float


class Period(StrEnum):
    """A summary period."""

    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    """Minutes, sessions and active days between two dates, inclusive."""

    start: date
    end: date
    minutes: int
    sessions: int
    active_days: int


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """This period so far against the previous one.

    ``previous_to_date`` covers as many days of the previous period as have passed in this one,
    so a Wednesday is compared with last Monday-Wednesday; the change percentages use it, and
    are None when it had nothing to compare with.
    """

    period: Period
    current: PeriodTotals
    previous: PeriodTotals
    previous_to_date: PeriodTotals
    minutes_change_percent: float | None
    sessions_change_percent: float | None


@dataclass(frozen=True, slots=True)
class WeekdayPattern:
    """Minutes per weekday (index 0 = Monday) and the clear favourite, if there is one."""

    minutes: tuple[int, ...]
    active_days: tuple[int, ...]
    top_weekday: int | None
    top_phrase: str | None


@dataclass(frozen=True, slots=True)
class SkillSeries:
    """Minutes per week of one skill (``skill_id`` None for the grouped remaining skills)."""

    skill_id: int | None
    skill_name: str
    minutes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    """Minutes per calendar week, by skill, oldest week first."""

    week_starts: tuple[date, ...]
    skills: tuple[SkillSeries, ...]

    @property
    def totals(self) -> tuple[int, ...]:
        """Minutes per week over all skills."""
        return tuple(sum(s.minutes[i] for s in self.skills) for i in range(len(self.week_starts)))

    @property
    def is_empty(self) -> bool:
        """True when no minutes were practised in the window."""
        return not any(self.totals)


@dataclass(frozen=True, slots=True)
class DailySeries:
    """Minutes per day from ``start`` (a week start) to ``end`` (today), for a heatmap."""

    start: date
    end: date
    week_start: int
    minutes: tuple[int, ...]

    @property
    def weeks(self) -> int:
        """Number of (possibly partial) calendar weeks covered."""
        return (len(self.minutes) + 6) // 7

    @property
    def is_empty(self) -> bool:
        """True when no minutes were practised in the window."""
        return not any(self.minutes)


def with_names(rows: Iterable[DayTotal], names: Mapping[int, str]) -> list[DailySkillTotal]:
    """The day totals with their skills' names ("?" for a skill not in ``names``)."""
    return [
        DailySkillTotal(r.day, r.skill_id, names.get(r.skill_id, "?"), r.minutes, r.sessions)
        for r in rows
    ]


def week_start_of(day: date, week_start: int = 0) -> date:
    """First day of the week containing ``day``; ``week_start`` 0 = Monday ... 6 = Sunday."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def series_window_start(today: date, weeks: int = 26, week_start: int = 0) -> date:
    """Earliest date the last ``weeks`` calendar weeks need: the lower bound for the SQL query."""
    return week_start_of(today, week_start) - timedelta(weeks=weeks - 1)


def _within(
    rows: Iterable[DailySkillTotal], start: date | None, end: date | None
) -> list[DailySkillTotal]:
    return [r for r in rows if (start is None or r.day >= start) and (end is None or r.day <= end)]


def totals_from_skills(skills: Iterable[SkillTotals]) -> Totals:
    """Order per-skill totals (e.g. an all-time SQL aggregate) and add the overall total."""
    ordered = tuple(sorted(skills, key=lambda s: (-s.minutes, s.skill_name.casefold())))
    overall = SkillTotals(
        None, "All skills", sum(s.minutes for s in ordered), sum(s.sessions for s in ordered)
    )
    return Totals(ordered, overall)


def totals(
    rows: Iterable[DailySkillTotal], start: date | None = None, end: date | None = None
) -> Totals:
    """Total time, sessions and average session length per skill and overall."""
    minutes: dict[int, int] = defaultdict(int)
    sessions: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for r in _within(rows, start, end):
        minutes[r.skill_id] += r.minutes
        sessions[r.skill_id] += r.sessions
        names[r.skill_id] = r.skill_name
    return totals_from_skills(
        SkillTotals(sid, names[sid], minutes[sid], sessions[sid]) for sid in names
    )


def frequency(sessions: int, active_days: int, start: date, end: date) -> Frequency:
    """Sessions and active days per week over ``start..end`` (inclusive).

    Windows shorter than a week count as one week, so a first day of practice does not
    extrapolate to a sevenfold weekly rate.
    """
    days = max(1, (end - start).days + 1)
    weeks = max(1.0, days / 7)
    return Frequency(days, sessions, active_days, sessions / weeks, active_days / weeks)


def frequency_from_daily(rows: Iterable[DailySkillTotal], start: date, end: date) -> Frequency:
    """Frequency over ``start..end`` from daily rows."""
    inside = _within(rows, start, end)
    active = {r.day for r in inside if r.sessions > 0}
    return frequency(sum(r.sessions for r in inside), len(active), start, end)


def period_totals(rows: Iterable[DailySkillTotal], start: date, end: date) -> PeriodTotals:
    """Minutes, sessions and active days of the rows between start and end, inclusive."""
    inside = _within(rows, start, end)
    return PeriodTotals(
        start,
        end,
        sum(r.minutes for r in inside),
        sum(r.sessions for r in inside),
        len({r.day for r in inside if r.sessions > 0}),
    )


def period_bounds(
    period: Period, today: date, week_start: int = 0
) -> tuple[tuple[date, date], tuple[date, date]]:
    """((this period's start, today), (previous period's start, end)) for SQL and summaries."""
    if period is Period.WEEK:
        start = week_start_of(today, week_start)
        return (start, today), (start - timedelta(days=7), start - timedelta(days=1))
    start = today.replace(day=1)
    previous_end = start - timedelta(days=1)
    return (start, today), (previous_end.replace(day=1), previous_end)


def _change(current: int, previous: int) -> float | None:
    return None if previous == 0 else (current - previous) / previous * 100.0


def period_summary(
    rows: Iterable[DailySkillTotal], today: date, period: Period, week_start: int = 0
) -> PeriodSummary:
    """This week or month so far against the same stretch of the previous one."""
    data = list(rows)
    (start, end), (prev_start, prev_end) = period_bounds(period, today, week_start)
    elapsed = (end - start).days
    prev_to_date_end = min(prev_end, prev_start + timedelta(days=elapsed))
    current = period_totals(data, start, end)
    previous = period_totals(data, prev_start, prev_end)
    to_date = period_totals(data, prev_start, prev_to_date_end)
    return PeriodSummary(
        period,
        current,
        previous,
        to_date,
        _change(current.minutes, to_date.minutes),
        _change(current.sessions, to_date.sessions),
    )


def weekday_pattern(rows: Iterable[DailySkillTotal], min_active_days: int = 4) -> WeekdayPattern:
    """Minutes per weekday and the favourite weekday as a phrase ("Saturdays").

    The favourite is None with fewer than ``min_active_days`` practice days, or when two
    weekdays tie for first: "you practise most on ..." must be true to be worth saying.
    """
    minutes = [0] * 7
    days: list[set[date]] = [set() for _ in range(7)]
    for r in rows:
        minutes[r.day.weekday()] += r.minutes
        if r.sessions > 0:
            days[r.day.weekday()].add(r.day)
    active = tuple(len(d) for d in days)
    top: int | None = None
    if sum(active) >= min_active_days:
        ranked = sorted(range(7), key=lambda i: minutes[i], reverse=True)
        if minutes[ranked[0]] > minutes[ranked[1]]:
            top = ranked[0]
    return WeekdayPattern(
        tuple(minutes), active, top, None if top is None else WEEKDAY_PLURALS[top]
    )


def weekly_series(
    rows: Iterable[DailySkillTotal],
    today: date,
    weeks: int = 12,
    week_start: int = 0,
    max_skills: int = 6,
) -> WeeklySeries:
    """Minutes per calendar week by skill for the last ``weeks`` weeks (stacked-bar input).

    At most ``max_skills`` series: beyond that the smallest skills are grouped as "Other".
    """
    first = series_window_start(today, weeks, week_start)
    week_starts = tuple(first + timedelta(weeks=i) for i in range(weeks))
    per_skill: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for r in _within(rows, first, today):
        series = per_skill.setdefault(r.skill_id, [0] * weeks)
        series[(r.day - first).days // 7] += r.minutes
        names[r.skill_id] = r.skill_name
    ranked = sorted(
        (sid for sid in per_skill if sum(per_skill[sid]) > 0),
        key=lambda sid: (-sum(per_skill[sid]), names[sid].casefold()),
    )
    keep = ranked if len(ranked) <= max_skills else ranked[: max(0, max_skills - 1)]
    skills = [SkillSeries(sid, names[sid], tuple(per_skill[sid])) for sid in keep]
    rest = ranked[len(keep) :]
    if rest:
        other = tuple(sum(per_skill[sid][i] for sid in rest) for i in range(weeks))
        skills.append(SkillSeries(None, OTHER_SKILLS, other))
    return WeeklySeries(week_starts, tuple(skills))


def daily_series(
    rows: Iterable[DailySkillTotal], today: date, weeks: int = 26, week_start: int = 0
) -> DailySeries:
    """Minutes per day over the last ``weeks`` calendar weeks up to today (heatmap input)."""
    first = series_window_start(today, weeks, week_start)
    minutes = [0] * ((today - first).days + 1)
    for r in _within(rows, first, today):
        minutes[(r.day - first).days] += r.minutes
    return DailySeries(first, today, week_start, tuple(minutes))
