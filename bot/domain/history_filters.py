"""History filters: which sessions /history shows, typed ("react last month") or tapped.

A filter is an optional skill and a date range. Ranges are calendar dates in the user's time
zone: ``today`` (their local date) is passed in, and a relative range ("this week") is resolved
against it each time it is used, so a button keeps meaning "this week".

Typed ranges (case and spacing ignored):
- all, all time, everything
- today, yesterday
- this week / week, last week (weeks start on Monday)
- this month / month, last month, this year / year, last year
- last N days / past N days / N days (today is one of the N)
- a month: november, nov 2025, 2026-11
- one date: 2026-11-20, 20.11, friday, 3 days ago
- two dates: 2026-11-01..2026-11-20, 1.11 - 20.11, 1.11 to 20.11, from 1.11 to 20.11;
  since 1.11 (up to today). Dates given the wrong way round are swapped.
The rest of the text names a skill, before or after the range: its full name, or the start of
it if only one skill starts that way ("react last month", "last month re").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from bot.domain.dates import (
    MONTH_NAMES,
    MONTHS,
    DateOrder,
    looks_like_date,
    parse_calendar_date,
)
from bot.domain.errors import DomainError
from bot.domain.skills import skill_name_key

MAX_DAYS: Final = 3660  # "last N days" up to about ten years; "all" covers the rest
HINT: Final = (
    "Try /history react, /history last month, /history react this week "
    "or /history 2026-11-01..2026-11-20."
)

# Relative ranges: kind -> (callback token, label).
_RELATIVE: Final[dict[str, tuple[str, str]]] = {
    "all": ("a", "All time"),
    "today": ("t", "Today"),
    "yesterday": ("yd", "Yesterday"),
    "week": ("w", "This week"),
    "last_week": ("lw", "Last week"),
    "month": ("m", "This month"),
    "last_month": ("lm", "Last month"),
    "year": ("y", "This year"),
    "last_year": ("ly", "Last year"),
}
_BY_TOKEN: Final = {token: kind for kind, (token, _) in _RELATIVE.items()}
_NAMED: Final[dict[str, str]] = {
    "all": "all",
    "all time": "all",
    "everything": "all",
    "today": "today",
    "yesterday": "yesterday",
    "week": "week",
    "this week": "week",
    "last week": "last_week",
    "month": "month",
    "this month": "month",
    "last month": "last_month",
    "year": "year",
    "this year": "year",
    "last year": "last_year",
}
_SHORT_MONTHS: Final = tuple(name[:3].capitalize() for name in MONTH_NAMES)

_DAYS_RE: Final = re.compile(r"(?:(?:last|past) )?(?P<n>[0-9]+) days?")
_MONTH_RE: Final = re.compile(rf"(?P<name>{'|'.join(MONTHS)})(?: (?P<y>[0-9]{{4}}))?")
_ISO_MONTH_RE: Final = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})")
_SINCE_RE: Final = re.compile(r"since (?P<a>.+)")
# Two dates: "a..b", "a - b" (spaces needed: ISO dates contain "-"), "a – b", "a to b".
_BETWEEN_RE: Final = re.compile(r"(?:from )?(?P<a>.+?)(?:\s*\.\.\s*| - |\s*[–—]\s*| to )(?P<b>.+)")
_ORDINAL_RE: Final = re.compile(r"(?P<a>[0-9]{1,7})-(?P<b>[0-9]{1,7})")
_DAYS_TOKEN_RE: Final = re.compile(r"d(?P<n>[0-9]{1,4})")


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive calendar dates; None leaves that side open."""

    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class RangeSpec:
    """A range as the user chose it: a relative kind, "days" (last N days) or fixed "dates"."""

    kind: str
    days: int = 0
    start: date | None = None
    end: date | None = None

    def resolve(self, today: date) -> DateRange:
        """The dates this range covers on the user's ``today``."""
        if self.kind == "dates":
            return DateRange(self.start, self.end)
        if self.kind == "days":
            return DateRange(today - timedelta(days=self.days - 1), today)
        if self.kind == "all":
            return DateRange(None, None)
        if self.kind == "today":
            return DateRange(today, today)
        if self.kind == "yesterday":
            yesterday = today - timedelta(days=1)
            return DateRange(yesterday, yesterday)
        monday = today - timedelta(days=today.weekday())
        if self.kind == "week":
            return DateRange(monday, today)
        if self.kind == "last_week":
            return DateRange(monday - timedelta(days=7), monday - timedelta(days=1))
        first = today.replace(day=1)
        if self.kind == "month":
            return DateRange(first, today)
        if self.kind == "last_month":
            last = first - timedelta(days=1)
            return DateRange(last.replace(day=1), last)
        if self.kind == "year":
            return DateRange(today.replace(month=1, day=1), today)
        if self.kind == "last_year":
            return DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
        raise ValueError(f"unknown range kind {self.kind!r}")

    def token(self) -> str:
        """The compact form carried in callback data ("w", "d30", "739556-739575")."""
        if self.kind == "dates":
            assert self.start is not None
            assert self.end is not None
            return f"{self.start.toordinal()}-{self.end.toordinal()}"
        if self.kind == "days":
            return f"d{self.days}"
        return _RELATIVE[self.kind][0]

    def describe(self, today: date) -> str:
        """'This week (23–25 Nov 2026)', 'November 2026', 'All time' (plain text)."""
        span = self.resolve(today)
        if span.start is None or span.end is None:
            return _RELATIVE["all"][1]
        dates = format_span(span.start, span.end)
        if self.kind == "dates":
            if span.start.day == 1 and span.end == _month_end(span.start):
                return f"{MONTH_NAMES[span.start.month - 1].capitalize()} {span.start.year}"
            return dates
        name = f"Last {self.days} days" if self.kind == "days" else _RELATIVE[self.kind][1]
        return f"{name} ({dates})"


