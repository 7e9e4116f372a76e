"""/help, unknown commands, stale buttons, content nobody asked for, and the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop

from bot.core.logs import user_context
from bot.core.runtime import BotContext, Turn, handler
from bot.ui.texts import HELP, NOTHING_SAVED, STALE_BUTTON, esc

log = logging.getLogger(__name__)


@handler
async def help_command(turn: Turn) -> None:
    """/help: what the bot does and its commands."""
    await turn.reply(HELP)


@handler
async def unknown_command(turn: Turn) -> None:
    """A command this bot doesn't have."""
    word = turn.text.split()[0].split("@")[0] if turn.text else "That"
    await turn.reply(f"I don't know the command {esc(word[:40])}. /help lists the ones I do.")


@handler
async def unknown_button(turn: Turn) -> None:
    """A button whose data no handler recognises (an old keyboard, or forged data)."""
    await turn.answer(STALE_BUTTON)
    await turn.drop_keyboard()


@handler
async def unexpected_content(turn: Turn) -> None:
    """Text or media outside any conversation that no feature claimed."""
    message = turn.message
    if message is None:
        return
    if message.text:
        await turn.reply(
            "I'm not sure what to do with that. To log practice, send /log "
            "(or <code>/log 30m what you practised</code>); /help lists everything."
        )
        return
    kind = (
        "stickers"
        if message.sticker
        else "locations"
        if message.location
        else "that kind of message"
    )
    await turn.reply(
        f"I can't use {kind}. I understand text, links, photos, recordings, documents and "
        "spreadsheet files. /help lists what I can do."
    )


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its traceback and tell the user plainly that nothing was saved."""
    error = context.error
    user = update.effective_user if isinstance(update, Update) else None
    with user_context(user.id if user else None):
        if isinstance(error, Forbidden):
            log.info("user blocked the bot: %s", error)
            raise ApplicationHandlerStop
        log.error("update failed", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    # The failed handler's unit of work has already rolled back on its way out.
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(NOTHING_SAVED, show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, NOTHING_SAVED)
    except Exception:
        log.warning("could not tell the user about the failure", exc_info=True)
    # A failed update is finished: no later handler group (e.g. the catch-all) may answer too.
    raise ApplicationHandlerStop
