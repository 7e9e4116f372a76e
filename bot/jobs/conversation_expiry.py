"""Ends conversations left idle past the timeout and tells each user once."""

from __future__ import annotations

import logging

from telegram import Bot

from bot.core.runtime import BotContext, Deps
from bot.ui.texts import esc

log = logging.getLogger(__name__)


async def expire_conversations(context: BotContext) -> None:
    """Job callback: run the idle-conversation sweep."""
    await expire_idle_conversations(context.deps, context.bot)


async def expire_idle_conversations(deps: Deps, bot: Bot) -> int:
    """End conversations left idle past the timeout and tell each user once; returns how many."""
    async with deps.uow() as uow:
        expired = await uow.conversations.pop_expired(deps.clock())
        await uow.commit()
    minutes = deps.settings.conversation_timeout_minutes
    for item in expired:
        flow = deps.flows.get(item.name)
        title = flow.title if flow else "the conversation"
        try:
            if item.message_id is not None:
                await bot.edit_message_reply_markup(item.chat_id, item.message_id)
        except Exception:
            log.debug("could not remove a timed-out keyboard")
        try:
            await bot.send_message(
                item.chat_id,
                f"⌛ {esc(title).capitalize()} timed out after {minutes} minutes without a reply, "
                "so I closed it. Nothing was saved; start again any time.",
            )
        except Exception:
            log.warning("could not send a timeout notice", exc_info=True)
    return len(expired)
