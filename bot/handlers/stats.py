"""/stats [week|month|all]: totals, frequency, this period vs last, pattern, timeline, charts."""

from __future__ import annotations

from functools import partial

from telegram import InlineKeyboardMarkup

from bot.core.chart_photos import send_chart
from bot.core.runtime import Turn, handler
from bot.domain.reports import StatsPeriod
from bot.services.insights import heatmap_series, stats_report, weekly_chart_series
from bot.ui import charts
from bot.ui.callbacks import BadCallback
from bot.ui.keyboards import Button, button, markup
from bot.ui.reports import HEATMAP_CAPTION, NO_PRACTICE, WEEKLY_CAPTION, stats_text
from bot.ui.texts import esc

PREFIX = "st"
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
HEATMAP = "🗓 Calendar"


def parse_period(words: list[str]) -> StatsPeriod | None:
    """The period named by /stats' arguments (week when none); None when not understood."""
    if not words:
        return StatsPeriod.WEEK
    return PERIOD_WORDS.get("".join(words).casefold().replace("_", "-"))


def stats_keyboard(current: StatsPeriod) -> InlineKeyboardMarkup:
    """Period switches (the current one marked), the two charts, and Close."""
    periods: list[Button] = [
        button(("• " if period is current else "") + label, PREFIX, "p", period.value)
        for period, label in PERIOD_LABELS.items()
    ]
    return markup(
        [
            periods,
            [button(WEEKLY_CHART, PREFIX, "c", "w"), button(HEATMAP, PREFIX, "c", "h")],
            [button("✖ Close", PREFIX, "x")],
        ]
    )


async def _show(turn: Turn, period: StatsPeriod) -> None:
    if not await turn.uow.analytics.has_practice(turn.user_id):
        await turn.show(NO_PRACTICE)
        return
    report = await stats_report(turn.uow, turn.user_id, turn.today, period)
    await turn.show(stats_text(report), stats_keyboard(period))


async def _chart(turn: Turn, kind: str) -> None:
    if kind == "w":
        weekly = await weekly_chart_series(turn.uow, turn.user_id, turn.today)
        await turn.answer()
        await send_chart(
            turn, partial(charts.weekly_minutes_chart, weekly), WEEKLY_CAPTION, "weekly.png"
        )
    elif kind == "h":
        daily = await heatmap_series(turn.uow, turn.user_id, turn.today)
        await turn.answer()
        await send_chart(
            turn, partial(charts.calendar_heatmap, daily), HEATMAP_CAPTION, "calendar.png"
        )
    else:
        raise BadCallback(f"stats chart {kind!r}")


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


@handler
async def stats_button(turn: Turn) -> None:
    """Period switches, chart buttons and Close on the /stats message."""
    cb = turn.callback()
    action = cb.action()
    if action == "p":
        try:
            period = StatsPeriod(cb.text(1))
        except ValueError as exc:
            raise BadCallback(f"stats period {cb.text(1)!r}") from exc
        await _show(turn, period)
    elif action == "c":
        await _chart(turn, cb.text(1))
    elif action == "x":
        await turn.show("Closed. /stats opens it again.")
    else:
        raise BadCallback(f"stats action {action!r}")
