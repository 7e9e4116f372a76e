"""Streak milestones: 7, 30, 100 and 365 days, or a new record, celebrated once each.

"Once" is decided by the send ledger, like scheduled messages: a row (user, "milestone",
"<milestone>:<first day of the streak>") is claimed in the same transaction as the session, so
undoing and logging again, a double tap or a second instance never celebrates the same streak's
milestone twice, while a later streak that reaches it again is celebrated again.
"""

from __future__ import annotations

from bot.domain.streaks import Milestone, Streak, milestone_for_log
from storage.uow import UnitOfWork

MILESTONE_KIND = "milestone"


def celebration(milestone: Milestone, before: Streak, after: Streak) -> str:
    """The line the saved-entry card shows for a milestone (HTML-safe)."""
    if milestone is Milestone.DAYS_7:
        return "🎉 <b>Milestone: a full week in a row!</b>"
    if milestone is Milestone.DAYS_30:
        return "🏆 <b>Milestone: 30 days in a row — a whole month!</b>"
    if milestone is Milestone.DAYS_100:
        return "💯 <b>Milestone: 100 days in a row!</b>"
    if milestone is Milestone.DAYS_365:
        return "🌟 <b>Milestone: a whole year — 365 days in a row!</b>"
    return (
        f"🎉 <b>New personal best: {after.current} days in a row</b> "
        f"(your record was {before.previous_best})."
    )


def milestone_key(milestone: Milestone, after: Streak) -> str:
    """The ledger period key: which milestone, of which streak."""
    start = after.current_start.isoformat() if after.current_start else "none"
    return f"{milestone.value}:{start}"


async def celebrate(uow: UnitOfWork, user_id: int, before: Streak, after: Streak) -> str | None:
    """The celebration for the milestone this session reached, unless it was celebrated before."""
    milestone = milestone_for_log(before, after)
    if milestone is None:
        return None
    if not await uow.reminders.claim_once(user_id, MILESTONE_KIND, milestone_key(milestone, after)):
        return None
    return celebration(milestone, before, after)
