"""/help, unknown commands, stale buttons, content nobody asked for, and the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.core.logs import user_context
from bot.core.runtime import BotContext, Turn, handler
from bot.domain.commands import closest_command
from bot.ui.callbacks import LogFromMessage
from bot.ui.keyboards import markup, press
from bot.ui.texts import HELP, NOT_SURE, NOTHING_SAVED, STALE_BUTTON, esc

log = logging.getLogger(__name__)


@handler
async def help_command(turn: Turn) -> None:
    """/help: what the bot does and its commands."""
    await turn.reply(HELP)


@handler
async def unknown_command(turn: Turn) -> None:
    """A command this bot doesn't have: suggest the one it most likely meant ("/lgo" -> /log)."""
    word = turn.text.split()[0].split("@")[0] if turn.text else "That"
    known = [
        name
        for entry in turn.context.application.handlers.get(0, [])
        if isinstance(entry, CommandHandler)
        for name in entry.commands
    ]
    meant = closest_command(word, known)
    if meant is None:
        await turn.reply(f"I don't know the command {esc(word[:40])}. /help lists the ones I do.")
        return
    message_id = turn.message.message_id if turn.message else None
    if meant == "log":
        # The button logs what was typed after the typo: it reads the message this replies to.
        keyboard = markup([[press("📝 Yes, /log it", LogFromMessage())]])
        await turn.reply("Did you mean /log?", keyboard, quote=message_id)
        return
    await turn.reply(f"Did you mean /{meant}? Tap it to run it.", quote=message_id)


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
        await turn.reply(NOT_SURE)
        return
    kind = (
        "stickers"
        if message.sticker
        else "voice messages"
        if message.voice
        else "locations"
        if message.location
        else "videos"
        if message.video
        else "that kind of message"
    )
    await turn.reply(
        f"I can't use {kind}. I understand text, links, photos and "
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
