"""Pure renderers of the /progress, /stats and /streak texts (HTML; skill names escaped)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.analytics import PeriodSummary, PeriodTotals
from bot.domain.dates import format_date
from bot.domain.progress import (
    ADVANCED_FROM,
    INTERMEDIATE_FROM,
    RECENCY_GRACE_DAYS,
    RECENT_DAYS,
    TREND_WEEKS,
    Component,
    ComponentKind,
    Progress,
    SkillActivity,
    Stage,
    Trend,
)
from bot.domain.reports import (
    PATTERN_WEEKS,
    SkillStreak,
    StatsPeriod,
    StatsReport,
    StreakReport,
)
from bot.domain.streak_rules import FrozenStreak
from bot.domain.streaks import Streak, streak_deadline
from bot.ui.coach import freeze_lines, frozen_phrase
from bot.ui.texts import esc, minutes, plural

MAX_TEXT = 4096
MAX_SKILL_LINES = 15
BAR_WIDTH = 10
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

NO_PRACTICE = (
    "You haven't logged any practice yet, so there's nothing to count. Log a session with "
    "/log (or <code>/log 30m what you practised</code>) and come back: progress, stats "
    "and streaks grow from there."
)
NO_SKILLS = (
    "You have no skills yet. Add one with <code>/addskill Guitar</code> (or any skill you "
    "practise), log a session with /log, then /progress shows how far you've come."
)


def truncate(text: str, limit: int = MAX_TEXT) -> str:
    """Cut a message to Telegram's limit at a line break (only ever needed for huge lists)."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    return text[: cut if cut > 0 else limit - 2] + "\n…"


def _points(value: float) -> str:
    return f"{value:.1f}"


def _signed(value: float) -> str:
    # "0.0 - x" keeps a zero from rendering as "-0.0".
    return f"+{value:.1f}" if value >= 0 else f"−{0.0 - value:.1f}"


def _hours(total_minutes: float) -> str:
    return minutes(round(total_minutes))


def _percent(value: float) -> str:
    rounded = round(value)
    return f"−{-rounded}%" if rounded < 0 else f"+{rounded}%"


def _rough_hours(total_minutes: int) -> str:
    """An estimate's duration without false precision: '45 min', '3 h', '21 h'."""
    return minutes(total_minutes) if total_minutes < 120 else f"{round(total_minutes / 60)} h"


def _span_words(days: int) -> str:
    """'about 5 days', 'about 3 weeks', 'about 4 months', 'about 2 years'."""
    if days < 14:
        return f"about {plural(days, 'day')}"
    if days < 60:
        return f"about {plural(round(days / 7), 'week')}"
    if days < 730:
        return f"about {plural(round(days / 30.4), 'month')}"
    return f"about {plural(round(days / 365.25), 'year')}"


def _date(d: date | None, today: date) -> str:
    return "—" if d is None else format_date(d, today)


def _range(start: date | None, end: date | None, today: date) -> str:
    if start is None or end is None:
        return ""
    if start == end:
        return _date(start, today)
    return f"{_date(start, today)} – {_date(end, today)}"


# --- /progress --------------------------------------------------------------------------

STAGE_ICONS = {Stage.BEGINNER: "🌱", Stage.INTERMEDIATE: "🌿", Stage.ADVANCED: "🌳"}
TREND_ICONS = {Trend.IMPROVING: "↗", Trend.MAINTAINING: "→", Trend.DECLINING: "↘"}


def _trend_line(progress: Progress) -> str:
    icon = TREND_ICONS[progress.trend]
    if progress.trend_change is None:
        why = (
            "you started practising in the last 4 weeks"
            if progress.trend is Trend.IMPROVING
            else "no practice in the last 8 weeks"
        )
    else:
        change = _percent(progress.trend_change * 100)
        why = (
            f"{change} practice time in the last {TREND_WEEKS} weeks "
            f"against the {TREND_WEEKS} before"
        )
    return f"Trend: {icon} <b>{progress.trend.value}</b> ({why})"


def _component_line(component: Component) -> str:
    value = component.value or 0.0
    if component.kind is ComponentKind.VOLUME:
        what = f"Volume: {_hours(value * 60)} practised"
    elif component.kind is ComponentKind.EXPERIENCE:
        what = f"Experience: {plural(int(value), 'session')}"
    elif component.kind is ComponentKind.CONSISTENCY:
        what = f"Consistency: practised on {int(value)} of the last {RECENT_DAYS} days"
    else:
        days = int(value)
        when = "today" if days == 0 else f"{plural(days, 'day')} ago"
        if component.points == 0:
            return (
                f"• Break: last session {when} → no penalty "
                f"(breaks of up to {RECENCY_GRACE_DAYS} days are free)"
            )
        return (
            f"• Break: last session {when} → <b>{_signed(component.points)}</b> "
            "(a session today removes it)"
        )
    return f"• {what} → <b>{_signed(component.points)}</b> of {component.max_points:.0f}"


