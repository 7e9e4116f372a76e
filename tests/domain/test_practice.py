"""Practice-log validation rules (spec section 7), one field at a time; all: tests/services."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import DomainError
from bot.domain.practice import (
    check_daily_total,
    quick_description,
    validate_description,
    validate_duration,
    validate_practice_date,
    validate_rating,
)

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Built a todo component", "Built a todo component"),
        ("  padded text here  ", "padded text here"),
        ("ten chars!", "ten chars!"),
        ("x" * 500, "x" * 500),
        ("many    spaces\tand\ttabs", "many spaces and tabs"),
        ("line one\r\nline two", "line one\nline two"),
        ("para one\n\n\n\n\npara two", "para one\n\npara two"),
        ("  trailing  \n  leading line", "trailing\nleading line"),
        ("nul\x00 removed here", "nul removed here"),
        ("emoji 👩‍💻 stays intact", "emoji 👩‍💻 stays intact"),
    ],
)
def test_description_is_tidied(text: str, expected: str) -> None:
    assert validate_description(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please describe what you practiced in 10-500 characters"),
        ("   \n\t ", "Please describe what you practiced"),
        ("a", "That's 1 character — please write at least 10 (up to 500)"),
        ("too short", "That's 9 characters — please write at least 10"),
        ("  short    ", "That's 5 characters"),  # counted after trimming
        ("x" * 501, "That's 501 characters — please keep it to 500 at most (and at least 10)."),
        ("y" * 5000, "That's 5000 characters"),
    ],
)
def test_description_refused(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        validate_description(text)


@pytest.mark.parametrize("value", [None, 1, 3, 5])
def test_rating_accepted(value: int | None) -> None:
    assert validate_rating(value, "difficulty") == value


@pytest.mark.parametrize("value", [0, 6, -1, 10])
@pytest.mark.parametrize("what", ["difficulty", "confidence"])
def test_rating_refused(value: int, what: str) -> None:
    expected = f"{what.capitalize()} is rated from 1 to 5, so {value} doesn't fit."
    with pytest.raises(DomainError, match=re.escape(expected)):
        validate_rating(value, what)


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (1440, True), (1441, False)])
def test_duration_range(minutes: int, ok: bool) -> None:
    if ok:
        assert validate_duration(minutes) == minutes
    else:
        with pytest.raises(DomainError):
            validate_duration(minutes)


def test_practice_date_not_in_future() -> None:
    assert validate_practice_date(TODAY, TODAY) == TODAY
    with pytest.raises(DomainError, match="in the future"):
        validate_practice_date(TODAY + timedelta(days=1), TODAY)


@pytest.mark.parametrize(
    ("existing", "new"), [(0, 1440), (1439, 1), (0, 1), (720, 720), (1000, 440)]
)
def test_daily_total_fits(existing: int, new: int) -> None:
    check_daily_total(existing, new)


@pytest.mark.parametrize(
    ("existing", "new", "message"),
    [
        (1400, 60, "You've already logged 23 h 20 min on that day, so only 40 min"),
        (1439, 2, "so only 1 min of its 24 hours is left — 2 min won't fit."),
        (720, 721, "only 12 h of its 24 hours is left"),
        (1440, 1, "You've already logged 24 h on that day, which is the 24-hour limit"),
        (2000, 15, "no room for another session"),
    ],
)
def test_daily_total_exceeded(existing: int, new: int, message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        check_daily_total(existing, new)


@given(st.integers(min_value=0, max_value=3000), st.integers(min_value=1, max_value=1440))
def test_daily_total_refuses_exactly_when_over_a_day(existing: int, new: int) -> None:
    try:
        check_daily_total(existing, new)
    except DomainError:
        assert existing + new > 1440
    else:
        assert existing + new <= 1440


@pytest.mark.parametrize(
    ("name", "minutes", "expected"),
    [
        ("React", 30, "Quick practice: 30 min of React"),
        ("Go", 60, "Quick practice: 1 h of Go"),
        ("C", 1, "Quick practice: 1 min of C"),
        ("  Machine   learning ", 90, "Quick practice: 1 h 30 min of Machine learning"),
        ("", 15, "Quick practice: 15 min"),
        ("x" * 64, 1440, "Quick practice: 24 h of " + "x" * 64),
    ],
)
def test_quick_description(name: str, minutes: int, expected: str) -> None:
    assert quick_description(name, minutes) == expected


def test_quick_description_truncates_absurd_names() -> None:
    text = quick_description("y" * 1000, 30)
    assert text.endswith("…")
    assert len(text) < 200


@given(st.text(max_size=300), st.integers(min_value=1, max_value=1440))
def test_quick_description_always_validates(name: str, minutes: int) -> None:
    text = quick_description(name, minutes)
    assert validate_description(text) == text


@given(st.text(max_size=600))
def test_description_validation_is_idempotent_and_bounded(text: str) -> None:
    try:
        cleaned = validate_description(text)
    except DomainError:
        return
    assert 10 <= len(cleaned) <= 500
    assert cleaned == cleaned.strip()
    assert validate_description(cleaned) == cleaned
