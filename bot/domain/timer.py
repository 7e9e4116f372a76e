"""Practice timer rules: elapsed time from stored timestamps, the minutes to save, the cadence.

A timer never ticks: its time is always (end - started_at) - paused time, where `end` is now,
or the moment it was paused. Everything here is pure; `now` is always an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError
from bot.domain.practice import MAX_MINUTES_PER_DAY, MIN_DESCRIPTION_LENGTH, validate_description
from bot.domain.skills import skill_name_key

# A timer is never saved longer than a day, however long it was left running.
MAX_TIMER: Final = timedelta(minutes=MAX_MINUTES_PER_DAY)
# Refresh the live message every minute at first, then every five.
FAST_REFRESH: Final = timedelta(minutes=1)
SLOW_REFRESH: Final = timedelta(minutes=5)
FAST_REFRESH_FOR: Final = timedelta(minutes=10)
MAX_INTENTION_LENGTH: Final = 500
MAX_NEXT_FOCUS_LENGTH: Final = 200
_SPACE_RE: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class TimerClock:
    """The stored timestamps of a timer, enough to know its time at any moment."""

    started_at: datetime
    paused_at: datetime | None
    paused_seconds: int

    def elapsed(self, now: datetime) -> timedelta:
        """Practised time so far: paused time excluded, never negative."""
        end = self.paused_at if self.paused_at is not None else now
        spent = end - self.started_at - timedelta(seconds=self.paused_seconds)
        return max(spent, timedelta(0))

    def elapsed_until(self, stop_at: datetime) -> timedelta:
        """Practised time if the timer had stopped at `stop_at` (before a pause began, too)."""
        if self.paused_at is not None and stop_at >= self.paused_at:
            return self.elapsed(stop_at)
        spent = stop_at - self.started_at - timedelta(seconds=self.paused_seconds)
        return max(spent, timedelta(0))

    def resumed_pause_seconds(self, now: datetime) -> int:
        """paused_seconds after resuming at `now` (the current pause added)."""
        if self.paused_at is None:
            return self.paused_seconds
        return self.paused_seconds + max(0, round((now - self.paused_at).total_seconds()))


def whole_minutes(elapsed: timedelta) -> int:
    """Minutes shown on the live message: whole minutes so far."""
    return int(elapsed.total_seconds() // 60)


def minutes_to_save(elapsed: timedelta) -> int:
    """Minutes a stopped timer saves: rounded to the nearest minute, at least 1, at most 24 h."""
    rounded = int((elapsed.total_seconds() + 30) // 60)
    return min(max(rounded, 1), MAX_MINUTES_PER_DAY)


def start_date(started_at: datetime, timezone: str) -> date:
    """The user's local calendar date when the timer started: the session's date."""
    return started_at.astimezone(ZoneInfo(timezone)).date()


def next_refresh(started_at: datetime, now: datetime) -> datetime:
    """When the live message is next due for a refresh: every minute first, then every five."""
    step = FAST_REFRESH if now - started_at < FAST_REFRESH_FOR else SLOW_REFRESH
    return now + step


def stop_time(last_seen_at: datetime, started_at: datetime) -> datetime:
    """Where the guard stops a forgotten timer: when the user was last there, within 24 h."""
    return min(last_seen_at, started_at + MAX_TIMER)


def timer_description(intention: str | None) -> str | None:
    """The session's description from the intention; None means the automatic one."""
    if not intention:
        return None
    if len(intention) < MIN_DESCRIPTION_LENGTH:
        # Short intentions ("scales") are still what the session was about.
        intention = f"Timer: {intention}"
    try:
        return validate_description(intention)
    except DomainError:
        return None


def _one_line(raw: str, limit: int, too_long: str) -> str:
    """Typed text on one line; past ``limit``, DomainError(too_long with {length}, {limit})."""
    text = _SPACE_RE.sub(" ", raw).strip()
    if len(text) > limit:
        raise DomainError(too_long.format(length=len(text), limit=limit))
    return text


def clean_intention(raw: str) -> str | None:
    """The typed intention on one line, or None if empty; DomainError if too long."""
    too_long = "That intention is {length} characters; please keep it to {limit} at most."
    return _one_line(raw, MAX_INTENTION_LENGTH, too_long) or None


def clean_next_focus(raw: str) -> str:
    """The typed next focus on one line; DomainError if empty or too long."""
    too_long = (
        "That's {length} characters; please keep your next focus to {limit} at most, or tap Skip."
    )
    text = _one_line(raw, MAX_NEXT_FOCUS_LENGTH, too_long)
    if not text:
        raise DomainError("Type what you'll work on next, or tap Skip.")
    return text


def read_next_focus(value: object) -> str | None:
    """A next focus read from a file, or None when absent or unusable (left out, as a goal is)."""
    if not isinstance(value, str):
        return None
    try:
        return clean_next_focus(value)
    except DomainError:
        return None


@dataclass(frozen=True, slots=True)
class TimerRequest:
    """What `/timer <text>` asked for: a skill (or candidates) and the optional intention."""

    skill_ids: tuple[int, ...]
    intention: str | None


def parse_timer_args(text: str, skills: list[tuple[int, str]]) -> TimerRequest:
    """Split '/timer guitar scales at 90 bpm' into the skill and the intention.

    The longest run of leading words that is a skill's full name wins; otherwise the first
    word picks every skill whose name begins with it (one is a match, several a question).
    No skill: empty skill_ids, and the whole text stays the intention.
    """
    words = text.split()
    keys = {skill_id: skill_name_key(name) for skill_id, name in skills}
    for count in range(len(words), 0, -1):
        key = skill_name_key(" ".join(words[:count]))
        exact = tuple(skill_id for skill_id, name_key in keys.items() if name_key == key)
        if exact:
            return TimerRequest(exact[:1], clean_intention(" ".join(words[count:])))
    if not words:
        return TimerRequest((), None)
    first = skill_name_key(words[0])
    starts = tuple(skill_id for skill_id, name_key in keys.items() if name_key.startswith(first))
    if starts:
        return TimerRequest(starts, clean_intention(" ".join(words[1:])))
    return TimerRequest((), clean_intention(text))
