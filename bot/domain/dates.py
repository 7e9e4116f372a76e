"""Practice dates: parse what a user types ("yesterday", "2 weeks ago", "Nov 20") into a date.

``today`` is always the user's local date (their timezone decides it), passed in by the caller.

Rules:
- Numeric dates follow the user's order (``DateOrder``): "20.11", "11/20", "20.11.2026",
  "20.11.26"; ISO "2026-11-20" always. A date that only fits the other order is read that way
  ("11/25" can only be 25 November, "20.11" only 20 November). Where both orders give two
  different valid dates ("11/12"), the chat asks once; ``read_date`` reports both.
- Month names, either way round, with an optional year and weekday: "Nov 20", "20 November",
  "20th of Nov 2025", "Fri 20 Nov".
- A day and month without a year mean the most recent such date that is not in the future
  ("20.11" typed on 2026-11-19 is 2025-11-20; "29.02" finds the last leap year).
- A weekday ("fri", "friday") is its most recent occurrence, today included: "friday" typed on
  a Friday is today. "last friday" is strictly before today, so on a Friday it is a week ago;
  on any other day it equals "friday". "next friday" is strictly after today.
- "N days ago", "N weeks ago" ("a week ago") count back from today; "0 days ago" is today.
- Dates after today ("tomorrow", "next friday", a later date) are refused.
- A phrase one or two typos away from a date ("fridya", "20 novmber") is a guess to confirm,
  never a date taken silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import product
from typing import Final, Literal

from bot.domain.echo import shorten
from bot.domain.errors import DomainError
from bot.domain.typos import allowed_typos, nearest

DateOrder = Literal["day_first", "month_first"]
"""How a numeric date like 11/12 is read: 11 December (day first) or November 12 (month first)."""

DATE_ORDERS: Final[tuple[DateOrder, ...]] = ("day_first", "month_first")

_EXAMPLES: Final = "Try today, yesterday, 2 weeks ago, friday, Nov 20 or 2026-11-20."
FUTURE_DATE: Final = "The date cannot be in the future — practice dates are today or earlier."
_ORDER_HINTS: Final[dict[DateOrder, str]] = {
    "day_first": "day comes first: 20.11 is 20 November",
    "month_first": "month comes first: 11/20 is November 20",
}
_ISO_HINT: Final = "year-month-day: 2026-11-20 is 20 November 2026"
_NAMED_HINT: Final = "check the day of the month"

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
MONTH_NAMES: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS: Final[dict[str, int]] = {
    **{name: i + 1 for i, name in enumerate(MONTH_NAMES)},
    **{name[:3]: i + 1 for i, name in enumerate(MONTH_NAMES)},
    "sept": 9,
}
_NUMBER_WORDS: Final = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_DAY: Final = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_MON: Final = rf"(?P<mon>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?"
_YEAR: Final = r"(?:,? (?P<y>[0-9]{4}))?"
_WEEKDAY_PREFIX: Final = rf"(?:(?:{'|'.join(WEEKDAYS)}),? )?"

_ISO_RE: Final = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})")
_NUMERIC_RE: Final = re.compile(
    r"(?P<a>[0-9]{1,2})(?P<sep>[./])(?P<b>[0-9]{1,2})(?:(?P=sep)(?P<y>[0-9]{4}|[0-9]{2}))?\.?"
)
_MONTH_DAY_RE: Final = re.compile(rf"{_WEEKDAY_PREFIX}{_MON} {_DAY}{_YEAR}")
_DAY_MONTH_RE: Final = re.compile(rf"{_WEEKDAY_PREFIX}{_DAY} (?:of )?{_MON}{_YEAR}")
_AGO_RE: Final = re.compile(rf"(?P<n>[0-9]+|{'|'.join(_NUMBER_WORDS)}) (?P<unit>days?|weeks?) ago")
_WEEKDAY_RE: Final = re.compile(rf"(?:(?P<rel>last|next) )?(?P<day>{'|'.join(WEEKDAYS)})")
# How far back "29.02" may look for a leap year (2096 -> 2104 is the longest gap).
_LEAP_SEARCH_YEARS: Final = 8

# Words a typo'd date is corrected towards; three-letter words are too close to ordinary ones
# ("now" and "nov"), so only longer ones are guessed at.
_VOCABULARY: Final = tuple(
    word
    for word in (
        *WEEKDAYS,
        *MONTHS,
        "today",
        "yesterday",
        "tomorrow",
        "days",
        "weeks",
        "last",
        "next",
    )
    if len(word) >= 4
)


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date-shaped phrase says: a date, a refusal, or a question to ask the user."""

    day: date | None = None  # understood and not in the future
    problem: str | None = None  # refused: in the future, or no such date
    guess: date | None = None  # a near-miss ("fridya"): ask "Did you mean ...?"
    # Both readings of an ambiguous numeric date ("11/12"), to ask which order the user means.
    choices: tuple[tuple[DateOrder, date], ...] = ()


