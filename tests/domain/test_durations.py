"""Typed durations: every accepted spelling, every refusal, and round-trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.durations import (
    MAX_DURATION_MINUTES,
    format_duration,
    looks_like_duration,
    parse_duration,
    validate_duration,
)
from bot.domain.errors import DomainError

minutes_in_range = st.integers(min_value=1, max_value=MAX_DURATION_MINUTES)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45", 45),
        ("45m", 45),
        ("45 min", 45),
        ("45mins", 45),
        ("45 minutes", 45),
        ("1 minute", 1),
        ("1h", 60),
        ("1 h", 60),
        ("1hr", 60),
        ("2 hrs", 120),
        ("1 hour", 60),
        ("2 hours", 120),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1 h 30 min", 90),
        ("1 hour 30 minutes", 90),
        ("1hr30", 90),
        ("1h 30", 90),
        ("0h45m", 45),
        ("1h0m", 60),
        ("1.5h", 90),
        ("1,5h", 90),
        ("1.5 hours", 90),
        ("0,5 h", 30),
        (".5h", 30),
        ("1.25h", 75),
        ("0.1h", 6),
        ("1.33h", 80),  # 79.8 rounds to the nearest minute
        ("0.0125h", 1),  # 0.75 min rounds up
        ("1:15", 75),
        ("0:45", 45),
        ("00:05", 5),
        ("24:00", 1440),
        ("90 minutes", 90),
        ("24h", 1440),
        ("1440", 1440),
        ("1 MIN", 1),
        ("1H30M", 90),
        ("  45m \n", 45),
        ("45\u00a0min", 45),
    ],
)
def test_accepted_forms(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes
    assert looks_like_duration(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please type how long you practiced"),
        ("   ", "Please type how long you practiced"),
        ("0", "at least 1 minute"),
        ("0m", "at least 1 minute"),
        ("0:00", "at least 1 minute"),
        ("0h", "at least 1 minute"),
        ("0.001h", "at least 1 minute"),
        ("-45", "can't be negative"),
        ("-1h", "can't be negative"),
        ("abc", "I couldn't read “abc” as a duration. Try 45, 45m, 1h30 or 1:15."),
        ("45 apples", "couldn't read"),
        ("1e3", "couldn't read"),
        ("h", "couldn't read"),
        ("1h30x", "couldn't read"),
        ("٤٥", "couldn't read"),  # non-ASCII digits are not read as numbers
        ("1h75", "must be under 60 in “1h75”. Did you mean 2h15?"),
        ("1:75", "must be under 60"),
        ("1h60", "Did you mean 2h00?"),
        ("30h90", "at most 24 hours (1440 minutes)"),
        ("1441", "That's 1441 minutes (24 h 1 min), but a session can be at most 24 hours"),
        ("3000m", "at most 24 hours (1440 minutes)"),
        ("25h", "at most 24 hours"),
        ("24:01", "at most 24 hours"),
        ("9" * 5000, "far more than 24 hours"),
        ("9" * 5000 + "h", "far more than 24 hours"),
        ("1.5", "whole minutes, so I can't use “1.5”. Did you mean 1.5h?"),
        ("45.5m", "whole minutes"),
        ("1:5", "two digits"),
    ],
)
def test_refused_forms(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        parse_duration(text)


def test_long_input_is_shortened_in_the_message() -> None:
    with pytest.raises(DomainError) as caught:
        parse_duration("x" * 1000)
    assert len(str(caught.value)) < 120


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (1, "1 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min"), (1440, "24 h")],
)
def test_format_duration(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text


def test_format_duration_refuses_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(-1)


@pytest.mark.parametrize("minutes", [1, 720, 1440])
def test_validate_duration_accepts_range(minutes: int) -> None:
    assert validate_duration(minutes) == minutes


@pytest.mark.parametrize(
    ("minutes", "message"), [(0, "at least 1"), (-5, "at least 1"), (1441, "at most")]
)
def test_validate_duration_refuses(minutes: int, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        validate_duration(minutes)


@pytest.mark.parametrize("token", ["1h75", "3000m", "0", "45.5m", "1 h 30 min"])
def test_invalid_but_duration_shaped(token: str) -> None:
    assert looks_like_duration(token)


@pytest.mark.parametrize("token", ["react", "1.5", "20.11", "-45", "", "yesterday", "1:5", "45x"])
def test_not_duration_shaped(token: str) -> None:
    assert not looks_like_duration(token)


@given(minutes_in_range)
def test_format_then_parse_round_trips(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


@given(
    minutes_in_range,
    st.sampled_from(["{m}", "{m}m", "{m} min", "{m} minutes", "{h}:{r:02d}", "{h}h{r}"]),
)
def test_spellings_agree(minutes: int, template: str) -> None:
    hours, rest = divmod(minutes, 60)
    assert parse_duration(template.format(m=minutes, h=hours, r=rest)) == minutes


@given(st.integers(min_value=1, max_value=2400))
def test_decimal_hours_round_to_nearest_minute(hundredths: int) -> None:
    text = f"{hundredths // 100}.{hundredths % 100:02d}h"
    expected = (hundredths * 60 + 50) // 100  # halves round up
    if expected < 1:
        return
    assert parse_duration(text) == expected


@given(st.text(max_size=40))
def test_any_text_gives_an_in_range_duration_or_a_domain_error(text: str) -> None:
    try:
        minutes = parse_duration(text)
    except DomainError:
        return
    assert 1 <= minutes <= MAX_DURATION_MINUTES
    assert looks_like_duration(text)
