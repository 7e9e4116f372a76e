"""/help, unknown commands, stale buttons, content nobody asked for, and the error handler."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.core.delivery import deliver, is_delivery_failure, is_expired_query
from bot.core.logs import user_context
from bot.core.runtime import BotContext, Turn, TurnFailed, TurnOutcome, handler
from bot.domain.commands import closest_command
from bot.ui.callbacks import LogFromMessage
from bot.ui.keyboards import markup, press
from bot.ui.texts import HELP, NOT_SURE, NOTHING_SAVED, SAVED_UNSHOWN, STALE_BUTTON, esc

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
        else "locations"
        if message.location
        else "that kind of message"
    )
    await turn.reply(
        f"I can't use {kind}. I understand text, links, photos, recordings, documents and "
        "spreadsheet files. /help lists what I can do."
    )


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the user the truth: what was saved, or that nothing was."""
    error = context.error
    outcome = error.outcome if isinstance(error, TurnFailed) else None
    cause = error.__cause__ if isinstance(error, TurnFailed) and error.__cause__ else error
    user = update.effective_user if isinstance(update, Update) else None
    with user_context(user.id if user else None):
        if isinstance(cause, Forbidden):
            log.info("user blocked the bot: %s", cause)
            raise ApplicationHandlerStop
        handled = outcome is not None and (outcome.saved or outcome.maybe_delivered)
        if handled and isinstance(cause, Exception) and is_delivery_failure(cause):
            # The write (or the reply) is there: Telegram's trouble, not a failed update.
            log.warning("reply failed after the update was handled: %r", cause)
        else:
            log.error("update failed", exc_info=cause)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        await _tell_user(update, context, update.effective_chat.id, outcome)
    # A failed update is finished: no later handler group (e.g. the catch-all) may answer too.
    raise ApplicationHandlerStop


async def _tell_user(
    update: Update, context: BotContext, chat_id: int, outcome: TurnOutcome | None
) -> None:
    """Say what happened, unless a reply that may have arrived already said it."""
    if outcome is not None and outcome.maybe_delivered:
        return
    saved = outcome is not None and outcome.saved
    text = (outcome.unshown or SAVED_UNSHOWN) if outcome is not None and saved else NOTHING_SAVED
    query = update.callback_query
    answered = outcome is not None and outcome.answered
    try:
        if query is not None and not answered and not saved:
            await deliver(lambda: query.answer(NOTHING_SAVED, show_alert=True), resend_safe=True)
            return
        if query is not None and not answered:
            await _answer_quietly(query)
        await deliver(
            lambda: context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML),
            resend_safe=False,
        )
    except TelegramError as exc:
        if is_expired_query(exc):
            log.debug("the failed button press can no longer be answered")
        else:
            log.warning("could not tell the user about the failure: %r", exc)


async def _answer_quietly(query: CallbackQuery) -> None:
    """Stop the button's spinner; the message below says what happened."""
    try:
        await query.answer()
    except TelegramError as exc:
        log.debug("could not answer the failed button press: %r", exc)
