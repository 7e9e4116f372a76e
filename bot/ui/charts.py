"""PNG chart renderers (matplotlib, Agg), pure and safe to run in a worker thread.

Each renderer builds its own ``matplotlib.figure.Figure`` on a ``FigureCanvasAgg``: no pyplot,
so there is no global figure registry to leak memory into or race on from
``asyncio.to_thread``. A figure that goes out of scope is simply garbage collected.
Charts are 1000x600 px (the heatmap 1000x420), which Telegram shows without downscaling on a phone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Final

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.domain.analytics import DailySeries, WeeklySeries
from bot.domain.progress import ADVANCED_FROM, INTERMEDIATE_FROM, ProgressPoint
from bot.domain.weeks import WEEKDAY_NAMES

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 6.0, 100
# 26 square week columns fill the width at about 40% of it in height.
HEATMAP_HEIGHT_IN = 4.2
EMPTY_TEXT = "No practice yet"
TITLE_SIZE = 18
LABEL_SIZE = 13
TICK_SIZE = 11
NAME_LIMIT = 24

# Colour-blind-friendly qualitative palette (Okabe-Ito), then a grey for "Other".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#999999"
# GitHub-like green steps: none, <15, <30, <60, 60+ minutes.
HEAT_COLOURS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")
HEAT_BOUNDS = (0, 1, 15, 30, 60, 10**9)
HEAT_LABELS = ("0", "1-14 min", "15-29 min", "30-59 min", "60+ min")
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_FROM_MINUTES = 120
GOAL_LABEL = "Weekly goal"
# Neutral greys for text and the goal line: readable on light and dark chat themes alike.
TEXT_COLOUR = "#333333"
GOAL_COLOUR = "#444444"
BACKGROUND = "#ffffff"


# Fonts with wide Unicode coverage, in fallback order: matplotlib draws each glyph with the
# first family that has it, so a skill called "Йога", "تجويد" or "書道" renders, not boxes.
# The files come from Debian's fonts-noto-core and fonts-noto-cjk (./run installs them); they
# are registered by path because matplotlib's font cache may predate their installation.
_NOTO_DIR: Final = "/usr/share/fonts/truetype/noto"
_NOTO_SCRIPTS: Final = ("", "Arabic", "Hebrew", "Devanagari", "Thai", "Georgian", "Armenian")
NOTO_FILES: Final = (
    *(f"{_NOTO_DIR}/NotoSans{script}-{weight}.ttf" for script in _NOTO_SCRIPTS
      for weight in ("Regular", "Bold")),
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)  # fmt: skip
FALLBACK_FAMILY: Final = "DejaVu Sans"


def configure_fonts(files: Sequence[str] = NOTO_FILES) -> list[str]:
    """Register the Noto fonts that are installed and make them the chart font list."""
    families: list[str] = []
    for path in files:
        if not Path(path).is_file():
            continue
        font_manager.fontManager.addfont(path)
        family = font_manager.FontProperties(fname=path).get_name()
        if family not in families:
            families.append(family)
    families.append(FALLBACK_FAMILY)
    matplotlib.rcParams["font.family"] = families
    return families


CHART_FONTS: Final = configure_fonts()


def _literal(text: str) -> str:
    """Escape text so matplotlib draws it literally: a '$' in a skill name starts mathtext."""
    return text.replace("$", r"\$")


def _name(text: str) -> str:
    """A skill name shortened for a legend or title, drawn literally."""
    if len(text) > NAME_LIMIT:
        text = text[: NAME_LIMIT - 1] + "…"
    return _literal(text)


def _new_figure(height_in: float = HEIGHT_IN) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # No bbox_inches="tight": it would change the pixel size, which tests and Telegram rely on.
    fig.savefig(buffer, format="png", dpi=DPI)
    fig.clear()
    return buffer.getvalue()


def _empty(title: str, height_in: float = HEIGHT_IN) -> bytes:
    fig = _new_figure(height_in)
    fig.suptitle(title, fontsize=TITLE_SIZE)
    fig.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", fontsize=24, color="#666666")
    return _png(fig)


def _week_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _month_label(day: date) -> str:
    return f"{day:%b %Y}" if day.month == 1 else f"{day:%b}"


def first_active(series: WeeklySeries) -> int:
    """Index of the first period with any practice (charts start there, not months before)."""
    return next((i for i, total in enumerate(series.totals) if total > 0), 0)


def uses_hours(series: WeeklySeries, goal_minutes: int | None = None) -> bool:
    """Hours (one decimal) once a bar or the goal exceeds 2 h; minutes below that."""
    return max((*series.totals, goal_minutes or 0), default=0) > HOURS_FROM_MINUTES


def _amount(minutes: float, hours: bool) -> str:
    return f"{minutes / 60:.1f}" if hours else f"{minutes:.0f}"


def practice_bars_figure(
    series: WeeklySeries,
    title: str = "Practice per week",
    *,
    goal_minutes: int | None = None,
    week_start: int | None = None,
    monthly: bool = False,
) -> Figure | None:
    """Stacked bars by skill from the first period with practice, totals on top, goal line.

    ``series`` holds weeks (or, with ``monthly``, months: ``week_starts`` are month starts).
    The axis is in hours with one decimal once a total exceeds 2 h. None when there is nothing
    to draw. Tests read the axes of this figure; the PNG renderers below wrap it.
    """
    if series.is_empty:
        return None
    skip = first_active(series)
    starts = series.week_starts[skip:]
    hours = uses_hours(series, goal_minutes)
    scale = 60.0 if hours else 1.0
    fig = _new_figure()
    ax = fig.add_subplot()
    positions = list(range(len(starts)))
    bottoms = [0.0] * len(positions)
    for index, skill in enumerate(series.skills):
        values = [m / scale for m in skill.minutes[skip:]]
        colour = OTHER_COLOUR if skill.skill_id is None else PALETTE[index % len(PALETTE)]
        ax.bar(
            positions,
            values,
            bottom=bottoms,
            color=colour,
            label=_name(skill.skill_name),
            width=0.75,
            edgecolor=BACKGROUND,
            linewidth=0.5,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for x, total in zip(positions, series.totals[skip:], strict=True):
        if total > 0:
            ax.annotate(
                _amount(total, hours),
                (x, total / scale),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                va="bottom",
                fontsize=TICK_SIZE,
                color=TEXT_COLOUR,
            )
    top = max(bottoms)
    if goal_minutes:
        goal = goal_minutes / scale
        ax.axhline(goal, color=GOAL_COLOUR, linestyle="--", linewidth=2, label=GOAL_LABEL)
        top = max(top, goal)
    subtitle = ""
    if week_start is not None and not monthly:
        subtitle = f"\nWeeks start on {WEEKDAY_NAMES[week_start]}"
    ax.set_title(_literal(title) + subtitle, fontsize=TITLE_SIZE, color=TEXT_COLOUR)
    ax.set_xlabel("Month" if monthly else "Week starting", fontsize=LABEL_SIZE, color=TEXT_COLOUR)
    ax.set_ylabel("Hours" if hours else "Minutes", fontsize=LABEL_SIZE, color=TEXT_COLOUR)
    label = _month_label if monthly else _week_label
    ax.set_xticks(positions, [label(d) for d in starts])
    ax.tick_params(axis="x", labelrotation=45 if len(starts) > 6 else 0, labelsize=TICK_SIZE)
    ax.tick_params(axis="both", colors=TEXT_COLOUR, labelsize=TICK_SIZE)
    ax.set_ylim(0, top * 1.15)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    # Outside the axes, on the right, so the legend never hides a bar.
    ax.legend(fontsize=TICK_SIZE, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def weekly_minutes_chart(
    series: WeeklySeries,
    title: str = "Practice per week",
    *,
    goal_minutes: int | None = None,
    week_start: int | None = None,
) -> bytes:
    """Stacked bars of practice per week by skill (PNG); see practice_bars_figure."""
    fig = practice_bars_figure(series, title, goal_minutes=goal_minutes, week_start=week_start)
    return _empty(_literal(title)) if fig is None else _png(fig)


def monthly_chart(series: WeeklySeries, title: str = "Practice per month, all time") -> bytes:
    """Stacked bars of practice per month by skill since the first session (PNG)."""
    fig = practice_bars_figure(series, title, monthly=True)
    return _empty(_literal(title)) if fig is None else _png(fig)


def calendar_heatmap(daily: DailySeries, title: str = "Practice calendar") -> bytes:
    """GitHub-style grid: one column per week, one row per weekday, colour by minutes."""
    title = _literal(title)
    if daily.is_empty:
        return _empty(title, HEATMAP_HEIGHT_IN)
    weeks = daily.weeks
    # Rows are weekdays from the user's week start; cells after today stay blank (masked).
    grid: list[list[float]] = [[float("nan")] * weeks for _ in range(7)]
    for offset, minutes in enumerate(daily.minutes):
        grid[offset % 7][offset // 7] = float(minutes)
    fig = _new_figure(HEATMAP_HEIGHT_IN)
    ax = fig.add_subplot()
    cmap = ListedColormap(HEAT_COLOURS).with_extremes(bad="white")
    norm = BoundaryNorm(HEAT_BOUNDS, cmap.N)
    ax.pcolormesh(grid, cmap=cmap, norm=norm, edgecolors="white", linewidth=2)
    ax.set_aspect("equal")
    ax.invert_yaxis()
    ax.set_title(title, fontsize=TITLE_SIZE)
    row_names = [WEEKDAY_SHORT[(daily.week_start + i) % 7] for i in range(7)]
    ax.set_yticks([i + 0.5 for i in range(7)], row_names, fontsize=TICK_SIZE)
    ticks, names = _month_ticks(daily.start, weeks)
    ax.set_xticks(ticks, names, fontsize=TICK_SIZE)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(
        f"{daily.start:%d %b %Y} - {daily.end:%d %b %Y}  ·  total {sum(daily.minutes)} min",
        fontsize=LABEL_SIZE,
    )
    handles = [
        Patch(facecolor=c, edgecolor="#cccccc", label=label)
        for c, label in zip(HEAT_COLOURS, HEAT_LABELS, strict=True)
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncols=len(handles),
        frameon=False,
        fontsize=TICK_SIZE,
    )
    fig.tight_layout()
    return _png(fig)


def _month_ticks(start: date, weeks: int) -> tuple[list[float], list[str]]:
    """Label each week column that holds the 1st of a month, like GitHub's calendar."""
    ticks: list[float] = []
    names: list[str] = []
    for column in range(weeks):
        first_day = start + timedelta(weeks=column)
        for offset in range(7):
            day = first_day + timedelta(days=offset)
            if day.day == 1:
                ticks.append(column + 0.5)
                names.append(f"{day:%b}")
    # The first column names its month too, unless the next label would crowd it.
    if not ticks or ticks[0] >= 2.5:
        ticks.insert(0, 0.5)
        names.insert(0, f"{start + timedelta(days=6):%b}")
    return ticks, names


