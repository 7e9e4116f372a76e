"""Practice durations: parse what a user types ("45", "1h30", "1.5h", "1:15") into minutes.

Rules:
- A bare whole number means minutes ("45" is 45 min).
- Decimal hours are rounded to the nearest minute, halves up ("1.33h" is 80 min, "0.1h" 6 min);
  a decimal comma works too ("1,5h"). Decimal *minutes* ("45.5m") are refused: durations are
  whole minutes, and a bare "1.5" is more likely a slip for "1.5h" than 1.5 minutes.
- The minutes after hours ("1h30", "1:15") must be under 60.
- A session lasts 1 to 1440 minutes (24 hours).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from bot.domain.echo import shorten
from bot.domain.errors import DomainError

MIN_DURATION_MINUTES: Final = 1
MAX_DURATION_MINUTES: Final = 1440

_EXAMPLES: Final = "Try 45, 45m, 1h30 or 1:15."
_HOURS: Final = r"(?:hours|hour|hrs|hr|h)"
_MINUTES: Final = r"(?:minutes|minute|mins|min|m)"
_INT: Final = r"[0-9]+"
_DECIMAL: Final = r"(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)"

_COLON_RE: Final = re.compile(rf"(?P<h>{_INT}):(?P<m>[0-9]{{2}})")
_HOURS_AND_MINUTES_RE: Final = re.compile(
    rf"(?P<h>{_INT})\s*{_HOURS}\s*(?P<m>{_INT})\s*{_MINUTES}?"
)
_HOURS_RE: Final = re.compile(rf"(?P<h>{_DECIMAL})\s*{_HOURS}")
_MINUTES_RE: Final = re.compile(rf"(?P<m>{_INT})\s*{_MINUTES}?")
_DECIMAL_MINUTES_RE: Final = re.compile(rf"(?P<m>{_DECIMAL})\s*(?P<unit>{_MINUTES})?")
_LOOSE_COLON_RE: Final = re.compile(rf"{_INT}:{_INT}")


def parse_duration(text: str) -> int:
    """Parse a typed duration such as "45", "45 min", "1h30", "1.5h" or "1:15" into minutes."""
    cleaned = " ".join(text.split()).lower()
    if not cleaned:
        raise DomainError(f"Please type how long you practiced. {_EXAMPLES}")
    if cleaned[0] in "-−":
        raise DomainError(f"A duration can't be negative. {_EXAMPLES}")
    return validate_duration(_parse_minutes(cleaned, text))


def validate_duration(minutes: int) -> int:
    """Check that a session length is 1-1440 minutes and return it unchanged."""
    if minutes < MIN_DURATION_MINUTES:
        raise DomainError("A practice session needs to last at least 1 minute.")
    if minutes > MAX_DURATION_MINUTES:
        raise DomainError(
            f"That's {_describe_long(minutes)}, but a session can be at most 24 hours "
            f"({MAX_DURATION_MINUTES} minutes)."
        )
    return minutes


def format_duration(minutes: int) -> str:
    """Render minutes for people: "45 min", "1 h", "1 h 30 min"."""
    if minutes < 0:
        raise ValueError(f"negative duration: {minutes}")
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    if rest == 0:
        return f"{hours} h"
    return f"{hours} h {rest} min"


def looks_like_duration(token: str) -> bool:
    """Tell whether text is shaped like a duration ("45m", "1 h 30", "3000m"), valid or not."""
    cleaned = " ".join(token.split()).lower()
    return any(
        pattern.fullmatch(cleaned)
        for pattern in (_COLON_RE, _HOURS_AND_MINUTES_RE, _HOURS_RE, _MINUTES_RE)
    ) or bool(_DECIMAL_MINUTES_RE.fullmatch(cleaned) and cleaned[-1].isalpha())


def _parse_minutes(cleaned: str, original: str) -> int:
    """Turn normalised text into a raw minute count, before the 1-1440 range check."""
    if match := _COLON_RE.fullmatch(cleaned) or _HOURS_AND_MINUTES_RE.fullmatch(cleaned):
        # Decimal, not int: int() refuses strings over 4300 digits, and users can paste those.
        hours, minutes = Decimal(match["h"]), Decimal(match["m"])
        if minutes >= 60:
            total = hours * 60 + minutes
            validate_duration(_clamp(total))  # a too-long total deserves that message instead
            raise DomainError(
                f"The minutes after the hours must be under 60 in “{shorten(original)}”. "
                f"Did you mean {_suggest(total)}?"
            )
        return _clamp(hours * 60 + minutes)
    if match := _HOURS_RE.fullmatch(cleaned):
        return _clamp(Decimal(match["h"].replace(",", ".")) * 60)
    if match := _MINUTES_RE.fullmatch(cleaned):
        return _clamp(Decimal(match["m"]))
    if match := _DECIMAL_MINUTES_RE.fullmatch(cleaned):
        value = match["m"].replace(",", ".")
        hint = f" Did you mean {value}h?" if not match["unit"] and value[-1].isdigit() else ""
        raise DomainError(
            f"Durations are whole minutes, so I can't use “{shorten(original)}”. "
            + (hint.strip() or _EXAMPLES)
        )
    if _LOOSE_COLON_RE.fullmatch(cleaned):
        raise DomainError(
            f"Please write the minutes with two digits, like 1:05 or 1:50. {_EXAMPLES}"
        )
    raise DomainError(f"I couldn't read “{shorten(original)}” as a duration. {_EXAMPLES}")


def _clamp(minutes: Decimal) -> int:
    """Round to the nearest minute (halves up), capping absurd values so they stay cheap."""
    cap = Decimal(MAX_DURATION_MINUTES + 1) * 1000
    if minutes > cap:  # before rounding: rounding a 5000-digit Decimal exceeds its precision
        return int(cap)
    return int(minutes.to_integral_value(rounding=ROUND_HALF_UP))


def _describe_long(minutes: int) -> str:
    """Describe a too-long duration; capped inputs read as "far more than 24 hours"."""
    if minutes > MAX_DURATION_MINUTES * 1000:
        return "far more than 24 hours"
    return f"{minutes} minutes ({format_duration(minutes)})"


def _suggest(total: Decimal) -> str:
    """Suggest the usual spelling for a total given with 60+ minutes, e.g. 1h75 -> 2h15."""
    hours, minutes = divmod(int(min(total, Decimal(10**6))), 60)
    return f"{hours}h{minutes:02d}"
