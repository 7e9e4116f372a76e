"""Chart renderers return decodable PNGs of a phone-friendly size, even without data."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.domain.analytics import DailySkillTotal, daily_series, weekly_series
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