def _next_stage_lines(progress: Progress, activity: SkillActivity) -> list[str]:
    nxt = progress.next_stage
    if nxt is None:
        return [
            f"🏆 You're at the top stage (Advanced from {ADVANCED_FROM:.0f}%). Keep practising "
            f"to stay there: a break of more than {RECENCY_GRACE_DAYS} days starts to cost points."
        ]
    head = (
        f"<b>Next: {nxt.stage.value.capitalize()}</b> at "
        f"{ADVANCED_FROM if nxt.stage is Stage.ADVANCED else INTERMEDIATE_FROM:.0f}% — "
        f"{_points(nxt.points_needed)} points to go."
    )
    recent = sum(list(activity.weekly_minutes)[-TREND_WEEKS:])
    if recent <= 0 or activity.active_days_recent == 0:
        return [
            head,
            "You haven't practised in the last 4 weeks, so I can't estimate when. "
            "A few sessions will get you moving again.",
        ]
    days_a_week = activity.active_days_recent / TREND_WEEKS
    days = (
        plural(int(days_a_week), "day") if days_a_week.is_integer() else f"{days_a_week:.1f} days"
    )
    pace = (
        f"At your pace of the last {TREND_WEEKS} weeks ({_hours(recent / TREND_WEEKS)} a week, "
        f"on {days} a week)"
    )
    if nxt.days is None or nxt.extra_minutes is None or nxt.extra_sessions is None:
        return [head, f"{pace} that's over 10 years away: practising more often gets you there."]
    return [
        head,
        f"{pace} you'd get there in <b>{_span_words(nxt.days)}</b>: about "
        f"{_rough_hours(nxt.extra_minutes)} and {plural(nxt.extra_sessions, 'session')} more.",
    ]


def progress_text(name: str, progress: Progress, activity: SkillActivity, today: date) -> str:
    """The /progress answer for one skill: number, stage, trend, why, and what's next."""
    if activity.sessions == 0:
        return (
            f"📈 <b>{esc(name)}</b>: no sessions yet, so progress is 0% (Beginner).\n"
            "Log one with /log and I'll start counting."
        )
    lines = [
        f"📈 <b>{esc(name)}</b>: <b>{progress.percent:.0f}%</b> · "
        f"{STAGE_ICONS[progress.stage]} {progress.stage.value.capitalize()}",
        _trend_line(progress),
        f"Since {_date(activity.first_practiced, today)}; last session "
        f"{_date(activity.last_practiced, today)}.",
        "",
        "<b>Why this number</b>",
        *(_component_line(c) for c in progress.components),
        f"= <b>{progress.percent:.1f}%</b>",
        "",
        *_next_stage_lines(progress, activity),
        "",
        f"<i>Stages: Beginner below {INTERMEDIATE_FROM:.0f}%, Intermediate from "
        f"{INTERMEDIATE_FROM:.0f}%, Advanced from {ADVANCED_FROM:.0f}%.</i>",
    ]
    return truncate("\n".join(lines))


def progress_caption(name: str, percent: float) -> str:
    """Caption of the progress-over-time chart."""
    return f"📈 {esc(name)}: progress over the last 12 weeks (now {percent:.0f}%)"


# --- /stats -----------------------------------------------------------------------------

PERIOD_TITLES = {
    StatsPeriod.WEEK: "this week",
    StatsPeriod.MONTH: "this month",
    StatsPeriod.ALL: "all time",
}


def _totals_line(t: PeriodTotals) -> str:
    return (
        f"{minutes(t.minutes)} · {plural(t.sessions, 'session')} · "
        f"{plural(t.active_days, 'active day')}"
    )


def _comparison_lines(summary: PeriodSummary) -> list[str]:
    unit = summary.period.value
    previous = summary.previous_to_date
    same_stretch = previous.end != summary.previous.end
    label = f"Last {unit} by this point" if same_stretch else f"Last {unit}"
    lines = [
        f"<b>This {unit} vs last</b>",
        f"This {unit}: {_totals_line(summary.current)}",
        f"{label}: {_totals_line(previous)}",
    ]
    if summary.minutes_change_percent is None:
        lines.append(f"Nothing to compare with from last {unit}.")
    else:
        sessions = summary.sessions_change_percent
        lines.append(
            f"Change: time <b>{_percent(summary.minutes_change_percent)}</b>"
            + ("" if sessions is None else f", sessions {_percent(sessions)}")
        )
    if same_stretch:
        lines.append(f"Whole last {unit}: {_totals_line(summary.previous)}")
    return lines


