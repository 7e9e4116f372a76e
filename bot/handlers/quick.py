"""/quick: one tap saves a session for today; the card offers 📝 Add note and ↩️ Undo."""

from __future__ import annotations

from typing import Final

from telegram import InlineKeyboardMarkup

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
from bot.domain.errors import DomainError
from bot.domain.practice import validate_description
from bot.services.evidence_batch import pending_items
from bot.services.history import UNDO_MINUTES, delete_session
from bot.services.log_session import log_session
from bot.services.practice import (
    ArchivedSkill,
    SessionDraft,
    UnknownLog,
    UnknownSkill,
    quick_options,
    update_practice_log,
)
from bot.ui import callbacks as ql
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.cards import session_card, session_card_keyboard
from bot.ui.evidence import attach_pending_label
from bot.ui.keyboards import cancel_button, markup, press
from bot.ui.quick_log import (
    client_token,
    made_by,
    new_nonce,
    quick_card_keyboard,
    quick_log_keyboard,
)
from bot.ui.texts import NOT_FOUND, esc, minutes, plural, session_unshown, unshown
from storage.models import Conversation

NO_SKILLS = (
    "⚡ <b>Quick log</b>\nYou have no skills to log yet. Add one with "
    "<code>/addskill Guitar</code> or /skills, then come back."
)
ALREADY_UNDONE = "Already undone — that session is gone. Nothing else changed."


async def _grid(turn: Turn, nonce: str, page: int = 0) -> tuple[str, InlineKeyboardMarkup | None]:
    options = await quick_options(turn.uow, turn.user_id)
    if not options.skills:
        return NO_SKILLS, None
    text = (
        "⚡ <b>Quick log</b> — tap what you practised <b>today</b>; one tap saves it.\n"
        "For another date or your own description, use /log."
    )
    return text, quick_log_keyboard(options.skills, nonce, repeat=options.repeat, page=page)


@handler
async def quick_command(turn: Turn) -> None:
    """/quick: the grid of skills x 15/30/60 min with Repeat last."""
    await turn.reply(*await _grid(turn, new_nonce()))


async def _save(turn: Turn, pressed: ql.QuickSave) -> None:
    """Save skill x minutes for today (the user's today, now); a repeated press saves once."""
    draft = SessionDraft(
        skill_id=pressed.skill_id,
        practiced_on=turn.today,
        duration_minutes=pressed.minutes,
        description=None,  # "Quick practice: 30 min of React"
        source="quick",
        client_token=client_token(pressed.nonce, pressed.skill_id, pressed.minutes),
    )
    try:
        logged = await log_session(turn.uow, turn.user_id, turn.today, draft)
    except UnknownSkill:
        await turn.answer(NOT_FOUND)
        return
    except ArchivedSkill as exc:
        await turn.answer(str(exc), alert=True)
        return
    saved, extras = logged.saved, logged.extras
    turn.if_unshown(
        session_unshown(
            "✅ Saved" if saved.created else "✅ Already saved",
            saved.skill_name,
            saved.log.duration_minutes,
        )
    )
    await turn.answer("Saved" if saved.created else "Already saved — one session.")
    heading = "⚡ Logged" if saved.created else "⚡ Already logged"
    text = session_card(saved.log, saved.skill_name, turn.today, heading=heading, extra=extras)
    # Evidence sent before this session was logged is one tap from being attached to it.
    waiting = await pending_items(turn.uow, turn.user_id, turn.now) if saved.has_batch else []
    attach = attach_pending_label([item.kind for item in waiting]) if waiting else None
    await turn.show(text, quick_card_keyboard(saved.log.id, pressed.nonce, attach_label=attach))


async def _page(turn: Turn, pressed: ql.QuickPage) -> None:
    """◀ More / More ▶: another page of the same keyboard."""
    await turn.show(*await _grid(turn, pressed.nonce, pressed.page))


async def _open(turn: Turn, pressed: ql.QuickOpen) -> None:
    """⚡ Quick log (after an Undo): a fresh grid."""
    await turn.show(*await _grid(turn, new_nonce()))


