"""Logging a session from any path (/log, Quick Log, reminder buttons): save, card lines, commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.services.card_extras import card_extras
from bot.services.practice import SavedSession, SessionDraft, save_practice_log
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """The saved session and the extra lines its card shows (streak, milestone; HTML-safe)."""

    saved: SavedSession
    extras: list[str]


async def log_session(
    uow: UnitOfWork, user_id: int, today: date, draft: SessionDraft
) -> LoggedSession:
    """Save the draft, work out the card's extra lines, and commit before anyone is told."""
    saved = await save_practice_log(uow, user_id, today, draft)
    extras = await card_extras(uow, user_id, today, saved)
    await uow.commit()
    return LoggedSession(saved, extras)
