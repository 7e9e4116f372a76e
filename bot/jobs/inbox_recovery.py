"""Hand over updates an instance stored and never finished, and prune old handled ones."""

from __future__ import annotations

from bot.core.inbox import Inbox
from bot.core.runtime import BotContext


async def inbox_job(context: BotContext) -> None:
    """Job callback: renew our claims; pending updates past their lease come to this queue."""
    inbox: Inbox | None = context.application.bot_data.get("inbox")
    if inbox is None:
        return
    await inbox.renew()
    await inbox.recover(context.application.update_queue, all_pending=False)
    await inbox.prune()
