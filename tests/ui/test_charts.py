"""Chart renderers return decodable PNGs of a phone-friendly size, even without data."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.domain.analytics import DailySkillTotal, daily_series, weekly_series
from bot.domain.monthly import monthly_series
from bot.domain.progress import ProgressPoint
from bot.ui import charts

TODAY = date(2025, 6, 18)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _decode(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size


def _rows() -> list[DailySkillTotal]:
    names = ["Guitar", "Spanish", "Price $5 and $6", "Chess", "Go", "Piano", "Drawing", "Йога"]
    return [
        DailySkillTotal(TODAY - timedelta(days=d), s + 1, name, 15 + (d * s) % 60, 1)
        for d in range(0, 180, 2)
        for s, name in enumerate(names)
        if (d + s) % 3 == 0
    ]


def test_weekly_minutes_chart() -> None:
    width, height = _decode(charts.weekly_minutes_chart(weekly_series(_rows(), TODAY)))
    assert (width, height) == (1000, 600)


def test_calendar_heatmap() -> None:
    width, height = _decode(charts.calendar_heatmap(daily_series(_rows(), TODAY)))
    assert width == 1000
    assert 300 <= height <= 700


def test_calendar_heatmap_with_sunday_week_start() -> None:
    series = daily_series(_rows(), TODAY, week_start=6)
    assert _decode(charts.calendar_heatmap(series))[0] == 1000


def test_progress_chart() -> None:
    points = [ProgressPoint(TODAY - timedelta(weeks=w), 80 - 5 * w) for w in range(12, -1, -1)]
    assert _decode(charts.progress_chart(points, "Guitar $pro$")) == (1000, 600)


def test_progress_chart_single_point() -> None:
    assert _decode(charts.progress_chart([ProgressPoint(TODAY, 12.5)], "Go")) == (1000, 600)


@pytest.mark.parametrize(
    "render",
    [
        lambda: charts.weekly_minutes_chart(weekly_series([], TODAY)),
        lambda: charts.calendar_heatmap(daily_series([], TODAY)),
        lambda: charts.progress_chart([]),
        lambda: charts.progress_chart([ProgressPoint(TODAY, 0.0)], "Guitar"),
    ],
)
def test_empty_data_renders_placeholder(render: Callable[[], bytes]) -> None:
    data = render()
    assert isinstance(data, bytes)
    width, height = _decode(data)
    assert width == 1000
    assert height >= 300


def _react(days_ago_minutes: dict[int, int]) -> list[DailySkillTotal]:
    return [
        DailySkillTotal(TODAY - timedelta(days=d), 1, "React", m, 1)
        for d, m in days_ago_minutes.items()
    ]


def test_weekly_bars_start_at_the_first_session_with_totals_and_minutes() -> None:
    # TODAY is Wednesday 18 June 2025; sessions only in the last three weeks of twelve.
    series = weekly_series(_react({0: 30, 8: 45, 15: 20}), TODAY, weeks=12)
    fig = charts.practice_bars_figure(series, week_start=0)
    assert fig is not None
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2 Jun", "9 Jun", "16 Jun"]
    assert ax.get_ylabel() == "Minutes"
    assert [a.get_text() for a in ax.texts] == ["20", "45", "30"]
    assert ax.get_title().endswith("Weeks start on Monday")
    assert not ax.lines  # no goal, no goal line


def test_weekly_bars_switch_to_hours_above_two_hours_and_draw_the_goal() -> None:
    series = weekly_series(_react({0: 150, 1: 45, 9: 60}), TODAY, weeks=4, week_start=6)
    fig = charts.practice_bars_figure(series, goal_minutes=240, week_start=6)
    assert fig is not None
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Hours"
    assert [a.get_text() for a in ax.texts] == ["1.0", "3.2"]
    [goal] = ax.lines
    assert goal.get_label() == "Weekly goal"
    assert list(goal.get_ydata()) == [4.0, 4.0]
    assert ax.get_title().endswith("Weeks start on Sunday")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["8 Jun", "15 Jun"]


def test_the_all_time_view_is_monthly_from_the_first_month() -> None:
    rows = [(date(2025, 3, 1), 1, 90), (date(2025, 5, 1), 1, 300), (date(2025, 5, 1), 2, 60)]
    series = monthly_series(rows, {1: "React", 2: "Йога"}, TODAY)
    assert series.week_starts == (date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1),
                                  date(2025, 6, 1))  # fmt: skip
    assert series.totals == (90, 0, 360, 0)
    fig = charts.practice_bars_figure(series, monthly=True)
    assert fig is not None
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Mar", "Apr", "May", "Jun"]
    assert ax.get_xlabel() == "Month"
    assert [a.get_text() for a in ax.texts] == ["1.5", "6.0"]
    assert _decode(charts.monthly_chart(series)) == (1000, 600)
    assert _decode(charts.monthly_chart(monthly_series([], {}, TODAY))) == (1000, 600)


@pytest.mark.skipif(
    "Noto Sans CJK JP" not in charts.CHART_FONTS, reason="Noto fonts not installed (./run does)"
)
def test_skill_names_in_any_script_render_without_missing_glyphs() -> None:
    names = ["Йога", "書道", "تجويد", "योग", "עברית", "한국어", "Ελληνικά", "ภาษาไทย"]
    rows = [DailySkillTotal(TODAY, i, name, 30 + i, 1) for i, name in enumerate(names)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        fig = charts.practice_bars_figure(weekly_series(rows, TODAY, weeks=2, max_skills=8))
        assert fig is not None
        fig.canvas.draw()
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()][:2] == ["ภาษาไทย", "Ελληνικά"]
