"""Reading one cell of an imported row: dates, skills, durations, ratings, descriptions, timestamps.

Each reader raises :class:`CellError` with the reason a user sees; the row builder collects them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from openpyxl.utils.datetime import from_excel

from bot.domain.dates import DateOrder, validate_practice_date
from bot.domain.durations import format_duration, parse_duration, validate_duration
from bot.domain.echo import shorten
from bot.domain.errors import DomainError
from bot.domain.practice import (
    MAX_DESCRIPTION_LENGTH,
    MIN_DESCRIPTION_LENGTH,
    validate_description,
    validate_rating,
)
from bot.domain.skills import normalize_skill_name

_DATE_HINT: Final = "write it like 2026-11-20 or 20.11.2026"


class CellError(Exception):
    """One reason a row is invalid (collected, then reported together)."""


@dataclass(frozen=True, slots=True)
class Rules:
    """How to read the cells of one file."""

    today: date
    month_first: bool = False
    hours: bool = False
    generate_description: bool = True
    strict_timestamps: bool = False
    excel_epoch: datetime | None = None


def is_blank(value: object) -> bool:
    """Tell whether a cell is empty (None or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


_YMD_RE: Final = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ].*)?")
_NUMERIC_DATE_RE: Final = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[T ,].*)?")
_NAMED_DATE_FORMATS: Final = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")


def _date_or_error(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"There's no such date as “{shorten(text)}”.") from None


def _parse_date_text(text: str, month_first: bool) -> date:
    """Read a written date: ISO, day-first numeric, month-first when unambiguous, or month names."""
    cleaned = text.strip()
    if match := _YMD_RE.fullmatch(cleaned):
        return _date_or_error(int(match[1]), int(match[3]), int(match[4]), cleaned)
    if match := _NUMERIC_DATE_RE.fullmatch(cleaned):
        first, second, year_text = int(match[1]), int(match[3]), match[4]
        year = 2000 + int(year_text) if len(year_text) == 2 else int(year_text)
        swap = first <= 12 < second or (month_first and first <= 12 and second <= 12)
        day, month = (second, first) if swap else (first, second)
        return _date_or_error(year, month, day, cleaned)
    named = " ".join(cleaned.replace(",", " ").split())
    for pattern in _NAMED_DATE_FORMATS:
        try:
            return datetime.strptime(named, pattern).date()
        except ValueError:
            continue
    raise CellError(f"Unreadable date “{shorten(cleaned)}” ({_DATE_HINT}).")


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """What a file's numeric dates say about their order."""

    order: DateOrder | None
    # A date that reads either way (03/04/2026), when the file proves no order.
    ambiguous_example: str | None


def date_evidence(values: Iterable[object]) -> DateEvidence:
    """Tell whether a file writes numeric dates day or month first (only if some date proves it).

    28/10 can only be day first and 10/28 only month first; a file with both proves nothing.
    """
    month_first = day_first = False
    ambiguous: str | None = None
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC_DATE_RE.fullmatch(value.strip())
        if match is None:
            continue
        first, second = int(match[1]), int(match[3])
        month_first |= first <= 12 < second
        day_first |= second <= 12 < first
        if ambiguous is None and first <= 12 and second <= 12 and first != second:
            ambiguous = value.strip()
    if month_first != day_first:
        return DateEvidence("month_first" if month_first else "day_first", None)
    return DateEvidence(None, None if month_first else ambiguous)


def read_date(value: object, rules: Rules) -> date:
    """Read a practice date from a cell: a date, an Excel serial or text; never after today."""
    if is_blank(value):
        raise CellError("Missing date.")
    if isinstance(value, datetime):
        practiced_on = value.date()
    elif isinstance(value, date):
        practiced_on = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        practiced_on = _excel_serial_date(value, rules)
    else:
        practiced_on = _parse_date_text(str(value), rules.month_first)
    try:
        return validate_practice_date(practiced_on, rules.today)
    except DomainError:
        raise CellError(f"The date {practiced_on.isoformat()} is in the future.") from None


