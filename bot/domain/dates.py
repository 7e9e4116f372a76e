"""Practice dates: parse what a user types ("yesterday", "20.11", "friday") into a calendar date.

``today`` is always the user's local date (their timezone decides it), passed in by the caller.

Rules:
- Numeric dates are day first: "20.11", "20/11", "20.11.2026", "20.11.26"; ISO "2026-11-20" too.
  A day and month without a year mean the most recent such date that is not in the future
  ("20.11" typed on 2026-11-19 is 2025-11-20; "29.02" finds the last leap year).
- A weekday ("fri", "friday") is its most recent occurrence, today included: "friday" typed on
  a Friday is today. "last friday" is strictly before today, so on a Friday it is a week ago;
  on any other day it equals "friday".
- "N days ago" is ``today - N``; "0 days ago" is today.
- Dates after today are refused.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final, Literal

from bot.domain.echo import shorten
from bot.domain.errors import DomainError

DateOrder = Literal["day_first", "month_first"]
"""How a numeric date like 11/12 is read: 11 December (day first) or November 12 (month first)."""

_EXAMPLES: Final = "Try today, yesterday, 3 days ago, friday, 20.11 or 2026-11-20."
_FUTURE: Final = "That's in the future — practice dates can be today or earlier."
_DAY_FIRST_HINT: Final = "day comes first: 20.11 is 20 November"
_ISO_HINT: Final = "year-month-day: 2026-11-20 is 20 November 2026"

WEEKDAYS: Final[dict[str, int]] = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

_ISO_RE: Final = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})")
_DAY_MONTH_RE: Final = re.compile(
    r"(?P<d>[0-9]{1,2})(?P<sep>[./])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<y>[0-9]{4}|[0-9]{2}))?\.?"
)
_DAYS_AGO_RE: Final = re.compile(r"(?P<n>[0-9]+) days? ago")
_WEEKDAY_RE: Final = re.compile(rf"(?P<last>last )?(?P<day>{'|'.join(WEEKDAYS)})")
# How far back "29.02" may look for a leap year (2096 -> 2104 is the longest gap).
_LEAP_SEARCH_YEARS: Final = 8


def parse_practice_date(text: str, today: date) -> date:
    """Parse a typed practice date relative to the user's ``today``; never returns a future date."""
    cleaned = _clean(text)
    if not cleaned:
        raise DomainError(f"Please type the date you practiced. {_EXAMPLES}")
    return validate_practice_date(_parse(cleaned, text, today), today)


# History filters: range ends may lie after today ("2026-11-01..2026-12-31").
def parse_calendar_date(text: str, today: date) -> date:
    """Parse a typed date like parse_practice_date, but allow dates after ``today``."""
    cleaned = _clean(text)
    if not cleaned:
        raise DomainError(f"Please type a date. {_EXAMPLES}")
    return _parse(cleaned, text, today)


def validate_practice_date(practiced_on: date, today: date) -> date:
    """Refuse a practice date after the user's ``today``; return it unchanged otherwise."""
    if practiced_on > today:
        raise DomainError(_FUTURE)
    return practiced_on


def format_date(d: date, today: date) -> str:
    """Render a date for people: "today", "yesterday", "Fri 20 Nov", "Fri 20 Nov 2025"."""
    if d == today:
        return "today"
    if d == today - timedelta(days=1):
        return "yesterday"
    label = f"{_DAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]}"
    return label if d.year == today.year else f"{label} {d.year}"


def looks_like_date(token: str) -> bool:
    """Tell whether text is shaped like a date ("yesterday", "31.02", "last fri"), valid or not."""
    cleaned = _clean(token)
    if cleaned in ("today", "yesterday"):
        return True
    if _ISO_RE.fullmatch(cleaned) or _DAYS_AGO_RE.fullmatch(cleaned):
        return True
    if _WEEKDAY_RE.fullmatch(cleaned):
        return True
    # Plausible ranges only, so a version number like "2.0" or "3.14" is not taken for a date.
    match = _DAY_MONTH_RE.fullmatch(cleaned)
    return bool(match and 1 <= int(match["d"]) <= 31 and 1 <= int(match["m"]) <= 12)


def _parse(cleaned: str, original: str, today: date) -> date:
    """Turn normalised text into a date, which may still lie in the future."""
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    if match := _DAYS_AGO_RE.fullmatch(cleaned):
        return _days_before(today, match["n"])
    if match := _WEEKDAY_RE.fullmatch(cleaned):
        back = (today.weekday() - WEEKDAYS[match["day"]]) % 7
        if back == 0 and match["last"]:
            back = 7
        return today - timedelta(days=back)
    if match := _ISO_RE.fullmatch(cleaned):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        return _make_date(year, month, day, original, _ISO_HINT)
    if match := _DAY_MONTH_RE.fullmatch(cleaned):
        day, month = int(match["d"]), int(match["m"])
        if match["y"] is None:
            return _most_recent(day, month, today, original)
        year = int(match["y"])
        full_year = 2000 + year if len(match["y"]) == 2 else year
        return _make_date(full_year, month, day, original, _DAY_FIRST_HINT)
    raise DomainError(f"I couldn't read “{shorten(original)}” as a date. {_EXAMPLES}")


def _days_before(today: date, digits: str) -> date:
    """Go back a typed number of days, refusing counts that fall off the calendar."""
    too_far = DomainError("That's too far back — please give a more recent date.")
    if len(digits) > 7:  # more than any calendar's span; keeps int() cheap
        raise too_far
    try:
        return today - timedelta(days=int(digits))
    except OverflowError:
        raise too_far from None


def _most_recent(day: int, month: int, today: date, original: str) -> date:
    """Find the latest date with this day and month that is not after ``today``."""
    for year in range(today.year, today.year - _LEAP_SEARCH_YEARS - 1, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise _no_such_date(original, _DAY_FIRST_HINT)


def _make_date(year: int, month: int, day: int, original: str, hint: str) -> date:
    """Build a date, turning an impossible one (31.02) into a friendly error."""
    try:
        return date(year, month, day)
    except ValueError:
        raise _no_such_date(original, hint) from None


def _no_such_date(original: str, hint: str) -> DomainError:
    """Explain an impossible calendar date."""
    return DomainError(
        f"There's no such date as “{shorten(original)}” — check the day and month ({hint})."
    )


def _clean(text: str) -> str:
    """Lowercase and collapse whitespace so "Last  Friday " reads as "last friday"."""
    return " ".join(text.split()).lower()