def progress_chart(
    points: Sequence[ProgressPoint], skill_name: str = "", title: str | None = None
) -> bytes:
    """Progress percentage over time for one skill, over shaded stage bands."""
    heading = (
        _literal(title) if title else f"Progress: {_name(skill_name)}" if skill_name else "Progress"
    )
    points = sorted(points, key=lambda p: p.day)
    if not points or all(p.percent <= 0 for p in points):
        return _empty(heading)
    fig = _new_figure()
    ax = fig.add_subplot()
    bands = (
        (0.0, INTERMEDIATE_FROM, "#f3f6fb", "Beginner"),
        (INTERMEDIATE_FROM, ADVANCED_FROM, "#e6eef8", "Intermediate"),
        (ADVANCED_FROM, 100.0, "#d6e4f3", "Advanced"),
    )
    for low, high, colour, name in bands:
        ax.axhspan(low, high, color=colour, zorder=0)
        # Labelled outside the plot, on the right, so the line never crosses a label.
        ax.text(
            1.01,
            (low + high) / 2,
            name,
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=TICK_SIZE,
            color="#555555",
            zorder=1,
        )
    origin = points[0].day
    # Plain day offsets keep the axis numeric (and typed); the tick labels carry the dates.
    xs = [float((p.day - origin).days) for p in points]
    values = [p.percent for p in points]
    ax.plot(xs, values, color=PALETTE[0], linewidth=3, marker="o", markersize=6, zorder=3)
    ax.annotate(
        f"{values[-1]:.0f}%",
        (xs[-1], values[-1]),
        textcoords="offset points",
        xytext=(0, 10),
        ha="center",
        fontsize=LABEL_SIZE,
        fontweight="bold",
    )
    ax.set_ylim(0, 100)
    span = xs[-1] - xs[0]
    pad = max(1.0, span * 0.03)
    ax.set_xlim(xs[0] - pad, xs[-1] + pad)
    step = max(1, (len(points) + 7) // 8)
    ticks = points[::step]
    ax.set_xticks(
        [float((p.day - origin).days) for p in ticks], [_week_label(p.day) for p in ticks]
    )
    ax.set_title(heading, fontsize=TITLE_SIZE)
    ax.set_xlabel("Date", fontsize=LABEL_SIZE)
    ax.set_ylabel("Progress (%)", fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig)