ALL: Final = RangeSpec("all")
# The ranges offered as buttons under every history page.
QUICK_RANGES: Final = (
    RangeSpec("week"),
    RangeSpec("month"),
    RangeSpec("days", days=30),
    ALL,
)


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """What /history was asked for: a skill (None: every skill) and a range."""

    skill_id: int | None
    range: RangeSpec


def range_from_token(token: str) -> RangeSpec:
    """Decode RangeSpec.token() output; ValueError for anything it could not have produced."""
    if token in _BY_TOKEN:
        return RangeSpec(_BY_TOKEN[token])
    if match := _DAYS_TOKEN_RE.fullmatch(token):
        days = int(match["n"])
        if not 1 <= days <= MAX_DAYS:
            raise ValueError("days out of range")
        return RangeSpec("days", days=days)
    if match := _ORDINAL_RE.fullmatch(token):
        first, last = int(match["a"]), int(match["b"])
        if not 1 <= first <= last <= date.max.toordinal():
            raise ValueError("dates out of range")
        return _dates(date.fromordinal(first), date.fromordinal(last))
    raise ValueError(f"not a range token: {token!r}")


def format_span(start: date, end: date) -> str:
    """'20 Nov 2026', '23–25 Nov 2026', '28 Oct – 3 Nov 2026', '28 Dec 2025 – 3 Jan 2026'."""
    if start == end:
        return _day_month(start) + f" {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{_day_month(end)} {end.year}"
    if start.year == end.year:
        return f"{_day_month(start)} – {_day_month(end)} {end.year}"
    return f"{_day_month(start)} {start.year} – {_day_month(end)} {end.year}"


def parse_range(text: str, today: date, order: DateOrder = "day_first") -> RangeSpec | None:
    """Read a typed range, numeric dates in the user's ``order``; None if not shaped like one.

    Raises DomainError for a range-shaped text that is wrong ("31.02..5.03", "last 0 days").
    """
    words = " ".join(text.split()).casefold()
    if not words:
        return None
    if words in _NAMED:
        return RangeSpec(_NAMED[words])
    if match := _DAYS_RE.fullmatch(words):
        return RangeSpec("days", days=_day_count(match["n"]))
    if month := _month(words, today):
        return _future_checked(*month, today)
    if match := _SINCE_RE.fullmatch(words):
        if looks_like_date(match["a"], order):
            day = parse_calendar_date(match["a"], today, order)
            return _future_checked(day, today, today)
        return None
    if match := _BETWEEN_RE.fullmatch(words):
        first, second = match["a"].strip(), match["b"].strip()
        if looks_like_date(first, order) and looks_like_date(second, order):
            start = parse_calendar_date(first, today, order)
            end = parse_calendar_date(second, today, order)
            return _future_checked(min(start, end), max(start, end), today)
    if looks_like_date(words, order):
        day = parse_calendar_date(words, today, order)
        return _future_checked(day, day, today)
    return None


