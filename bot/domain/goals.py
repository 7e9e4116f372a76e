"""Goals in the shapes people have them: minutes, sessions or days a week, or a daily minimum.

A skill (or the user overall) may have any of the four. Weekly goals are measured over the
user's week (bot.domain.weeks); a daily minimum over each local date. Progress is computed from
one week of per-day figures, so the same function serves the saved-session card, /stats,
/streak, /goals and the weekly summary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Final

from bot.domain.analytics import DayTotal
from bot.domain.durations import parse_duration
from bot.domain.errors import DomainError

MAX_WEEKLY_MINUTES: Final = 7 * 24 * 60
MAX_WEEKLY_SESSIONS: Final = 70
MAX_DAILY_MINUTES: Final = 24 * 60


class GoalKind(StrEnum):
    """The four shapes of a goal; the values are their column names."""

    MINUTES_WEEK = "weekly_goal_minutes"
    SESSIONS_WEEK = "weekly_goal_sessions"
    DAYS_WEEK = "weekly_goal_days"
    DAILY_MINUTES = "daily_goal_minutes"

    @property
    def weekly(self) -> bool:
        """Whether the goal is measured over a week (else over each day)."""
        return self is not GoalKind.DAILY_MINUTES

    @property
    def limit(self) -> int:
        """The largest target that makes sense."""
        return _LIMITS[self]


_LIMITS: Final = {
    GoalKind.MINUTES_WEEK: MAX_WEEKLY_MINUTES,
    GoalKind.SESSIONS_WEEK: MAX_WEEKLY_SESSIONS,
    GoalKind.DAYS_WEEK: 7,
    GoalKind.DAILY_MINUTES: MAX_DAILY_MINUTES,
}


@dataclass(frozen=True, slots=True)
class Goal:
    """One target of one kind."""

    kind: GoalKind
    target: int


@dataclass(frozen=True, slots=True)
class GoalSet:
    """The goals of one skill, or the overall ones; None where there is no goal of that kind."""

    weekly_goal_minutes: int | None = None
    weekly_goal_sessions: int | None = None
    weekly_goal_days: int | None = None
    daily_goal_minutes: int | None = None

    @property
    def goals(self) -> tuple[Goal, ...]:
        """The goals that are set, in GoalKind order."""
        return tuple(
            Goal(GoalKind(f.name), value)
            for f in fields(self)
            if (value := getattr(self, f.name)) is not None
        )

    @property
    def weekly(self) -> tuple[Goal, ...]:
        """The weekly goals."""
        return tuple(g for g in self.goals if g.kind.weekly)


@dataclass(frozen=True, slots=True)
class WeekActivity:
    """One week so far: minutes per practised date, and the number of sessions."""

    day_minutes: Mapping[date, int]
    sessions: int

    @property
    def minutes(self) -> int:
        """Minutes this week."""
        return sum(self.day_minutes.values())

    @property
    def days(self) -> int:
        """Dates with any practice this week."""
        return sum(1 for m in self.day_minutes.values() if m > 0)


EMPTY_WEEK: Final = WeekActivity({}, 0)


@dataclass(frozen=True, slots=True)
class GoalStatus:
    """How far one goal is this week (or today, for a daily minimum)."""

    goal: Goal
    done: int
    met: bool


def goal_status(goal: Goal, week: WeekActivity, today: date) -> GoalStatus:
    """Progress towards ``goal`` from this week's activity (today's, for a daily minimum)."""
    if goal.kind is GoalKind.MINUTES_WEEK:
        done = week.minutes
    elif goal.kind is GoalKind.SESSIONS_WEEK:
        done = week.sessions
    elif goal.kind is GoalKind.DAYS_WEEK:
        done = week.days
    else:
        done = week.day_minutes.get(today, 0)
    return GoalStatus(goal, done, done >= goal.target)


def week_met(goals: GoalSet, week: WeekActivity) -> bool | None:
    """Whether a (complete) week met every weekly goal; None without weekly goals."""
    weekly = goals.weekly
    if not weekly:
        return None
    return all(goal_status(g, week, date.min).met for g in weekly)


# ----- the one-message form: "/goals react 4x week" -----


@dataclass(frozen=True, slots=True)
class GoalRequest:
    """A typed goal: which skill (None: overall), which kind, and the target (None: remove)."""

    skill: str | None
    kind: GoalKind | None
    target: int | None


OVERALL_WORDS: Final = frozenset({"all", "overall", "total", "everything", "any"})
_OFF_WORDS: Final = r"(?:off|none|no goal|clear|remove|delete|0)"
_PERIOD: Final = r"(?:(?:a|an|per|each|every|/|in a)\s*)?(?P<period>weekly|week|wk|w|daily|day|d)"
_SESSIONS: Final = r"(?:x|×|times?|sessions?|sess)"
_DAYS: Final = r"(?:days?)"
_COUNT_RE: Final = re.compile(
    rf"^(?:(?P<skill>.+?)\s+)?(?P<n>\d+)\s*(?P<unit>{_SESSIONS}|{_DAYS})?\s*{_PERIOD}$"
)
_DURATION_RE: Final = re.compile(
    rf"^(?:(?P<skill>.+?)\s+)?(?P<duration>\d[\d.,:]*\s*(?:h\w*|m\w*)?\s*(?:\d+\s*m\w*)?)"
    rf"\s*{_PERIOD}$"
)
_OFF_RE: Final = re.compile(rf"^(?:(?P<skill>.+?)\s+)?(?P<kind>\w+\s+)?{_OFF_WORDS}$")
GOAL_EXAMPLES: Final = (
    "Try /goals react 4x week, /goals react 3 days a week, "
    "/goals react 2h week, /goals 20 min a day or "
    "/goals react off."
)
_OFF_KINDS: Final = {
    "sessions": GoalKind.SESSIONS_WEEK,
    "times": GoalKind.SESSIONS_WEEK,
    "days": GoalKind.DAYS_WEEK,
    "minutes": GoalKind.MINUTES_WEEK,
    "time": GoalKind.MINUTES_WEEK,
    "daily": GoalKind.DAILY_MINUTES,
}


def _skill(raw: str | None) -> str | None:
    words = (raw or "").strip()
    return None if not words or words.casefold() in OVERALL_WORDS else words


def parse_goal_request(text: str) -> GoalRequest:
    """Understand "react 4x week", "react 3 days a week", "2h/week", "20 min daily", "react off".

    Without a skill name (or with "all") the goal is the overall one. Raises DomainError with
    examples when the text is not a goal, or the target is out of range.
    """
    cleaned = " ".join(text.split())
    lowered = cleaned.casefold()
    if not lowered:
        raise DomainError(f"Tell me the goal. {GOAL_EXAMPLES}")
    if off := _OFF_RE.match(lowered):
        kind_word = (off.group("kind") or "").strip()
        kind = _OFF_KINDS.get(kind_word)
        skill = off.group("skill")
        if kind_word and kind is None:
            skill = f"{skill or ''} {kind_word}".strip()
        return GoalRequest(_skill(_original(cleaned, skill)), kind, None)
    if count := _COUNT_RE.match(lowered):
        daily = count.group("period") in {"daily", "day", "d"}
        unit = count.group("unit") or ""
        n = int(count.group("n"))
        skill = _skill(_original(cleaned, count.group("skill")))
        if unit.startswith("day"):
            if daily:
                raise DomainError(f"“Days a day” is not a goal. {GOAL_EXAMPLES}")
            return GoalRequest(skill, GoalKind.DAYS_WEEK, _checked(GoalKind.DAYS_WEEK, n))
        if daily:
            if unit:
                raise DomainError(
                    "Goals count sessions per week, not per day: try "
                    "/goals react 5x week, or a daily minimum like "
                    "/goals react 20 min a day."
                )
            return GoalRequest(skill, GoalKind.DAILY_MINUTES, _checked(GoalKind.DAILY_MINUTES, n))
        return GoalRequest(skill, GoalKind.SESSIONS_WEEK, _checked(GoalKind.SESSIONS_WEEK, n))
    if timed := _DURATION_RE.match(lowered):
        daily = timed.group("period") in {"daily", "day", "d"}
        kind = GoalKind.DAILY_MINUTES if daily else GoalKind.MINUTES_WEEK
        total = _duration(timed.group("duration"), kind)
        skill = _skill(_original(cleaned, timed.group("skill")))
        return GoalRequest(skill, kind, _checked(kind, total))
    raise DomainError(f"I couldn't read a goal in that. {GOAL_EXAMPLES}")


def _original(cleaned: str, lowered_part: str | None) -> str | None:
    """The typed skill words with their original case (casefold keeps ASCII lengths)."""
    if lowered_part is None:
        return None
    return cleaned[: len(lowered_part)] if len(cleaned.casefold()) == len(cleaned) else lowered_part


def _duration(typed: str, kind: GoalKind) -> int:
    compact = typed.replace(" ", "")
    # A week can hold more than the 24 hours a single session may last: the range is checked
    # per kind by the caller, not by the session rule.
    hours = re.fullmatch(r"(\d+(?:[.,]\d+)?)h\w*", compact)
    if hours:
        return round(float(hours.group(1).replace(",", ".")) * 60)
    if whole := re.fullmatch(r"(\d+)m\w*", compact):
        return int(whole.group(1))
    try:
        return parse_duration(typed)
    except DomainError as error:
        raise DomainError(f"I couldn't read the time in that goal. {GOAL_EXAMPLES}") from error


def _checked(kind: GoalKind, target: int) -> int:
    if target < 1:
        raise DomainError("A goal needs a target of at least 1; “off” removes a goal.")
    if target > kind.limit:
        raise DomainError(_TOO_BIG[kind])
    return target


_TOO_BIG: Final = {
    GoalKind.MINUTES_WEEK: "A week has 168 hours: a weekly goal can be at most 168 h.",
    GoalKind.SESSIONS_WEEK: f"At most {MAX_WEEKLY_SESSIONS} sessions a week, please.",
    GoalKind.DAYS_WEEK: "A week has 7 days: a days-a-week goal can be 1 to 7.",
    GoalKind.DAILY_MINUTES: "A day has 24 hours: a daily minimum can be at most 24 h.",
}


def week_activities(
    rows: Iterable[DayTotal], start: date, end: date
) -> dict[int | None, WeekActivity]:
    """Each skill's activity between start and end (inclusive); key None is all skills."""
    minutes: dict[int | None, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    sessions: dict[int | None, int] = defaultdict(int)
    for r in rows:
        if start <= r.day <= end:
            for key in (r.skill_id, None):
                minutes[key][r.day] += r.minutes
                sessions[key] += r.sessions
    return {key: WeekActivity(dict(minutes[key]), sessions[key]) for key in minutes}
