"""Reminder rules and settings input (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.errors import DomainError
from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    inactivity_base,
    inactivity_step,
    local_clock,
    parse_goal_minutes,
    parse_pause_until,
    parse_time_of_day,
    progress_bar,
)
from storage import models

TODAY = date(2026, 11, 25)


def test_day_choices_match_the_database_constraint() -> None:
    assert INACTIVITY_DAY_CHOICES == models.INACTIVITY_DAY_CHOICES


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("18:30", 18 * 60 + 30),
        ("7.05", 7 * 60 + 5),
        ("21h", 21 * 60),
        ("0:00", 0),
        ("23:59", 23 * 60 + 59),
        ("9pm", 21 * 60),
        ("9:15 am", 9 * 60 + 15),
        ("12 am", 0),
        ("12pm", 12 * 60),
        (" 6 P.M. ", 18 * 60),
    ],
)
def test_times_of_day(text: str, minute: int) -> None:
    assert parse_time_of_day(text) == minute


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "00:00 to 23:59"),
        ("18:60", "00:00 to 23:59"),
        ("13pm", "1-12"),
        ("evening", "couldn't read"),
        ("", "couldn't read"),
    ],
)
def test_bad_times(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_time_of_day(text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("150", 150), ("2h", 120), ("2h 30m", 150), ("2.5 hours", 150), ("0", 0), ("off", 0)],
)
def test_weekly_goals(text: str, minutes: int) -> None:
    assert parse_goal_minutes(text) == minutes


@pytest.mark.parametrize(("text", "message"), [("lots", "couldn't read"), ("169h", "at most")])
def test_bad_weekly_goals(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_goal_minutes(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-12-24", date(2026, 12, 24)),
        ("24.12", date(2026, 12, 24)),
        ("1/2", date(2027, 2, 1)),  # day first; already past this year, so next year
        ("10 days", date(2026, 12, 5)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("25.11", TODAY),
    ],
)
def test_pause_until(text: str, day: date) -> None:
    assert parse_pause_until(text, TODAY) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-11-01", "has passed"),
        ("31.02", "no such date"),
        ("2028-01-01", "at most a year"),
        ("someday", "couldn't read"),
    ],
)
def test_bad_pause_dates(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_pause_until(text, TODAY)


@pytest.mark.parametrize(
    ("done", "goal", "bar"),
    [
        (0, 150, "░░░░░░░░░░ 0%"),
        (75, 150, "▓▓▓▓▓░░░░░ 50%"),
        (135, 120, "▓▓▓▓▓▓▓▓▓▓ 113%"),
        (149, 150, "▓▓▓▓▓▓▓▓▓░ 99%"),
    ],
)
def test_progress_bar(done: int, goal: int, bar: str) -> None:
    assert progress_bar(done, goal) == bar


@pytest.mark.parametrize(
    ("elapsed", "every", "step"),
    [(0, 1, None), (1, 1, 1), (3, 1, 3), (4, 1, None), (2, 2, 1), (3, 2, None), (21, 7, 3)],
)
def test_inactivity_steps(elapsed: int, every: int, step: int | None) -> None:
    base = date(2026, 11, 1)
    assert inactivity_step(base, date.fromordinal(base.toordinal() + elapsed), every) == step


def test_inactivity_counts_from_the_latest_of_session_pause_and_joining() -> None:
    joined = date(2026, 10, 1)
    assert inactivity_base(None, None, joined) == joined
    assert inactivity_base(date(2026, 11, 20), None, joined) == date(2026, 11, 20)
    assert inactivity_base(date(2026, 11, 20), date(2026, 11, 22), joined) == date(2026, 11, 22)


def test_local_clock_across_the_date_line_and_dst() -> None:
    now = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    auckland, honolulu = local_clock("Pacific/Auckland", now), local_clock("Pacific/Honolulu", now)
    assert (auckland.today, auckland.minute, auckland.weekday) == (date(2026, 11, 26), 19 * 60, 3)
    assert (honolulu.today, honolulu.minute) == (date(2026, 11, 25), 20 * 60)
    spring = local_clock("America/New_York", datetime(2026, 3, 8, 7, 0, tzinfo=UTC))
    assert (spring.today, spring.minute) == (date(2026, 3, 8), 3 * 60)  # 02:00-03:00 skipped
    with pytest.raises(ValueError, match="aware"):
        local_clock("UTC", datetime(2026, 1, 1))
