"""/stats [week|month|all]: totals, frequency, this period vs last, pattern, timeline, charts."""

from __future__ import annotations

from functools import partial
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.core.chart_photos import send_chart
from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
from bot.domain.goal_lines import goal_line
from bot.domain.reports import StatsPeriod
from bot.services.goals import chart_settings, goals_overview, week_start_for
from bot.services.insights import (
    heatmap_series,
    monthly_chart_series,
    stats_report,
    weekly_chart_series,
)
from bot.ui import callbacks as st
from bot.ui import charts
from bot.ui.keyboards import Button, markup, press
from bot.ui.reports import (
    HEATMAP_CAPTION,
    MONTHLY_CAPTION,
    NO_PRACTICE,
    WEEKLY_CAPTION,
    stats_text,
)
from bot.ui.texts import esc

PREFIX = st.STATS
PERIOD_LABELS = {StatsPeriod.WEEK: "Week", StatsPeriod.MONTH: "Month", StatsPeriod.ALL: "All time"}
# What people type after /stats, beyond the period names themselves.
PERIOD_WORDS = {
    "week": StatsPeriod.WEEK,
    "weekly": StatsPeriod.WEEK,
    "w": StatsPeriod.WEEK,
    "month": StatsPeriod.MONTH,
    "monthly": StatsPeriod.MONTH,
    "m": StatsPeriod.MONTH,
    "all": StatsPeriod.ALL,
    "alltime": StatsPeriod.ALL,
    "all-time": StatsPeriod.ALL,
    "total": StatsPeriod.ALL,
}
WEEKLY_CHART = "📊 Weekly chart"
MONTHLY_CHART = "📊 Monthly chart"
HEATMAP = "🗓 Calendar"


def parse_period(words: list[str]) -> StatsPeriod | None:
    """The period named by /stats' arguments (week when none); None when not understood."""
    if not words:
        return StatsPeriod.WEEK
    return PERIOD_WORDS.get("".join(words).casefold().replace("_", "-"))


def stats_keyboard(current: StatsPeriod) -> InlineKeyboardMarkup:
    """Period switches (the current one marked), the two charts, and Close."""
    periods: list[Button] = [
        press(("• " if period is current else "") + label, st.StatsShowPeriod(period.value))
        for period, label in PERIOD_LABELS.items()
    ]
    return markup(
        [
            periods,
            [
                press(MONTHLY_CHART, st.StatsMonthlyChart())
                if current is StatsPeriod.ALL
                else press(WEEKLY_CHART, st.StatsWeeklyChart()),
                press(HEATMAP, st.StatsHeatmap()),
            ],
            [press("✖ Close", st.StatsClose())],
        ]
    )


async def _show(turn: Turn, period: StatsPeriod) -> None:
    if not await turn.uow.analytics.has_practice(turn.user_id):
        await turn.show(NO_PRACTICE)
        return
    week_start = await week_start_for(turn.uow, turn.user_id, turn.timezone)
    report = await stats_report(turn.uow, turn.user_id, turn.today, period, week_start)
    text = stats_text(report)
    if period is StatsPeriod.WEEK:
        found = await goals_overview(turn.uow, turn.user_id, turn.today, turn.timezone)
        if lines := [goal_line(item.name, item.statuses) for item in found.with_goals]:
            text += "\n\n" + "\n".join(lines)
    await turn.show(text, stats_keyboard(period))


@handler
async def stats_command(turn: Turn) -> None:
    """/stats [week|month|all] (week by default)."""
    words = turn.context.args or []
    period = parse_period(words)
    if period is None:
        typed = esc(" ".join(words)[:40])
        await turn.reply(
            f"I don't know the period “{typed}”. Try /stats week, /stats month or /stats all."
        )
        return
    await _show(turn, period)


async def _period(turn: Turn, pressed: st.StatsShowPeriod) -> None:
    """Week / Month / All time: the report over that period."""
    await _show(turn, pressed.stats_period)


async def _weekly_chart(turn: Turn, pressed: st.StatsWeeklyChart) -> None:
    """📊 Weekly chart, as a photo under the report."""
    week_start, goal = await chart_settings(turn.uow, turn.user_id)
    weekly = await weekly_chart_series(turn.uow, turn.user_id, turn.today, week_start)
    await turn.answer()
    chart = partial(charts.weekly_minutes_chart, weekly, goal_minutes=goal, week_start=week_start)
    await send_chart(turn, chart, WEEKLY_CAPTION, "weekly.png")


async def _monthly_chart(turn: Turn, pressed: st.StatsMonthlyChart) -> None:
    """📊 Monthly chart (all time), as a photo under the report."""
    monthly = await monthly_chart_series(turn.uow, turn.user_id, turn.today)
    await turn.answer()
    await send_chart(turn, partial(charts.monthly_chart, monthly), MONTHLY_CAPTION, "monthly.png")


async def _heatmap(turn: Turn, pressed: st.StatsHeatmap) -> None:
    """🗓 Calendar heatmap, as a photo under the report."""
    week_start = await week_start_for(turn.uow, turn.user_id, turn.timezone)
    daily = await heatmap_series(turn.uow, turn.user_id, turn.today, week_start)
    await turn.answer()
    await send_chart(turn, partial(charts.calendar_heatmap, daily), HEATMAP_CAPTION, "calendar.png")


async def _close(turn: Turn, pressed: st.StatsClose) -> None:
    """✖ Close."""
    await turn.show("Closed. /stats opens it again.")


BUTTON_STEPS: Final = StepTable[Turn](_period, _weekly_chart, _monthly_chart, _heatmap, _close)
stats_button: Final = button_handler(st.STATS_BUTTONS, BUTTON_STEPS)
