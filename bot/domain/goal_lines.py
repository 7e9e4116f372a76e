"""Goal progress as text (HTML-safe): one line per skill, shared by every screen that shows it.

Here rather than in bot/ui because the saved-session card's lines are built by a service.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.domain.durations import format_duration
from bot.domain.goals import Goal, GoalKind, GoalStatus


def minutes(total: int) -> str:
    """'1 h 30 min', '0 min'."""
    return format_duration(total) if total > 0 else "0 min"


def plural(count: int, word: str) -> str:
    """'1 session', '3 sessions'."""
    return f"{count} {word if count == 1 else word + 's'}"


def target_text(goal: Goal) -> str:
    """'4 sessions a week', '3 days a week', '2 h a week', '20 min a day'."""
    if goal.kind is GoalKind.SESSIONS_WEEK:
        return f"{plural(goal.target, 'session')} a week"
    if goal.kind is GoalKind.DAYS_WEEK:
        return f"{plural(goal.target, 'day')} a week"
    if goal.kind is GoalKind.MINUTES_WEEK:
        return f"{minutes(goal.target)} a week"
    return f"{minutes(goal.target)} a day"


def status_text(status: GoalStatus) -> str:
    """'3 of 4 sessions this week', '2 of 3 days this week', '1 h of 2 h', 'today 10 of 20 min'."""
    goal, done = status.goal, status.done
    mark = " ✅" if status.met else ""
    if goal.kind is GoalKind.SESSIONS_WEEK:
        text = f"{done} of {plural(goal.target, 'session')} this week"
    elif goal.kind is GoalKind.DAYS_WEEK:
        text = f"{done} of {plural(goal.target, 'day')} this week"
    elif goal.kind is GoalKind.MINUTES_WEEK:
        text = f"{minutes(done)} of {minutes(goal.target)} this week"
    else:
        text = f"today {minutes(done)} of {minutes(goal.target)}"
    return text + mark


def goal_line(name: str | None, statuses: Sequence[GoalStatus]) -> str:
    """'🎯 React: 3 of 4 sessions this week · 1 h of 2 h this week' (name None: overall)."""
    label = "All skills" if name is None else escape(name, quote=False)
    return f"🎯 {label}: " + " · ".join(status_text(s) for s in statuses)
