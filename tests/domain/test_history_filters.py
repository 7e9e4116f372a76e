"""History filters: every typed range form, the skill around it, tokens, labels and refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import DomainError
from bot.domain.history_filters import (
    ALL,
    QUICK_RANGES,
    DateRange,
    RangeSpec,
    format_span,
    parse_history_query,
    parse_range,
    range_from_token,
)

TODAY = date(2026, 11, 25)  # a Wednesday
SKILLS = [(1, "React"), (2, "Redux"), (3, "SQL"), (4, "Machine Learning"), (5, "Week")]
D = date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("all", None, None),
        ("All Time", None, None),
        ("everything", None, None),
        ("today", TODAY, TODAY),
        ("yesterday", D(2026, 11, 24), D(2026, 11, 24)),
        ("this week", D(2026, 11, 23), TODAY),
        ("week", D(2026, 11, 23), TODAY),
        ("last week", D(2026, 11, 16), D(2026, 11, 22)),
        ("this month", D(2026, 11, 1), TODAY),
        ("month", D(2026, 11, 1), TODAY),
        ("last  month", D(2026, 10, 1), D(2026, 10, 31)),
        ("this year", D(2026, 1, 1), TODAY),
        ("last year", D(2025, 1, 1), D(2025, 12, 31)),
        ("last 30 days", D(2026, 10, 27), TODAY),
        ("past 7 days", D(2026, 11, 19), TODAY),
        ("1 day", TODAY, TODAY),
        ("14 days", D(2026, 11, 12), TODAY),
        ("november", D(2026, 11, 1), D(2026, 11, 30)),
        ("Dec", D(2025, 12, 1), D(2025, 12, 31)),  # the latest December that has begun
        ("feb 2024", D(2024, 2, 1), D(2024, 2, 29)),
        ("sept", D(2026, 9, 1), D(2026, 9, 30)),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2026-11-20", D(2026, 11, 20), D(2026, 11, 20)),
        ("20.11", D(2026, 11, 20), D(2026, 11, 20)),
        ("friday", D(2026, 11, 20), D(2026, 11, 20)),
        ("3 days ago", D(2026, 11, 22), D(2026, 11, 22)),
        ("2026-11-01..2026-11-20", D(2026, 11, 1), D(2026, 11, 20)),
        ("2026-11-01 .. 2026-11-20", D(2026, 11, 1), D(2026, 11, 20)),
        ("1.11 - 20.11", D(2026, 11, 1), D(2026, 11, 20)),
        ("1.11–20.11", D(2026, 11, 1), D(2026, 11, 20)),
        ("1.11 to 20.11", D(2026, 11, 1), D(2026, 11, 20)),
        ("from 1.11 to yesterday", D(2026, 11, 1), D(2026, 11, 24)),
        ("2026-11-20..2026-11-01", D(2026, 11, 1), D(2026, 11, 20)),  # swapped
        ("2026-11-01..2026-12-31", D(2026, 11, 1), D(2026, 12, 31)),  # the end may be ahead
        ("since 2026-11-10", D(2026, 11, 10), TODAY),
        ("since monday", D(2026, 11, 23), TODAY),
    ],
)
def test_typed_ranges(text: str, start: date | None, end: date | None) -> None:
    spec = parse_range(text, TODAY)
    assert spec is not None
    assert spec.resolve(TODAY) == DateRange(start, end)


@pytest.mark.parametrize("text", ["", "react", "machine learning", "1.5.2 notes", "sat down"])
def test_not_a_range(text: str) -> None:
    assert parse_range(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("last 0 days", "at least 1 day"),
        ("last 99999 days", "more than 3660 days"),
        ("31.02..5.03", "no such date"),
        ("2026-12-01..2026-12-05", "in the future"),
        ("december 2026", "in the future"),
        ("2026-13", "no month"),
        ("since 2027-01-01", "in the future"),
        ("2026-11-31", "no such date"),
    ],
)
def test_broken_ranges_are_explained(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_range(text, TODAY)


@pytest.mark.parametrize(
    ("text", "skill_id", "start", "end"),
    [
        ("", None, None, None),
        ("react", 1, None, None),
        ("REACT", 1, None, None),
        ("sq", 3, None, None),  # a unique start of a name
        ("machine learning", 4, None, None),
        ("mach", 4, None, None),
        ("react last month", 1, D(2026, 10, 1), D(2026, 10, 31)),
        ("last month react", 1, D(2026, 10, 1), D(2026, 10, 31)),
        ("machine learning this week", 4, D(2026, 11, 23), TODAY),
        ("sql 2026-11-01..2026-11-20", 3, D(2026, 11, 1), D(2026, 11, 20)),
        ("last 30 days", None, D(2026, 10, 27), TODAY),
        ("2026-11-01..2026-11-20", None, D(2026, 11, 1), D(2026, 11, 20)),
        ("week", 5, None, None),  # a skill's whole name beats the range of the same name
        ("week last week", 5, D(2026, 11, 16), D(2026, 11, 22)),
        ("this week", None, D(2026, 11, 23), TODAY),
    ],
)
def test_history_query(
    text: str, skill_id: int | None, start: date | None, end: date | None
) -> None:
    query = parse_history_query(text, SKILLS, TODAY)
    assert query.skill_id == skill_id
    assert query.range.resolve(TODAY) == DateRange(start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("re", "could be React, Redux"),
        ("guitar", "couldn't read “guitar” as a skill or a date range"),
        ("guitar last month", "no skill called “guitar”"),
        ("react 31.02", "no such date"),
        ("react last 0 days", "at least 1 day"),
    ],
)
def test_history_query_refusals(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_history_query(text, SKILLS, TODAY)


@pytest.mark.parametrize(
    ("spec", "label"),
    [
        (ALL, "All time"),
        (RangeSpec("week"), "This week (23–25 Nov 2026)"),
        (RangeSpec("month"), "This month (1–25 Nov 2026)"),
        (RangeSpec("days", days=30), "Last 30 days (27 Oct – 25 Nov 2026)"),
        (RangeSpec("today"), "Today (25 Nov 2026)"),
        (RangeSpec("last_year"), "Last year (1 Jan – 31 Dec 2025)"),
        (RangeSpec("dates", start=D(2026, 10, 1), end=D(2026, 10, 31)), "October 2026"),
        (RangeSpec("dates", start=D(2025, 12, 28), end=D(2026, 1, 3)), "28 Dec 2025 – 3 Jan 2026"),
        (RangeSpec("dates", start=D(2026, 11, 20), end=D(2026, 11, 20)), "20 Nov 2026"),
    ],
)
def test_labels(spec: RangeSpec, label: str) -> None:
    assert spec.describe(TODAY) == label


def test_week_starts_on_monday_and_month_edges() -> None:
    monday = D(2026, 11, 23)
    assert RangeSpec("week").resolve(monday) == DateRange(monday, monday)
    assert RangeSpec("last_week").resolve(monday) == DateRange(D(2026, 11, 16), D(2026, 11, 22))
    first = D(2026, 3, 1)
    assert RangeSpec("month").resolve(first) == DateRange(first, first)
    assert RangeSpec("last_month").resolve(first) == DateRange(D(2026, 2, 1), D(2026, 2, 28))
    assert RangeSpec("last_month").resolve(D(2026, 1, 15)) == DateRange(
        D(2025, 12, 1), D(2025, 12, 31)
    )


@pytest.mark.parametrize(
    "spec",
    [
        *QUICK_RANGES,
        RangeSpec("last_month"),
        RangeSpec("days", days=3660),
        RangeSpec("dates", start=D(1, 1, 1), end=D(9999, 12, 31)),
    ],
)
def test_tokens_round_trip_and_fit(spec: RangeSpec) -> None:
    token = spec.token()
    assert ":" not in token and len(token) <= 15
    assert range_from_token(token) == spec


@pytest.mark.parametrize(
    "token",
    ["", "x", "d0", "d3661", "d12345", "739590-739580", "0-5", "1-99999999", "-1-5", "w:", "D30"],
)
def test_forged_tokens_are_refused(token: str) -> None:
    with pytest.raises(ValueError):
        range_from_token(token)


def test_format_span() -> None:
    assert format_span(D(2026, 10, 28), D(2026, 11, 3)) == "28 Oct – 3 Nov 2026"


@given(
    today=st.dates(min_value=D(1900, 3, 1), max_value=D(9998, 1, 1)),
    spec=st.sampled_from(
        [RangeSpec(kind) for kind in ("today", "yesterday", "week", "last_week", "month")]
        + [RangeSpec(kind) for kind in ("last_month", "year", "last_year")]
        + [RangeSpec("days", days=n) for n in (1, 7, 30, 365)]
    ),
)
def test_relative_ranges_never_reach_past_today(today: date, spec: RangeSpec) -> None:
    span = spec.resolve(today)
    assert span.start is not None and span.end is not None
    assert span.start <= span.end <= today
    assert span.end - span.start <= timedelta(days=366)