def _bar(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return "·"
    return "▇" * max(1, math.ceil(BAR_WIDTH * value / top))


def _timeline_label(entry: PeriodTotals, period: StatsPeriod) -> str:
    if period is StatsPeriod.WEEK:
        return f"{WEEKDAY_SHORT[entry.start.weekday()]} {entry.start.day}"
    if period is StatsPeriod.MONTH:
        days = str(entry.start.day)
        if entry.end != entry.start:
            days += f"–{entry.end.day}"
        return f"{days} {MONTH_SHORT[entry.end.month - 1]}"
    return f"{MONTH_SHORT[entry.start.month - 1]} {entry.start.year % 100:02d}"


def _timeline_lines(report: StatsReport) -> list[str]:
    heading = {
        StatsPeriod.WEEK: "day by day",
        StatsPeriod.MONTH: "week by week",
        StatsPeriod.ALL: "the last 12 months",
    }[report.period]
    top = max((e.minutes for e in report.timeline), default=0)
    lines = [f"<b>Timeline</b> ({heading})"]
    for entry in report.timeline:
        label = _timeline_label(entry, report.period)
        amount = minutes(entry.minutes) if entry.minutes else ""
        lines.append(f"<code>{label:<9}</code> {_bar(entry.minutes, top)} {amount}".rstrip())
    return lines


def stats_text(report: StatsReport) -> str:
    """The /stats answer for one period."""
    today = report.today
    overall = report.totals.overall
    if report.period is StatsPeriod.ALL:
        since = f" (since {_date(report.start, today)})" if report.start else ""
        title = f"📊 <b>Your stats — all time</b>{since}"
    else:
        title = (
            f"📊 <b>Your stats — {PERIOD_TITLES[report.period]}</b> "
            f"({_range(report.start, today, today)})"
        )
    freq = report.frequency
    lines = [title, ""]
    if overall.sessions == 0:
        lines.append(f"Nothing logged {PERIOD_TITLES[report.period]} yet. /log adds a session.")
    else:
        lines += [
            f"Total: <b>{minutes(overall.minutes)}</b> over {plural(overall.sessions, 'session')}"
            f", {plural(freq.active_days, 'active day')}",
            f"Average session: {minutes(round(overall.average_session_minutes))}",
            f"Frequency: {freq.sessions_per_week:.1f} sessions and "
            f"{freq.active_days_per_week:.1f} active days a week",
        ]
        if len(report.totals.skills) > 1:
            lines += ["", "<b>Per skill</b>"]
            shown = report.totals.skills[:MAX_SKILL_LINES]
            lines += [
                f"• {esc(s.skill_name)} — {minutes(s.minutes)} · "
                f"{plural(s.sessions, 'session')} · avg "
                f"{minutes(round(s.average_session_minutes))}"
                for s in shown
            ]
            hidden = len(report.totals.skills) - len(shown)
            if hidden > 0:
                lines.append(f"…and {plural(hidden, 'more skill')}")
    lines += ["", *_comparison_lines(report.summary), ""]
    if report.pattern.top_phrase:
        lines.append(
            f"📅 You practise most on <b>{report.pattern.top_phrase}</b> "
            f"(last {PATTERN_WEEKS} weeks)."
        )
    elif sum(report.pattern.active_days) > 0:
        lines.append(f"📅 No favourite weekday yet (last {PATTERN_WEEKS} weeks).")
    lines += ["", *_timeline_lines(report)]
    return truncate("\n".join(lines))


WEEKLY_CAPTION = "📊 Practice per week by skill, last 12 weeks"
MONTHLY_CAPTION = "📊 Practice per month by skill, since your first session"
HEATMAP_CAPTION = "🗓 Your practice calendar, last 26 weeks (darker = longer)"


# --- /streak ----------------------------------------------------------------------------


def _days(n: int) -> str:
    return plural(n, "day")


def _time_left(deadline: date, now: datetime, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    midnight = datetime.combine(deadline + timedelta(days=1), time(0), tzinfo=zone)
    # Subtract in UTC: aware datetimes sharing a tzinfo subtract as wall time, wrong across DST.
    left = midnight.astimezone(ZoneInfo("UTC")) - now.astimezone(ZoneInfo("UTC"))
    total = max(0, int(left.total_seconds() // 60))
    hours, mins = divmod(total, 60)
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def _deadline_line(streak: Streak, today: date, now: datetime, timezone: str) -> str:
    deadline = streak_deadline(streak, today)
    if deadline is None:
        return "No streak running. Log a session today to start one! 💪"
    zone = esc(timezone)
    if streak.at_risk:
        return (
            f"⚠️ Your {streak.current}-day streak ends tonight: <b>log today before 23:59</b> "
            f"({zone} time, {_time_left(deadline, now, timezone)} left) to keep it going."
        )
    day = f"{WEEKDAY_SHORT[deadline.weekday()]} {deadline.day} {MONTH_SHORT[deadline.month - 1]}"
    return (
        f"✅ Today is done. Keep it going: log <b>tomorrow ({day}) before 23:59</b> ({zone} time)."
    )


def _week_line(report: StreakReport, today: date) -> str:
    cells = []
    for offset, practised in enumerate(report.week):
        day = report.week_start + timedelta(days=offset)
        mark = "✅" if practised else ("·" if day > today else "⬜")
        cells.append(f"{WEEKDAY_SHORT[day.weekday()]} {mark}")
    count = sum(report.week)
    elapsed = (today - report.week_start).days + 1
    return f"This week: {'  '.join(cells)}\n{count} of {plural(elapsed, 'day')} so far."


def _streak_summary(streak: Streak, today: date) -> list[str]:
    if streak.current:
        current = (
            f"Current: <b>{_days(streak.current)}</b> "
            f"({_range(streak.current_start, streak.current_end, today)})"
        )
    else:
        current = "Current: <b>0 days</b>"
    longest = (
        f"Longest: <b>{_days(streak.longest)}</b> "
        f"({_range(streak.longest_start, streak.longest_end, today)})"
    )
    return [current, longest]


def _skill_streak_line(item: SkillStreak, today: date) -> str:
    s = item.streak
    current = f"🔥 {_days(s.current)} now" if s.current else "no current streak"
    return (
        f"• {esc(item.name)} — {current}; longest {_days(s.longest)} "
        f"({_range(s.longest_start, s.longest_end, today)})"
    )


def _frozen_summary(freeze: FrozenStreak, streak: Streak, today: date) -> list[str]:
    current = f"Current: <b>{frozen_phrase(freeze)}</b> ({_range(freeze.start, freeze.end, today)})"
    longest = (
        f"Longest without a miss: <b>{_days(streak.longest)}</b> "
        f"({_range(streak.longest_start, streak.longest_end, today)})"
    )
    return [current, longest]


def _frozen_deadline_line(freeze: FrozenStreak, timezone: str, now: datetime, today: date) -> str:
    return (
        f"⚠️ Your {freeze.current}-day streak is frozen through yesterday: "
        f"<b>log today before 23:59</b> ({esc(timezone)} time, "
        f"{_time_left(today, now, timezone)} left) to keep it going."
    )


def streak_text(
    report: StreakReport,
    today: date,
    now: datetime,
    timezone: str,
    *,
    freeze: FrozenStreak | None = None,
    extra: Sequence[str] = (),
) -> str:
    """The /streak answer: overall and per-skill streaks, this week, and the deadline.

    With ``freeze``, the current streak counts the days freezes covered ("41 days, 2 frozen");
    ``extra`` lines (goal streaks, habit strength; HTML) go before the per-skill list.
    """
    overall = report.overall
    frozen = freeze is not None and freeze.frozen > 0 and freeze.current >= overall.current
    summary = _frozen_summary(freeze, overall, today) if frozen and freeze else None
    deadline = _deadline_line(overall, today, now, timezone)
    if frozen and freeze and not overall.current:
        deadline = _frozen_deadline_line(freeze, timezone, now, today)
    lines = [
        "🔥 <b>Your practice streak</b>",
        *(summary or _streak_summary(overall, today)),
        "",
        _week_line(report, today),
        "",
        deadline,
    ]
    if freeze is not None and freeze.alive:
        lines += freeze_lines(freeze, today)
    if extra:
        lines += ["", *extra]
    if len(report.skills) > 1:
        lines += ["", "<b>Per skill</b>"]
        shown: Sequence[SkillStreak] = report.skills[:MAX_SKILL_LINES]
        lines += [_skill_streak_line(item, today) for item in shown]
        if len(report.skills) > len(shown):
            lines.append(f"…and {plural(len(report.skills) - len(shown), 'more skill')}")
    return truncate("\n".join(lines))
