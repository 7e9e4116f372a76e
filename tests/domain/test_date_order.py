"""The numeric date order a time zone's region suggests."""

from __future__ import annotations

import pytest

from bot.domain.timezones import date_order_for_zone


@pytest.mark.parametrize(
    ("zone", "order"),
    [
        ("America/New_York", "month_first"),
        ("America/Los_Angeles", "month_first"),
        ("America/Indiana/Indianapolis", "month_first"),
        ("Pacific/Honolulu", "month_first"),
        ("US/Eastern", "month_first"),
        ("Asia/Manila", "month_first"),
        ("America/Puerto_Rico", "month_first"),
        ("America/Toronto", "day_first"),
        ("America/Sao_Paulo", "day_first"),
        ("Europe/Berlin", "day_first"),
        ("Europe/London", "day_first"),
        ("Pacific/Auckland", "day_first"),
        ("UTC", "day_first"),
        ("Etc/GMT+10", "day_first"),
    ],
)
def test_us_and_its_neighbours_in_usage_read_month_first(zone: str, order: str) -> None:
    assert date_order_for_zone(zone) == order
