"""Timer arithmetic from stored timestamps: elapsed, pauses, rounding, dates, cadence, parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import DomainError
from bot.domain.timer import (
    MAX_TIMER,
    TimerClock,
    clean_intention,
    clean_next_focus,
    minutes_to_save,
    next_refresh,
    parse_timer_args,
    start_date,
    stop_time,
    timer_description,
    whole_minutes,
)

START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SKILLS = [(1, "Guitar"), (2, "Go"), (3, "Jazz Guitar"), (4, "Piano")]

seconds = st.integers(min_value=0, max_value=2 * 86_400)


@given(run=seconds, pause=seconds, more=seconds)
def test_paused_time_never_counts(run: int, pause: int, more: int) -> None:
    """Pause after `run` s for `pause` s, resume, run `more` s: exactly run + more count."""
    paused_at = START + timedelta(seconds=run)
    resumed_at = paused_at + timedelta(seconds=pause)
    while_paused = TimerClock(START, paused_at, 0)
    assert while_paused.elapsed(resumed_at) == timedelta(seconds=run)
    resumed = TimerClock(START, None, while_paused.resumed_pause_seconds(resumed_at))
    assert resumed.elapsed(resumed_at + timedelta(seconds=more)) == timedelta(seconds=run + more)


@given(elapsed=st.integers(min_value=0, max_value=10 * 86_400))
def test_saved_minutes_are_rounded_at_least_one_and_at_most_a_day(elapsed: int) -> None:
    saved = minutes_to_save(timedelta(seconds=elapsed))
    assert 1 <= saved <= 1440
    if 90 <= elapsed <= 86_000:
        assert abs(saved * 60 - elapsed) <= 30


@pytest.mark.parametrize(
    ("elapsed", "saved"), [(0, 1), (29, 1), (89, 1), (90, 2), (23 * 60 + 29, 23), (10**6, 1440)]
)
def test_rounding_examples(elapsed: int, saved: int) -> None:
    assert minutes_to_save(timedelta(seconds=elapsed)) == saved


def test_live_minutes_are_whole_minutes_so_far() -> None:
    assert whole_minutes(timedelta(minutes=23, seconds=59)) == 23


def test_stopping_before_a_pause_counts_up_to_the_stop() -> None:
    clock = TimerClock(START, START + timedelta(minutes=50), 600)
    assert clock.elapsed_until(START + timedelta(minutes=30)) == timedelta(minutes=20)
    assert clock.elapsed_until(START + timedelta(hours=3)) == timedelta(minutes=40)


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Etc/GMT-13", date(2026, 11, 26)),
        ("Etc/GMT+10", date(2026, 11, 25)),
        ("UTC", date(2026, 11, 25)),
    ],
)
def test_the_session_date_is_the_local_start_date(zone: str, day: date) -> None:
    assert start_date(START, zone) == day


def test_refresh_every_minute_for_ten_minutes_then_every_five() -> None:
    assert next_refresh(START, START + timedelta(minutes=9)) == START + timedelta(minutes=10)
    assert next_refresh(START, START + timedelta(minutes=10)) == START + timedelta(minutes=15)


def test_the_guard_stops_at_the_last_time_seen_within_a_day() -> None:
    seen = START + timedelta(hours=3)
    assert stop_time(seen, START) == seen
    assert stop_time(START + timedelta(hours=30), START) == START + MAX_TIMER


def test_descriptions_from_intentions() -> None:
    assert timer_description(None) is None
    assert timer_description("scales") == "Timer: scales"
    assert timer_description("scales at 90 bpm") == "scales at 90 bpm"


@pytest.mark.parametrize(
    ("text", "skills", "intention"),
    [
        ("guitar scales at 90 bpm", (1,), "scales at 90 bpm"),
        ("Jazz guitar", (3,), None),
        ("jazz guitar  ii-V-I", (3,), "ii-V-I"),
        ("go", (2,), None),  # a full name beats a prefix of another
        ("g arpeggios", (1, 2), "arpeggios"),
        ("pia", (4,), None),
        ("violin vibrato", (), "violin vibrato"),
    ],
)
def test_parse_timer_args(text: str, skills: tuple[int, ...], intention: str | None) -> None:
    request = parse_timer_args(text, SKILLS)
    assert (request.skill_ids, request.intention) == (skills, intention)


def test_long_intentions_and_next_focus_are_refused() -> None:
    with pytest.raises(DomainError):
        parse_timer_args("guitar " + "x" * 501, SKILLS)
    with pytest.raises(DomainError, match="Type what you'll work on next"):
        clean_next_focus("   ")
    assert clean_next_focus("  legato\n at 100 ") == "legato at 100"
    assert clean_next_focus("x" * 200) == "x" * 200
    with pytest.raises(DomainError, match=r"^That's 201 characters; .* focus to 200 at most, or"):
        clean_next_focus("x" * 201)
    assert clean_intention(" \n ") is None
    assert clean_intention("x" * 500) == "x" * 500
    with pytest.raises(DomainError, match=r"^That intention is 501 characters; .* to 500 at most"):
        clean_intention("x " * 250 + "x")