def _excel_serial_date(value: float, rules: Rules) -> date:
    # Serial 1 is 1900-01-01 and 2958465 is 9999-12-31, Excel's own range.
    if rules.excel_epoch is None or not 1 <= value <= 2958465:
        raise CellError(f"Unreadable date “{value}” ({_DATE_HINT}).")
    converted = from_excel(value, rules.excel_epoch)
    if not isinstance(converted, datetime):
        raise CellError(f"Unreadable date “{value}” ({_DATE_HINT}).")
    return converted.date()


def read_skill(value: object) -> str:
    """Read a skill name from a cell, normalised as when typed in chat."""
    if is_blank(value):
        raise CellError("Missing skill.")
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    try:
        return normalize_skill_name(text)
    except DomainError as exc:
        raise CellError(str(exc)) from None


_CLOCK_RE: Final = re.compile(r"(\d{1,5}):([0-5]\d):([0-5]\d)")
_PLAIN_NUMBER_RE: Final = re.compile(r"\d{1,6}(?:[.,]\d{1,9})?")


def _round_minutes(minutes: Decimal) -> int:
    return int(minutes.to_integral_value(rounding=ROUND_HALF_UP))


def _checked_minutes(minutes: int) -> int:
    try:
        return validate_duration(minutes)
    except DomainError as exc:
        raise CellError(str(exc)) from None


def read_duration(value: object, rules: Rules) -> int:
    """Read minutes from a cell; ``rules.hours`` means bare numbers are hours (1.5 = 90 min)."""
    if is_blank(value):
        raise CellError("Missing duration.")
    if isinstance(value, bool | date):
        raise CellError(f"Unreadable duration “{shorten(str(value))}”.")
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return _checked_minutes(_round_minutes(Decimal(seconds) / 60))
    if isinstance(value, timedelta):
        return _checked_minutes(_round_minutes(Decimal(value.total_seconds()) / 60))
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if number < 0:
            raise CellError("A duration can't be negative.")
        return _checked_minutes(_round_minutes(number * 60 if rules.hours else number))
    text = str(value).strip()
    if match := _CLOCK_RE.fullmatch(text):
        seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])
        return _checked_minutes(_round_minutes(Decimal(seconds) / 60))
    if rules.hours and _PLAIN_NUMBER_RE.fullmatch(text):
        return _checked_minutes(_round_minutes(Decimal(text.replace(",", ".")) * 60))
    try:
        return parse_duration(text)
    except DomainError as exc:
        raise CellError(str(exc)) from None


_WHOLE_NUMBER_RE: Final = re.compile(r"\d{1,3}(?:[.,]0+)?")


def read_rating(value: object, what: str) -> int | None:
    """Read an optional 1-5 rating (difficulty or confidence) from a cell."""
    if is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE_NUMBER_RE.fullmatch(value.strip()):
        number = int(re.split(r"[.,]", value.strip())[0])
    if number is None:
        raise CellError(
            f"{what.capitalize()} “{shorten(str(value))}” isn't a whole number from 1 to 5."
        )
    try:
        return validate_rating(number, what)
    except DomainError as exc:
        raise CellError(str(exc)) from None


def read_description(value: object) -> str:
    """Read a description with the /log length rules, saying its length when refused."""
    text = str(value)
    try:
        return validate_description(text)
    except DomainError:
        length = len(" ".join(text.split()))
        if length < MIN_DESCRIPTION_LENGTH:
            raise CellError(
                f"Description too short: {length} characters (at least {MIN_DESCRIPTION_LENGTH})."
            ) from None
        raise CellError(
            f"Description too long: {length:,} characters (at most {MAX_DESCRIPTION_LENGTH})."
        ) from None


def generated_description(skill_name: str, minutes: int) -> str:
    """Stand in for a missing description, e.g. "Imported practice: 45 min of React"."""
    return validate_description(f"Imported practice: {format_duration(minutes)} of {skill_name}")


def read_timestamp(value: object, what: str) -> datetime | None:
    """Read an optional ISO timestamp as UTC (a naive one is taken to be UTC)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise CellError(f"Unreadable {what} “{shorten(str(value))}”.") from None
    # Exports write UTC; a naive timestamp is taken to be UTC as well.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def lenient_timestamp(value: object) -> datetime | None:
    """Read an optional created_at, or None when it is unreadable."""
    try:
        return read_timestamp(value, "created_at")
    except CellError:
        return None
