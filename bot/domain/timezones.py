"""Understanding the time zone a user types or taps."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.dates import DateOrder
from bot.domain.errors import DomainError

# Offered as buttons; covers the most populous regions across the day.
COMMON_ZONES: tuple[str, ...] = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)

# IANA has no Etc/ zone for half-hour offsets; these are the places that use them.
_FRACTIONAL_OFFSETS: dict[tuple[int, int], str] = {
    (-9, 30): "Pacific/Marquesas",
    (-3, 30): "America/St_Johns",
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (9, 30): "Australia/Darwin",
    (10, 30): "Australia/Lord_Howe",
    (12, 45): "Pacific/Chatham",
}
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")


@cache
def _zones_by_key() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_timezone(text: str) -> str:
    """Turn an IANA name (any case) or a UTC offset like +3, UTC-10 or +5:30 into an IANA name."""
    raw = text.strip()
    key = raw.casefold().replace(" ", "_")
    if key in ("utc", "gmt", "z"):
        return "UTC"
    zones = _zones_by_key()
    if key in zones:
        return zones[key]
    match = _OFFSET.match(raw.casefold().replace(" ", ""))
    if match:
        sign, hours_text, minutes_text = match.groups()
        hours, minutes = int(hours_text), int(minutes_text or 0)
        if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
            raise DomainError(
                f"UTC{sign}{hours}:{minutes:02d} is not a real offset; "
                "offsets run from UTC-12 to UTC+14."
            )
        signed = hours if sign == "+" else -hours
        if minutes == 0:
            if signed == 0:
                return "UTC"
            # POSIX-style Etc zones invert the sign: Etc/GMT-3 is UTC+3.
            return f"Etc/GMT{'-' if signed > 0 else '+'}{abs(signed)}"
        zone = _FRACTIONAL_OFFSETS.get((signed, minutes))
        if zone:
            return zone
        raise DomainError(
            f"I don't know a time zone at UTC{sign}{hours}:{minutes:02d}. "
            "Send your city's zone name instead, e.g. Asia/Kolkata."
        )
    by_city = [name for k, name in zones.items() if k.rsplit("/", 1)[-1] == key]
    if len(by_city) == 1:
        return by_city[0]
    suggestions = sorted(name for k, name in zones.items() if key and key in k)[:3]
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise DomainError(
        f"I don't know the time zone “{raw[:64]}”.{hint} Send a name like "
        "Europe/Berlin or America/New_York, or an offset like UTC+3 or -5."
    )


def local_today(timezone: str, now: datetime) -> date:
    """The user's calendar date at the moment `now`."""
    return now.astimezone(ZoneInfo(timezone)).date()


def describe_timezone(timezone: str, now: datetime | None = None) -> str:
    """'Europe/Berlin (UTC+01:00, 14:05 now)' for confirmations."""
    moment = (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone))
    offset = moment.strftime("%z")
    return f"{timezone} (UTC{offset[:3]}:{offset[3:]}, {moment:%H:%M} now)"


# Where 11/12 is November 12: the US and its territories, and the countries that follow its usage.
_MONTH_FIRST_COUNTRIES = frozenset(
    {"US", "PR", "GU", "AS", "VI", "MP", "UM", "PH", "FM", "MH", "PW"}
)


def date_order_for_zone(zone: str) -> DateOrder:
    """The numeric date order most people in this time zone's country write (US: month first)."""
    if zone.startswith("US/") or _zone_countries().get(zone) in _MONTH_FIRST_COUNTRIES:
        return "month_first"
    return "day_first"


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the tz database's own zone.tab (shipped by tzdata)."""
    table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_ = line.split("\t")
            countries[zone] = code
    return countries
