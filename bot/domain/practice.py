"""Practice log validation (spec section 7), one field at a time and all together.

The /log conversation validates each answer as it arrives, so every rule is its own function
raising :class:`DomainError` with a message for the user; saving a :class:`SessionDraft` runs
them all (bot/services/practice.py), the day cap and ownership in the insert itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.domain.dates import validate_practice_date
from bot.domain.durations import format_duration, validate_duration
from bot.domain.errors import DomainError
from bot.domain.skills import SkillRef

# Where a session came from (practice_logs.source): typed, Quick Log, a spreadsheet, a restore.
SESSION_SOURCES: Final = ("chat", "quick", "import", "restore", "timer")

__all__ = [
    "MAX_DESCRIPTION_LENGTH",
    "MAX_RATING",
    "MIN_DESCRIPTION_LENGTH",
    "MIN_RATING",
    "SESSION_SOURCES",
    "SessionDraft",
    "check_daily_total",
    "quick_description",
    "validate_description",
    "validate_duration",
    "validate_practice_date",
    "validate_rating",
]

MIN_DESCRIPTION_LENGTH: Final = 10
MAX_DESCRIPTION_LENGTH: Final = 500
MIN_RATING: Final = 1
MAX_RATING: Final = 5
MAX_MINUTES_PER_DAY: Final = 1440

_DESCRIPTION_EXAMPLE: Final = "e.g. “Built a todo list component”"
_HORIZONTAL_SPACE_RE: Final = re.compile(r"[^\S\n]+")
_BLANK_LINES_RE: Final = re.compile(r"\n{3,}")
# Long enough for any sensible skill name while keeping the generated text well under 500.
_QUICK_NAME_LIMIT: Final = 100


@dataclass(frozen=True, slots=True)
class SessionDraft:
    """A session to save. ``description=None`` means the generated Quick Log description.

    ``client_token`` makes the save idempotent: a second save with the same token (a double
    tap, a retried update) returns the first session instead of adding another.
    """

    skill_id: int
    practiced_on: date
    duration_minutes: int
    description: str | None
    difficulty: int | None = None
    confidence: int | None = None
    source: str = "chat"
    client_token: str | None = None


def validate_description(text: str) -> str:
    """Tidy a description (trim, single spaces, at most one blank line) and check 10-500 chars."""
    cleaned = _normalize(text)
    length = len(cleaned)
    if length == 0:
        raise DomainError(
            f"Please describe what you practiced in {MIN_DESCRIPTION_LENGTH}-"
            f"{MAX_DESCRIPTION_LENGTH} characters, {_DESCRIPTION_EXAMPLE}."
        )
    if length < MIN_DESCRIPTION_LENGTH:
        raise DomainError(
            f"That's {_characters(length)} — please write at least {MIN_DESCRIPTION_LENGTH} "
            f"(up to {MAX_DESCRIPTION_LENGTH}) about what you practiced, {_DESCRIPTION_EXAMPLE}."
        )
    if length > MAX_DESCRIPTION_LENGTH:
        raise DomainError(
            f"That's {_characters(length)} — please keep it to {MAX_DESCRIPTION_LENGTH} at most "
            f"(and at least {MIN_DESCRIPTION_LENGTH})."
        )
    return cleaned


def validate_rating(value: int | None, what: str) -> int | None:
    """Check an optional 1-5 rating; ``what`` names it in the message ("difficulty")."""
    if value is None:
        return None
    if not MIN_RATING <= value <= MAX_RATING:
        raise DomainError(
            f"{what.capitalize()} is rated from {MIN_RATING} to {MAX_RATING}, "
            f"so {value} doesn't fit. Pick a number from {MIN_RATING} to {MAX_RATING}."
        )
    return value


def check_daily_total(existing_minutes_that_day: int, new_minutes: int) -> None:
    """Refuse a session that would take the day's total past 24 hours, saying what is left."""
    total = existing_minutes_that_day + new_minutes
    if total <= MAX_MINUTES_PER_DAY:
        return
    left = max(0, MAX_MINUTES_PER_DAY - existing_minutes_that_day)
    logged = format_duration(max(0, existing_minutes_that_day))
    if left == 0:
        raise DomainError(
            f"You've already logged {logged} on that day, which is the 24-hour limit, "
            "so there's no room for another session. Pick another date?"
        )
    raise DomainError(
        f"You've already logged {logged} on that day, so only {format_duration(left)} of its "
        f"24 hours is left — {format_duration(new_minutes)} won't fit."
    )


def quick_description(skill_name: str, minutes: int) -> str:
    """Build a Quick Log description ("Quick practice: 30 min of React") that always validates."""
    name = " ".join(_normalize(skill_name).split())
    if len(name) > _QUICK_NAME_LIMIT:
        name = name[: _QUICK_NAME_LIMIT - 1].rstrip() + "…"
    # The fixed prefix alone is over 10 characters, so even a one-letter name needs no padding.
    text = f"Quick practice: {format_duration(minutes)}"
    return f"{text} of {name}" if name else text


def _normalize(text: str) -> str:
    """Trim, turn runs of spaces/tabs into one space, keep newlines but at most one blank line."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters are invisible in chat, and PostgreSQL text refuses NUL outright.
    visible = "".join(
        char for char in unified if char in "\n\t" or unicodedata.category(char) != "Cc"
    )
    lines = (_HORIZONTAL_SPACE_RE.sub(" ", line).strip() for line in visible.split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def _characters(count: int) -> str:
    """Say "1 character" or "7 characters"."""
    return f"{count} character" if count == 1 else f"{count} characters"


@dataclass(frozen=True, slots=True)
class RepeatChoice:
    """The "Repeat last session" button: the last session's skill and duration."""

    skill_id: int
    skill_name: str
    minutes: int


@dataclass(frozen=True, slots=True)
class QuickOptions:
    """What a Quick Log keyboard offers: active skills, most recently practised first."""

    skills: list[SkillRef]
    repeat: RepeatChoice | None