def parse_practice_date(text: str, today: date, order: DateOrder = "day_first") -> date:
    """Parse a typed practice date relative to the user's ``today``; never returns a future date."""
    cleaned = _clean(text)
    if not cleaned:
        raise DomainError(f"Please type the date you practiced. {_EXAMPLES}")
    return validate_practice_date(_parse_or_explain(cleaned, text, today, order), today)


# History filters: range ends may lie after today ("2026-11-01..2026-12-31").
def parse_calendar_date(text: str, today: date, order: DateOrder = "day_first") -> date:
    """Parse a typed date like parse_practice_date, but allow dates after ``today``."""
    cleaned = _clean(text)
    if not cleaned:
        raise DomainError(f"Please type a date. {_EXAMPLES}")
    return _parse_or_explain(cleaned, text, today, order)


def read_date(
    text: str, today: date, order: DateOrder = "day_first", *, ask_order: bool = False
) -> DateReading | None:
    """Read a typed phrase as a practice date; None when it isn't shaped like one at all.

    With ``ask_order`` an ambiguous numeric date comes back as two ``choices`` instead of being
    read in ``order``.
    """
    return _read(_clean(text), today, order, ask_order)


@lru_cache(maxsize=4096)
def _read(cleaned: str, today: date, order: DateOrder, ask_order: bool) -> DateReading | None:
    """read_date on normalised text; cached, as a chat re-reads the same short phrases."""
    if not cleaned:
        return None
    if ask_order and (choices := _order_choices(cleaned, today)):
        return DateReading(choices=choices)
    try:
        day = _parse(cleaned, cleaned, today, order)
    except DomainError as error:
        return DateReading(problem=str(error))
    if day is None:
        guess = _guess(cleaned, today, order)
        if guess is None:
            return None
        return DateReading(problem=FUTURE_DATE) if guess > today else DateReading(guess=guess)
    return DateReading(problem=FUTURE_DATE) if day > today else DateReading(day=day)


def validate_practice_date(practiced_on: date, today: date) -> date:
    """Refuse a practice date after the user's ``today``; return it unchanged otherwise."""
    if practiced_on > today:
        raise DomainError(FUTURE_DATE)
    return practiced_on


def format_date(d: date, today: date) -> str:
    """Render a date for people: "today", "yesterday", "Fri 20 Nov", "Fri 20 Nov 2025"."""
    if d == today:
        return "today"
    if d == today - timedelta(days=1):
        return "yesterday"
    label = f"{_DAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]}"
    return label if d.year == today.year else f"{label} {d.year}"


@lru_cache(maxsize=8192)
def may_start_date(word: str) -> bool:
    """Tell whether a date phrase can begin with this lowercased word: a cheap filter for scans."""
    return (
        word[:1].isdigit()
        or word in _FIRST_WORDS
        or word.rstrip(",.") in _FIRST_WORDS
        or _nearest_words(word) != (word,)
    )


def looks_like_date(token: str, order: DateOrder = "day_first") -> bool:
    """Tell whether text is shaped like a date ("yesterday", "31.02", "last fri"), valid or not."""
    try:
        return _parse(_clean(token), token, date(2000, 1, 1), order) is not None
    except DomainError:
        return True


def _parse_or_explain(cleaned: str, original: str, today: date, order: DateOrder) -> date:
    """_parse, turning "not a date at all" into a message that offers a near-miss if any."""
    parsed = _parse(cleaned, original, today, order, loose=True)
    if parsed is not None:
        return parsed
    guess = _guess(cleaned, today, order)
    if guess is not None and guess > today:
        raise DomainError(FUTURE_DATE)
    hint = f"Did you mean {format_date(guess, today)}? " if guess else ""
    raise DomainError(f"I couldn't read “{shorten(original)}” as a date. {hint}{_EXAMPLES}")


def _parse(
    cleaned: str, original: str, today: date, order: DateOrder, *, loose: bool = False
) -> date | None:
    """Turn normalised text into a date, which may lie in the future; None: not date-shaped.

    Raises DomainError for a date-shaped phrase that names no real date ("31.02"). ``loose``
    (the whole text is meant as a date) also takes implausible numbers ("32.1") as a date to refuse.
    """
    if cleaned in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[cleaned])
    if match := _AGO_RE.fullmatch(cleaned):
        per = 7 if match["unit"].startswith("week") else 1
        return _days_before(today, match["n"], per)
    if match := _WEEKDAY_RE.fullmatch(cleaned):
        wanted = WEEKDAYS[match["day"]]
        if match["rel"] == "next":
            return today + timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)
        back = (today.weekday() - wanted) % 7
        if back == 0 and match["rel"]:
            back = 7
        return today - timedelta(days=back)
    if match := _ISO_RE.fullmatch(cleaned):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        return _make_date(year, month, day, original, _ISO_HINT)
    if (match := _MONTH_DAY_RE.fullmatch(cleaned)) or (match := _DAY_MONTH_RE.fullmatch(cleaned)):
        day, month = int(match["d"]), MONTHS[match["mon"]]
        if match["y"] is None:
            return _most_recent(day, month, today, original, _NAMED_HINT)
        return _make_date(int(match["y"]), month, day, original, _NAMED_HINT)
    if match := _NUMERIC_RE.fullmatch(cleaned):
        read = _numeric_order(match, order, loose)
        if read is None:
            return None
        day, month = read
        hint = _ORDER_HINTS[order]
        if match["y"] is None:
            return _most_recent(day, month, today, original, hint)
        year = int(match["y"])
        full_year = 2000 + year if len(match["y"]) == 2 else year
        return _make_date(full_year, month, day, original, hint)
    return None


