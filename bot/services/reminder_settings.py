"""Change one reminder setting: checked by the domain's rules, written, committed.

The /reminders buttons and typed answers both come here, so a value is checked the same way
whichever way it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.errors import DomainError
from bot.domain.records import from_attributes
from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    MAX_PAUSE_DAYS,
    MINUTES_PER_DAY,
    ReminderPrefs,
    check_pause_until,
    check_weekly_goal,
)
from storage.models import Skill, User
from storage.uow import UnitOfWork

Reminder = Literal["inactivity", "streak", "weekly"]


@dataclass(frozen=True, slots=True)
class Enabled:
    """Turn a reminder on or off."""

    reminder: Reminder
    on: bool


@dataclass(frozen=True, slots=True)
class InactivityDays:
    """Nudge after this many days without practice."""

    days: int


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """Send a reminder at this minute after local midnight."""

    reminder: Reminder
    minute: int


@dataclass(frozen=True, slots=True)
class SummaryWeekday:
    """Send the weekly summary on this weekday (0 Monday)."""

    weekday: int


@dataclass(frozen=True, slots=True)
class WeeklyGoal:
    """A weekly goal in minutes, of one skill or (None) overall; 0 removes it."""

    minutes: int
    skill_id: int | None = None


@dataclass(frozen=True, slots=True)
class PauseFor:
    """Pause every reminder for this many days, today included."""

    days: int


@dataclass(frozen=True, slots=True)
class PauseUntil:
    """Pause every reminder through this day."""

    day: date


@dataclass(frozen=True, slots=True)
class Resume:
    """End a pause now."""


Setting = (
    Enabled
    | InactivityDays
    | TimeOfDay
    | SummaryWeekday
    | WeeklyGoal
    | PauseFor
    | PauseUntil
    | Resume
)


class SkillNotFound(DomainError):
    """The skill is not the user's (a forged id) or was deleted."""


async def change_setting(
    uow: UnitOfWork, user_id: int, setting: Setting, today: date
) -> Skill | None:
    """Check and save one setting, then commit; returns the skill whose goal changed."""
    user = await uow.users.get(user_id)
    if user is None:
        raise RuntimeError("the user's row vanished mid-update")
    skill = None
    if isinstance(setting, WeeklyGoal) and setting.skill_id is not None:
        skill = await uow.skills.get(user_id, setting.skill_id)
        if skill is None:
            raise SkillNotFound("no such skill")
        skill.weekly_goal_minutes = check_weekly_goal(setting.minutes) or None
    else:
        _apply(user, setting, today)
    await uow.commit()
    return skill


def _apply(user: User, setting: Setting, today: date) -> None:
    """Write a setting of the user's own row."""
    match setting:
        case Enabled(reminder="inactivity", on=on):
            user.inactivity_enabled = on
        case Enabled(reminder="streak", on=on):
            user.streak_enabled = on
        case Enabled(reminder="weekly", on=on):
            user.weekly_enabled = on
        case InactivityDays(days=days):
            if days not in INACTIVITY_DAY_CHOICES:
                raise DomainError(f"Inactivity days are one of {INACTIVITY_DAY_CHOICES}.")
            user.inactivity_days = days
        case TimeOfDay(reminder=reminder, minute=minute):
            if not 0 <= minute < MINUTES_PER_DAY:
                raise DomainError("A time runs from 00:00 to 23:59.")
            if reminder == "inactivity":
                user.inactivity_minute = minute
            elif reminder == "streak":
                user.streak_minute = minute
            else:
                user.weekly_minute = minute
        case SummaryWeekday(weekday=weekday):
            if not 0 <= weekday <= 6:
                raise DomainError("A weekday is 0 (Monday) to 6 (Sunday).")
            user.weekly_weekday = weekday
        case WeeklyGoal(minutes=minutes, skill_id=None):
            user.weekly_goal_minutes = check_weekly_goal(minutes) or None
        case PauseFor(days=days):
            if not 1 <= days <= MAX_PAUSE_DAYS:
                raise DomainError("A pause can last at most a year.")
            user.paused_until = today + timedelta(days=days - 1)
        case PauseUntil(day=day):
            user.paused_until = check_pause_until(day, today)
        case Resume():
            user.paused_until = None
        case _:
            raise TypeError(f"not a user setting: {setting!r}")


def prefs_of(user: User) -> ReminderPrefs:
    """The reminder settings stored on a user row."""
    return from_attributes(ReminderPrefs, user)
