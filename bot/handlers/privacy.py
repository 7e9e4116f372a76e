"""/deletemydata: erase every row of the user after a confirmation that says what goes."""

from __future__ import annotations

from typing import Final

from telegram import InlineKeyboardMarkup

from bot.core.runtime import Turn, handler
from bot.core.steps import At, StepTable
from bot.services.account import erase_account, footprint_counts
from bot.ui import callbacks as dmd
from bot.ui.callbacks import Callback
from bot.ui.keyboards import markup, press
from bot.ui.texts import plural
from storage.models import Conversation
from storage.repositories.account import AccountFootprint

DELETE_BUTTON = "🗑 Delete everything"
KEEP_BUTTON = "Keep my data"


def _what_goes(footprint: AccountFootprint) -> str:
    return (
        f"• {plural(footprint.skills, 'skill')}\n"
        f"• {plural(footprint.sessions, 'practice session')}\n"
        f"• {plural(footprint.evidence, 'piece')} of evidence (links, notes, screenshot details)\n"
        "• your time zone, reminder settings and anything you were in the middle of"
    )


def confirmation_screen(
    footprint: AccountFootprint, *, changed: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The warning with exact counts, and the two choices."""
    lead = "Your data changed since I asked, so here is the new count.\n\n" if changed else ""
    text = (
        f"{lead}⚠️ <b>Delete all your data?</b>\n\nThis erases, for good:\n"
        f"{_what_goes(footprint)}\n\n"
        "There is no undo. If you want a copy, send /export first."
    )
    keyboard = markup(
        [
            [
                press(DELETE_BUTTON, dmd.DeleteDataYes()),
                press(KEEP_BUTTON, dmd.DeleteDataNo()),
            ]
        ]
    )
    return text, keyboard


@handler
async def deletemydata_command(turn: Turn) -> None:
    """/deletemydata: show exactly what would be erased and ask to confirm."""
    footprint = await turn.uow.account.footprint(turn.user_id)
    text, keyboard = confirmation_screen(footprint)
    message = await turn.reply(text, keyboard)
    await turn.begin(
        DeleteDataFlow.name, "confirm", {"counts": footprint_counts(footprint)}, message.message_id
    )


class DeleteDataFlow:
    """The confirmation step; only the newest confirmation's buttons work."""

    name = "delete_data"
    prefix = dmd.DELETE_DATA
    title = "the data deletion"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """A message while the question is open: point at the buttons."""
        await turn.reply(
            f"Tap <b>{DELETE_BUTTON}</b> or <b>{KEEP_BUTTON}</b> above "
            "(or send /cancel). Nothing has been deleted."
        )

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Delete everything (if the counts shown are still true) or keep it."""
        await FLOW_STEPS.run(At(turn, conv), dmd.DELETE_DATA_BUTTONS.parse(callback))


async def _keep(at: At, pressed: dmd.DeleteDataNo) -> None:
    """Keep my data."""
    turn = at.turn
    await turn.finish()
    await turn.answer("Kept")
    await turn.show("Kept. Nothing was deleted.")


async def _erase(at: At, pressed: dmd.DeleteDataYes) -> None:
    """Delete everything, unless the data changed since the counts were shown: then ask again."""
    turn = at.turn
    erased, footprint = await erase_account(turn.uow, turn.user_id, at.conv.data.get("counts"))
    if not erased:
        text, keyboard = confirmation_screen(footprint, changed=True)
        message_id = await turn.show(text, keyboard)
        await turn.advance("confirm", message_id=message_id, counts=footprint_counts(footprint))
        return
    await turn.answer("Deleted")
    await turn.show(
        "Done: I erased all your data —\n"
        f"{_what_goes(footprint)}\n\n"
        "I no longer know anything about you. Send /start if you ever want to begin again."
    )


FLOW_STEPS: Final = StepTable[At](_erase, _keep)