_RELATIVE_DAYS: Final = {"today": 0, "yesterday": -1, "tomorrow": 1}
_FIRST_WORDS: Final = frozenset(
    {*_RELATIVE_DAYS, *_NUMBER_WORDS, *WEEKDAYS, *MONTHS, "last", "next"}
)


def _numeric_order(match: re.Match[str], order: DateOrder, loose: bool) -> tuple[int, int] | None:
    """(day, month) of "20.11" or "11/20" in the user's order; None if not plausibly a date.

    Plausible ranges only, so a version number like "2.0" or "3.14" is not taken for a date;
    a "/" date that only fits the other order is read that way.
    """
    a, b = int(match["a"]), int(match["b"])
    day, month = (a, b) if order == "day_first" else (b, a)
    if 1 <= day <= 31 and 1 <= month <= 12:
        return day, month
    # The other order, where only it fits: always for "/" ("11/25"); for "." only when the first
    # number can only be a day ("20.11"), so a version number "3.14" stays a version.
    swap = match["sep"] == "/" or a > 12
    if swap and 1 <= month <= 31 and 1 <= day <= 12:
        return month, day
    return (day, month) if loose else None


def _order_choices(cleaned: str, today: date) -> tuple[tuple[DateOrder, date], ...]:
    """Both readings of a numeric date when the two orders give two different real past dates."""
    match = _NUMERIC_RE.fullmatch(cleaned)
    if match is None or int(match["a"]) > 12 or int(match["b"]) > 12 or match["a"] == match["b"]:
        return ()
    readings: list[tuple[DateOrder, date]] = []
    for order in DATE_ORDERS:
        try:
            day = _parse(cleaned, cleaned, today, order)
        except DomainError:
            return ()
        if day is None or day > today:
            return ()
        readings.append((order, day))
    return tuple(readings) if readings[0][1] != readings[1][1] else ()


def _guess(cleaned: str, today: date, order: DateOrder) -> date | None:
    """The date a phrase with a typo or two most likely means ("fridya", "2 weks ago"), if any."""
    words = cleaned.split()
    if len(words) > 4:
        return None
    options = [_nearest_words(word) for word in words]
    if all(option == (word,) for option, word in zip(options, words, strict=True)):
        return None
    # A typo can be as close to two words ("weks": weeks, weds): the reading that parses wins.
    for fixed in product(*options):
        try:
            day = _parse(" ".join(fixed), cleaned, today, order)
        except DomainError:
            continue
        if day is not None:
            return day
    return None


@lru_cache(maxsize=8192)
def _nearest_words(word: str) -> tuple[str, ...]:
    """The date words ``word`` is a typo of (one edit, two for long words), else ``word`` itself."""
    if len(word) < 4 or word in _VOCABULARY or not word.isalpha():
        return (word,)
    # A plural ("mondays", "sundays") is an ordinary word, not a typo.
    if any(word == f"{candidate}s" for candidate in _VOCABULARY):
        return (word,)
    allowed = allowed_typos(word)
    words = ((candidate, candidate) for candidate in _VOCABULARY)
    return tuple(nearest(word, words, lambda _: allowed)) or (word,)


def _days_before(today: date, digits: str, per: int = 1) -> date:
    """Go back a typed number of days or weeks, refusing counts that fall off the calendar."""
    too_far = DomainError("That's too far back — please give a more recent date.")
    if digits in _NUMBER_WORDS:
        return today - timedelta(days=_NUMBER_WORDS[digits] * per)
    if len(digits) > 7:  # more than any calendar's span; keeps int() cheap
        raise too_far
    try:
        return today - timedelta(days=int(digits) * per)
    except OverflowError:
        raise too_far from None


def _most_recent(day: int, month: int, today: date, original: str, hint: str) -> date:
    """Find the latest date with this day and month that is not after ``today``."""
    for year in range(today.year, today.year - _LEAP_SEARCH_YEARS - 1, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise _no_such_date(original, hint)


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
