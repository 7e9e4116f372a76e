"""Multi-step conversations whose state lives in the database.

PTB's ConversationHandler keeps state in process memory, and its persistence loads it once at
start-up, so a restarted bot or a second instance behind the same webhook would not see where a
user is. Here each update reads the user's conversation row, so any instance continues it.

A step has no idempotency key: an answer replayed after a crash that followed its commit would
be taken as the answer to the next step. Such a replay (Turn.replayed_step) is answered with
the current step's question instead; a save's replay goes on as usual (its key saves once).
"""

from __future__ import annotations

import logging

from telegram.ext import ApplicationHandlerStop

from bot.core.runtime import AsksAgain, Flow, Turn, handler
from bot.domain.errors import DomainError
from bot.ui.texts import ANSWER_TAKEN, ANSWER_TAKEN_DONE, ANSWER_TAKEN_TOAST, STALE_BUTTON, esc
from storage.models import Conversation

log = logging.getLogger(__name__)


@handler
async def route_message(turn: Turn) -> None:
    """Give a non-command message to the user's open conversation, if there is one."""
    conv = await turn.load_conversation()
    if conv is None and turn.replayed_step:
        # Its step ended the conversation before the crash: not a new message for later groups.
        await turn.reply(ANSWER_TAKEN_DONE)
        raise ApplicationHandlerStop
    if conv is None:
        return  # no conversation: later handler groups (links, photos, fallback) take it
    flow = turn.deps.flows.get(conv.name)
    if flow is None:
        await turn.finish()
        return
    if turn.replayed_step:
        await _ask_again(turn, flow, conv)
        raise ApplicationHandlerStop
    try:
        await flow.on_message(turn, conv)
    except DomainError as exc:
        # Answered here, not by the wrapper: the message must not also reach later groups.
        await turn.uow.rollback()
        await turn.reply(esc(exc))
    raise ApplicationHandlerStop


@handler
async def route_callback(turn: Turn) -> None:
    """Give a conversation button press to its flow, refusing presses from finished steps."""
    callback = turn.callback()
    flow = turn.deps.flow_by_prefix(callback.prefix)
    conv = await turn.load_conversation()
    query = turn.query
    pressed_id = query.message.message_id if query and query.message else None
    if flow is not None and conv is not None and conv.name == flow.name and turn.replayed_step:
        await _ask_again(turn, flow, conv)
        return
    if (
        flow is None
        or conv is None
        or conv.name != flow.name
        or (conv.message_id is not None and pressed_id != conv.message_id)
    ):
        await turn.answer(STALE_BUTTON)
        await turn.drop_keyboard()
        return
    await flow.on_callback(turn, conv, callback)


async def _ask_again(turn: Turn, flow: Flow, conv: Conversation) -> None:
    """Answer a replayed step that was already taken: where the conversation is now."""
    if isinstance(flow, AsksAgain):
        await flow.ask_again(turn, conv)
        return
    await turn.answer(ANSWER_TAKEN_TOAST)
    if turn.query is None:
        await turn.reply(ANSWER_TAKEN, quote=conv.message_id)


@handler
async def cancel_command(turn: Turn) -> None:
    """/cancel: leave whatever conversation is open."""
    conv = await turn.load_conversation()
    await turn.finish()
    if conv is None:
        await turn.reply("There's nothing to cancel. Send /help to see what I can do.")
        return
    await turn.remove_keyboard(conv.message_id)
    await turn.reply(f"Cancelled {esc(_title(turn, conv))}. Nothing was saved.")


@handler
async def cancel_button(turn: Turn) -> None:
    """The ✖ Cancel button: ends the conversation whose step it is on, or just closes its screen."""
    conv = await turn.load_conversation()
    query = turn.query
    pressed_id = query.message.message_id if query and query.message else None
    if conv is None or (conv.message_id is not None and conv.message_id != pressed_id):
        # An older screen's Cancel must not end the conversation the user is in now.
        await turn.answer("Closed")
        await turn.show("Closed. Nothing was changed.")
        return
    await turn.finish()
    await turn.answer("Cancelled")
    await turn.show(f"Cancelled {esc(_title(turn, conv))}. Nothing was saved.")


def _title(turn: Turn, conv: Conversation) -> str:
    flow = turn.deps.flows.get(conv.name)
    return flow.title if flow else "that"
