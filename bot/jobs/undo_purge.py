"""Deletes undo snapshots whose window has passed."""

from __future__ import annotations

from bot.core.runtime import BotContext, Deps
from bot.services.history import purge_expired_snapshots


async def purge_undo_snapshots(deps: Deps) -> int:
    """Delete expired undo snapshots; returns how many."""
    async with deps.uow() as uow:
        return await purge_expired_snapshots(uow, deps.clock())


async def purge_undo_job(context: BotContext) -> None:
    """Job callback: run the undo-snapshot sweep."""
    await purge_undo_snapshots(context.deps)
