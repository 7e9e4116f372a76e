"""Goal progress as text (HTML-safe): one line per skill, shared by every screen that shows it.

Here rather than in bot/ui because the saved-session card's lines are built by a service.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from bot.domain.durations import format_duration
from bot.domain.goals import Goal, GoalKind, GoalStatus


def minutes(total: int) -> str:
    """'1 h 30 min', '0 min'."""
    return format_duration(total) if total > 0 else "0 min"


def plural(count: int, word: str) -> str:
    """'1 session', '3 sessions'."""
    return f"{count} {word if count == 1 else word + 's'}"


# The goals counted in sessions or days, and their unit; the others count minutes.
_COUNTED_IN: Final = {GoalKind.SESSIONS_WEEK: "session", GoalKind.DAYS_WEEK: "day"}


def _amount(kind: GoalKind, count: int) -> str:
    """'4 sessions', '3 days', '2 h': a count in the goal kind's unit."""
    unit = _COUNTED_IN.get(kind)
    return minutes(count) if unit is None else plural(count, unit)


def target_text(goal: Goal) -> str:
    """'4 sessions a week', '3 days a week', '2 h a week', '20 min a day'."""
    return f"{_amount(goal.kind, goal.target)} {'a week' if goal.kind.weekly else 'a day'}"


def done_of_target(goal: Goal, done: int) -> str:
    """'3 of 4 sessions', '2 of 3 days', '1 h of 2 h'."""
    counted = minutes(done) if goal.kind not in _COUNTED_IN else str(done)
    return f"{counted} of {_amount(goal.kind, goal.target)}"


def status_text(status: GoalStatus) -> str:
    """'3 of 4 sessions this week', '2 of 3 days this week', '1 h of 2 h', 'today 10 of 20 min'."""
    progress = done_of_target(status.goal, status.done)
    text = f"{progress} this week" if status.goal.kind.weekly else f"today {progress}"
    return text + (" ✅" if status.met else "")


def goal_line(name: str | None, statuses: Sequence[GoalStatus]) -> str:
    """'🎯 React: 3 of 4 sessions this week · 1 h of 2 h this week' (name None: overall)."""
    label = "All skills" if name is None else escape(name, quote=False)
    return f"🎯 {label}: " + " · ".join(status_text(s) for s in statuses)
