"""Extra lines for the saved-entry card: the streak now, and milestone celebrations.

Every save path goes through bot.services.log_session, which calls card_extras() after the
session is saved and before committing; handlers pass the lines to bot.ui.cards.session_card(
extra=...). This is the hook for more motivation lines: add them here, not in each handler.
"""

from __future__ import annotations

from datetime import date

from bot.domain.streak_rules import runs_of, streak_with_freezes
from bot.domain.streaks import Streak, compute_streak
from bot.services.goals import card_goal_lines
from bot.services.milestones import celebrate
from bot.services.practice import SavedSession
from storage.uow import UnitOfWork


def streaks_around(saved: SavedSession, today: date) -> tuple[Streak, Streak]:
    """The user's streak before and after this session (no query: the save returned the dates)."""
    before = compute_streak(saved.other_dates, today)
    after = compute_streak([*saved.other_dates, saved.log.practiced_on], today)
    return before, after


def streak_line(streak: Streak) -> str | None:
    """'🔥 Day 5 in a row' while a streak of two or more days is alive, else None."""
    if streak.current < 2:
        return None
    if streak.alive_today:
        return f"🔥 Day {streak.current} in a row"
    return f"🔥 {streak.current} days in a row — practise today to keep it going"


async def card_extras(uow: UnitOfWork, user_id: int, today: date, saved: SavedSession) -> list[str]:
    """Lines shown under a saved session (HTML-safe). `uow` is there for extras that need it.

    Keep this free of queries where the save's result will do: Quick Log's throughput on
    SQLite is set by round trips (benchmarks/quick_log.py).
    """
    lines: list[str] = []
    before, after = streaks_around(saved, today)
    line = streak_line(after)
    dates = [*saved.other_dates, saved.log.practiced_on]
    frozen = streak_with_freezes(runs_of(dates), today)
    if frozen.frozen and frozen.current > after.current and frozen.end == today:
        # The same streak /streak shows: days that freezes covered still count.
        line = f"🔥 Day {frozen.current} in a row ({frozen.frozen} frozen)"
    if line:
        lines.append(line)
    # At most one celebration per streak; the ledger is queried only when a milestone is crossed.
    if saved.created and (celebration := await celebrate(uow, user_id, before, after)):
        lines.append(celebration)
    if saved.has_goals:
        lines.extend(await card_goal_lines(uow, user_id, today, saved.log.skill_id))
    return lines