async def _close(turn: Turn, pressed: ql.QuickClose) -> None:
    """✖ Close."""
    await turn.show("Closed. /quick opens it again.")


async def _undo(turn: Turn, pressed: ql.QuickUndo) -> None:
    """Delete the session this card's tap created: only the presser's, only that one."""
    log = await turn.uow.practice_logs.get(turn.user_id, pressed.log_id)
    if log is None or not made_by(log.client_token, pressed.nonce):
        await turn.answer(ALREADY_UNDONE)
        return
    # Evidence may have been attached since the tap: delete through the snapshot, so the
    # session and its evidence can come back as they were (the history's Undo).
    deleted = await delete_session(turn.uow, turn.user_id, log.id, turn.now)
    summary = deleted.summary
    what = f"{esc(summary.skill_name)} — {minutes(summary.duration_minutes)}"
    turn.if_unshown(unshown(f"↩️ Undone: removed {what}", "it", "/history shows what's left"))
    rows = [[press("⚡ Quick log", ql.QuickOpen())]]
    if summary.evidence:
        text = (
            f"↩️ Undone: removed <b>{what}</b> and its "
            f"{plural(summary.evidence, 'piece')} of evidence. Changed your mind? "
            f"Restore brings them back for {UNDO_MINUTES} minutes."
        )
        rows.insert(0, [press("↩️ Restore", ql.HistoryUndo(deleted.snapshot_id))])
    else:
        text = f"↩️ Undone: removed <b>{what}</b>. Nothing else changed."
    await turn.answer("Undone")
    await turn.show(text, markup(rows))


async def _ask_note(turn: Turn, pressed: ql.QuickNote) -> None:
    """📝 Add note: ask what was practised; the answer replaces the generated description."""
    log = await turn.uow.practice_logs.get(turn.user_id, pressed.log_id)
    if log is None:
        await turn.answer(NOT_FOUND)
        return
    await turn.answer()
    message = await turn.reply(
        f"📝 What did you practise? Send 10–500 characters; they replace “{esc(log.description)}”.",
        markup([[cancel_button()]]),
    )
    old = await turn.load_conversation()
    if old is not None and old.message_id is not None:
        await turn.remove_keyboard(old.message_id)
    await turn.begin(QuickNoteFlow.name, "note", {"log_id": log.id}, message_id=message.message_id)


# Every Quick Log button; ids and nonces come from the client, so all are re-checked.
BUTTON_STEPS: Final = StepTable[Turn](_save, _undo, _ask_note, _page, _open, _close)
quick_button: Final = button_handler(ql.QUICK_BUTTONS, BUTTON_STEPS)


class QuickNoteFlow:
    """Waiting for the note that describes a Quick Log session."""

    name = "quick_note"
    prefix = "qn"
    title = "the note"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """The typed description."""
        if not turn.text:
            await turn.reply("I need the note as text (10–500 characters), or tap Cancel.")
            return
        try:
            description = validate_description(turn.text)
            log = await update_practice_log(
                turn.uow,
                turn.user_id,
                turn.today,
                int(conv.data["log_id"]),
                {"description": description},
            )
        except UnknownLog:
            await turn.finish()
            await turn.reply(NOT_FOUND)
            return
        except DomainError as exc:
            await turn.reply(f"{esc(exc)}\nSend it again, or tap Cancel.")
            return
        skill = await turn.uow.skills.get(turn.user_id, log.skill_id)
        name = skill.name if skill else "?"
        turn.if_unshown(session_unshown("📝 Saved the note on", name, log.duration_minutes))
        step_message = conv.message_id
        await turn.finish()
        if step_message is not None:
            await turn.remove_keyboard(step_message)
        await turn.reply(
            session_card(log, name, turn.today, heading="📝 Note saved"),
            session_card_keyboard(log.id),
        )

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """This flow has only Cancel, handled globally."""
        raise BadCallback("quick note flow has no buttons")
