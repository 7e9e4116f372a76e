"""Scheduled reminders (pure): when each message is due in the user's own time zone.

Every scheduled message is due at a local *minute of the day* on a local *date* and belongs to
that date: it may go out any time from that minute until local midnight (a sweep that was down
at 18:00 still sends at 21:00), and is dropped once the date is over (no stale burst after an
outage). The send ledger's period key is that local date, so one message of a kind per user
per date is all the database will ever claim.

- Inactivity: due on the days ``base + k * N`` (k = 1, 2, 3), where N is the chosen number of
  days and ``base`` is the latest of the last practice date, the last day of a pause and the
  day the user joined. Three unanswered reminders in a row (k = 3) and it stops: the count
  starts again only when a new session (or the end of a pause) moves ``base``. No counter has
  to be reset by every place that saves a session.
- Streak: due on days when the user practised yesterday and the day before but not yet today
  (a streak of two days or more that ends at midnight).
- Weekly summary: due on the chosen weekday, when there was practice in the last 14 days.

An inactivity reminder and a streak reminder never both go out on one local date: each is
claimed only if the other was not. The SQL in storage/repositories/reminders.py selects the due
users with exactly these rules; :func:`is_due` re-checks one user at send time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError
from bot.domain.goals import MAX_WEEKLY_MINUTES
from bot.domain.streaks import Streak

INACTIVITY_DAY_CHOICES: Final = (1, 2, 3, 5, 7)
MAX_UNANSWERED: Final = 3
STREAK_REMINDER_MIN_DAYS: Final = 2
WEEKLY_ACTIVITY_DAYS: Final = 14
MAX_PAUSE_DAYS: Final = 366
MINUTES_PER_DAY: Final = 24 * 60


class ReminderKind(StrEnum):
    """A kind of scheduled message (the send ledger's ``kind``)."""

    INACTIVITY = "inactivity"
    STREAK = "streak"
    WEEKLY = "weekly"

    @property
    def rival(self) -> ReminderKind | None:
        """The other daily nudge: only one of the two goes out per local date."""
        if self is ReminderKind.INACTIVITY:
            return ReminderKind.STREAK
        if self is ReminderKind.STREAK:
            return ReminderKind.INACTIVITY
        return None


@dataclass(frozen=True, slots=True)
class LocalClock:
    """What the clock on the wall says in one time zone at one instant."""

    timezone: str
    today: date
    minute: int
    weekday: int

    @property
    def period_key(self) -> str:
        """The ledger key of anything due today in this zone."""
        return period_key(self.today)


def local_clock(timezone: str, now: datetime) -> LocalClock:
    """The local date, minute of the day and weekday (0 = Monday) of ``now`` in ``timezone``."""
    if now.tzinfo is None:
        raise ValueError("local_clock needs an aware datetime")
    local = now.astimezone(ZoneInfo(timezone))
    return LocalClock(timezone, local.date(), local.hour * 60 + local.minute, local.weekday())


def period_key(day: date) -> str:
    """The send ledger's period key for a message belonging to a local date."""
    return day.isoformat()


@dataclass(frozen=True, slots=True)
class ReminderPrefs:
    """A user's reminder settings (the users table's columns)."""

    inactivity_enabled: bool = True
    inactivity_days: int = 2
    inactivity_minute: int = 18 * 60
    weekly_enabled: bool = True
    weekly_weekday: int = 6
    weekly_minute: int = 18 * 60
    streak_enabled: bool = True
    streak_minute: int = 20 * 60
    paused_until: date | None = None


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    """What a due check needs to know about one user's practice, as of the local today."""

    last_practiced: date | None
    practised_today: bool
    streak: Streak
    practised_recently: bool
    joined: date
    rival_claimed: bool = False


def is_paused(paused_until: date | None, today: date) -> bool:
    """Whether a pause (inclusive of its last day) covers today."""
    return paused_until is not None and today <= paused_until


def inactivity_base(last_practiced: date | None, paused_until: date | None, joined: date) -> date:
    """The day inactivity is counted from: last session, end of a pause, or joining."""
    return max(d for d in (last_practiced, paused_until, joined) if d is not None)


def inactivity_step(base: date, today: date, every_days: int) -> int | None:
    """Which reminder (1, 2 or 3) is due today, or None: due on base + k * every_days."""
    elapsed = (today - base).days
    if elapsed <= 0 or elapsed % every_days:
        return None
    step = elapsed // every_days
    return step if step <= MAX_UNANSWERED else None


def streak_at_stake(streak: Streak) -> bool:
    """A streak worth a reminder: two days or more, not yet extended today."""
    return streak.at_risk and streak.current >= STREAK_REMINDER_MIN_DAYS


def is_due(
    kind: ReminderKind, prefs: ReminderPrefs, clock: LocalClock, facts: ReminderFacts
) -> bool:
    """Whether a message of this kind is due now (the send-time twin of the SQL selection)."""
    if is_paused(prefs.paused_until, clock.today):
        return False
    if kind is ReminderKind.STREAK:
        return (
            prefs.streak_enabled
            and clock.minute >= prefs.streak_minute
            and not facts.practised_today
            and streak_at_stake(facts.streak)
            and not facts.rival_claimed
        )
    if kind is ReminderKind.INACTIVITY:
        base = inactivity_base(facts.last_practiced, prefs.paused_until, facts.joined)
        return (
            prefs.inactivity_enabled
            and clock.minute >= prefs.inactivity_minute
            and inactivity_step(base, clock.today, prefs.inactivity_days) is not None
            and not facts.rival_claimed
        )
    return (
        prefs.weekly_enabled
        and clock.weekday == prefs.weekly_weekday
        and clock.minute >= prefs.weekly_minute
        and facts.practised_recently
    )


# ----- settings input -----

_TIME_RE: Final = re.compile(
    r"^(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2})|\s*h)?\s*(?P<ampm>[ap]\.?\s*m\.?)?$"
)
_TIME_EXAMPLES: Final = "Send a time like 18:30, 7:05 or 9pm."


def parse_time_of_day(text: str) -> int:
    """Turn "18:30", "7.05", "21h", "9pm" or "9:15 am" into minutes after midnight."""
    cleaned = " ".join(text.split()).lower()
    match = _TIME_RE.match(cleaned)
    if not match:
        raise DomainError(f"I couldn't read “{cleaned[:20]}” as a time. {_TIME_EXAMPLES}")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise DomainError(f"With am/pm the hour must be 1-12. {_TIME_EXAMPLES}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DomainError(f"A time runs from 00:00 to 23:59. {_TIME_EXAMPLES}")
    return hour * 60 + minute


def format_minute(minute: int) -> str:
    """Minutes after midnight as "18:05"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


_GOAL_RE: Final = re.compile(
    r"^(?:(?P<h>\d{1,3}(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d{1,5})\s*(?:m|min|mins|minute|minutes)?)?$"
)


def parse_goal_minutes(text: str) -> int:
    """Turn "150", "2h", "2h 30m" or "2.5 hours" into a weekly goal in minutes (0 = no goal)."""
    cleaned = " ".join(text.split()).lower()
    if cleaned in ("0", "off", "none", "no"):
        return 0
    match = _GOAL_RE.match(cleaned)
    if not cleaned or not match or not (match["h"] or match["m"]):
        raise DomainError(
            f"I couldn't read “{cleaned[:20]}” as a weekly goal. "
            "Send minutes like 150, or hours like 2h 30m; 0 turns the goal off."
        )
    hours = float(match["h"].replace(",", ".")) if match["h"] else 0.0
    return check_weekly_goal(round(hours * 60) + int(match["m"] or 0))


def check_weekly_goal(minutes: int) -> int:
    """Refuse a weekly goal in minutes below 0 (no goal) or longer than a week."""
    if not 0 <= minutes <= MAX_WEEKLY_MINUTES:
        raise DomainError("A week has 168 hours: a weekly goal can be at most 10080 minutes.")
    return minutes


_ISO_DATE_RE: Final = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_DAY_MONTH_RE: Final = re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})(?:[./](?P<y>\d{2}|\d{4}))?$")
_IN_DAYS_RE: Final = re.compile(r"^(?:in\s+)?(?P<n>\d{1,3})\s*(?P<unit>d|days?|w|weeks?)$")
_PAUSE_EXAMPLES: Final = (
    "Send a date like 2026-12-24 or 24.12, or a length like 10 days or 2 weeks."
)


def parse_pause_until(text: str, today: date) -> date:
    """The last day of a pause: a date ("2026-12-24", "24.12") or a length ("10 days")."""
    cleaned = " ".join(text.split()).lower()
    day: date | None = None
    try:
        if match := _IN_DAYS_RE.match(cleaned):
            count = int(match["n"]) * (7 if match["unit"].startswith("w") else 1)
            day = today + timedelta(days=count)
        elif match := _ISO_DATE_RE.match(cleaned):
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        elif match := _DAY_MONTH_RE.match(cleaned):
            year = match["y"]
            full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
            day = date(full_year, int(match["m"]), int(match["d"]))
            if year is None and day < today:
                day = day.replace(year=today.year + 1)
    except (ValueError, OverflowError):
        raise DomainError(f"There's no such date as “{cleaned[:20]}”. {_PAUSE_EXAMPLES}") from None
    if day is None:
        raise DomainError(f"I couldn't read “{cleaned[:20]}” as a date. {_PAUSE_EXAMPLES}")
    return check_pause_until(day, today)


def check_pause_until(day: date, today: date) -> date:
    """Refuse a pause that ends before today or more than a year ahead."""
    if day < today:
        raise DomainError("That date has passed. Pick today or a later day to pause until.")
    if (day - today).days > MAX_PAUSE_DAYS:
        raise DomainError("A pause can last at most a year. Pick an earlier date.")
    return day


def progress_bar(done: int, goal: int, width: int = 10) -> str:
    """A text progress bar such as "▓▓▓▓▓▓░░░░ 62%" (full at or over the goal)."""
    share = done / goal if goal > 0 else 0.0
    filled = min(width, int(share * width + 1e-9))
    return f"{'▓' * filled}{'░' * (width - filled)} {int(share * 100 + 0.5)}%"