def parse_history_query(
    text: str, skills: Sequence[tuple[int, str]], today: date, order: DateOrder = "day_first"
) -> HistoryQuery:
    """Split the text after /history into a skill and a range (see the module docstring).

    ``skills`` are the user's (id, name) pairs, archived ones included. Raises DomainError
    with a hint when a part names no skill or is a broken range.
    """
    words = text.split()
    if not words:
        return HistoryQuery(None, ALL)
    # A skill whose whole name reads like a range ("Week") still wins when typed alone.
    whole = _exact_skill(" ".join(words), skills)
    if whole is not None:
        return HistoryQuery(whole, ALL)
    for size in range(len(words), 0, -1):  # the longest range phrase first
        for range_words, rest in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            spec = parse_range(" ".join(range_words), today, order)
            if spec is not None:
                return HistoryQuery(_skill(rest, skills, range_found=True), spec)
    return HistoryQuery(_skill(words, skills, range_found=False), ALL)


# ----- helpers -----


def _dates(start: date, end: date) -> RangeSpec:
    return RangeSpec("dates", start=start, end=end)


def _future_checked(start: date, end: date, today: date) -> RangeSpec:
    """A fixed range, refused when it lies wholly after today (no session can be there)."""
    if start > today:
        raise DomainError(
            f"{format_span(start, end)} is in the future, so there are no sessions there yet."
        )
    return _dates(start, end)


def _day_count(digits: str) -> int:
    if len(digits) > 5 or int(digits) > MAX_DAYS:
        raise DomainError(f"That's more than {MAX_DAYS} days. For everything, send /history all.")
    days = int(digits)
    if days < 1:
        raise DomainError("A range needs at least 1 day, e.g. /history last 7 days.")
    return days


def _month(words: str, today: date) -> tuple[date, date] | None:
    """A named or ISO month as (first, last day): without a year, the latest one begun."""
    if match := _MONTH_RE.fullmatch(words):
        month = MONTHS[match["name"]]
        if match["y"]:
            year = int(match["y"])
        else:
            year = today.year if month <= today.month else today.year - 1
    elif match := _ISO_MONTH_RE.fullmatch(words):
        year, month = int(match["y"]), int(match["m"])
        if not 1 <= month <= 12 or year < 1:
            raise DomainError(f"There's no month “{words}”: write it as 2026-11.")
    else:
        return None
    first = date(year, month, 1)
    return first, _month_end(first)


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _day_month(day: date) -> str:
    return f"{day.day} {_SHORT_MONTHS[day.month - 1]}"


def _exact_skill(text: str, skills: Sequence[tuple[int, str]]) -> int | None:
    key = skill_name_key(" ".join(text.split()))
    return next((skill_id for skill_id, name in skills if skill_name_key(name) == key), None)


def _skill(
    words: Sequence[str], skills: Sequence[tuple[int, str]], *, range_found: bool
) -> int | None:
    """The skill these words name (None for no words); DomainError if none or several."""
    if not words:
        return None
    typed = " ".join(words)
    exact = _exact_skill(typed, skills)
    if exact is not None:
        return exact
    key = skill_name_key(typed)
    matches = [
        (skill_id, name) for skill_id, name in skills if skill_name_key(name).startswith(key)
    ]
    if len(matches) == 1:
        return matches[0][0]
    shown = _shorten(typed)
    if matches:
        names = ", ".join(sorted(name for _, name in matches)[:5])
        raise DomainError(f"“{shown}” could be {names}: type more of the name.")
    if range_found:
        raise DomainError(f"You have no skill called “{shown}”. {HINT}")
    raise DomainError(f"I couldn't read “{shown}” as a skill or a date range. {HINT}")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
