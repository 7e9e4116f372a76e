"""Which user settings travel in the JSON export, and checking them when a file brings them back.

An export is restored into an account that has no sessions yet (a new account, or one after
/deletemydata); there the file's time zone and reminder settings replace the defaults. Values
are untrusted: each is checked against the same ranges the database enforces, and one that
doesn't fit is left out (the account keeps its own value) rather than failing the import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Final

from bot.domain.dates import DateOrder
from bot.domain.errors import DomainError
from bot.domain.export_format import SettingValue
from bot.domain.goals import GoalKind
from bot.domain.timezones import parse_timezone

StoredSetting = bool | int | str | date | None

INACTIVITY_DAY_CHOICES: Final = frozenset({1, 2, 3, 5, 7})
_MINUTES_IN_DAY: Final = 1440
_MINUTES_IN_WEEK: Final = 7 * 1440


def _int(value: SettingValue, allowed: Callable[[int], bool]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not allowed(value):
        raise ValueError(value)
    return value


def _flag(value: SettingValue) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _minute_of_day(value: SettingValue) -> int | None:
    return _int(value, lambda v: 0 <= v < _MINUTES_IN_DAY)


def _optional_goal(value: SettingValue) -> int | None:
    return None if value is None else _int(value, lambda v: 1 <= v <= _MINUTES_IN_WEEK)


def _optional_target(kind: GoalKind) -> Callable[[SettingValue], int | None]:
    return lambda v: None if v is None else _int(v, lambda n: 1 <= n <= kind.limit)


def _optional_weekday(value: SettingValue) -> int | None:
    return None if value is None else _int(value, lambda n: 0 <= n <= 6)


def _date_order(value: SettingValue) -> DateOrder:
    if value == "day_first":
        return "day_first"
    if value == "month_first":
        return "month_first"
    raise ValueError(value)


def _optional_date(value: SettingValue) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    return date.fromisoformat(value)


# Setting name (a users column) -> how a value read from a file is checked.
SETTING_READERS: Final[dict[str, Callable[[SettingValue], StoredSetting]]] = {
    "inactivity_enabled": _flag,
    "inactivity_days": lambda v: _int(v, lambda n: n in INACTIVITY_DAY_CHOICES),
    "inactivity_minute": _minute_of_day,
    "weekly_enabled": _flag,
    "weekly_weekday": lambda v: _int(v, lambda n: 0 <= n <= 6),
    "weekly_minute": _minute_of_day,
    "weekly_goal_minutes": _optional_goal,
    "weekly_goal_sessions": _optional_target(GoalKind.SESSIONS_WEEK),
    "weekly_goal_days": _optional_target(GoalKind.DAYS_WEEK),
    "daily_goal_minutes": _optional_target(GoalKind.DAILY_MINUTES),
    "week_start": _optional_weekday,
    "streak_enabled": _flag,
    "streak_minute": _minute_of_day,
    "paused_until": _optional_date,
    "date_order": _date_order,
    "date_order_chosen": _flag,
}
SETTING_NAMES: Final = tuple(SETTING_READERS)


def read_goal(kind: GoalKind, value: object) -> int | None:
    """A goal target of one kind read from a file, or None when absent or out of range."""
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        return None
    try:
        return _optional_target(kind)(value)
    except ValueError:
        return None


def export_setting(value: StoredSetting) -> SettingValue:
    """A stored setting as written to the JSON export (dates as ISO 8601)."""
    return value.isoformat() if isinstance(value, date) else value


def settings_to_restore(settings: Mapping[str, SettingValue]) -> dict[str, StoredSetting]:
    """The file's settings that are known and valid, ready to store; the rest are dropped."""
    clean: dict[str, StoredSetting] = {}
    for name, reader in SETTING_READERS.items():
        if name not in settings:
            continue
        try:
            clean[name] = reader(settings[name])
        except ValueError:
            continue
    return clean


def timezone_to_restore(timezone: str) -> str | None:
    """The file's time zone as an IANA name, or None if it isn't one this bot knows."""
    try:
        return parse_timezone(timezone)
    except DomainError:
        return None
