"""/export: the user's whole history as a JSON or CSV document."""

from __future__ import annotations

import asyncio
from typing import Final

from telegram.constants import ParseMode

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, on
from bot.services.export import (
    ExportBundle,
    ExportFormat,
    export_filename,
    gather_export,
    serialise,
)
from bot.ui import callbacks as exp
from bot.ui.keyboards import markup, press
from bot.ui.texts import BUTTON_CANCEL, esc, minutes, plural

PREFIX = exp.EXPORT

CHOOSE = (
    "📦 <b>Export your practice history</b>\n\n"
    "<b>JSON</b> — everything: skills, sessions, evidence and settings. "
    "Send it back with /import to restore it.\n"
    "<b>CSV</b> — one row per session, for Excel, Google Sheets or Numbers."
)


def export_caption(bundle: ExportBundle, fmt: ExportFormat) -> str:
    """The document's caption: what the file holds and what it is for."""
    sessions = len(bundle.logs)
    if sessions == 0:
        held = (
            "You haven't logged any sessions yet, so this file has none — it's still a valid "
            f"export ({plural(len(bundle.skills), 'skill')})."
        )
    else:
        total = sum(log.duration_minutes for log in bundle.logs)
        held = (
            f"{plural(sessions, 'session')} ({minutes(total)}) across "
            f"{plural(len(bundle.skills), 'skill')}, "
            f"{plural(len(bundle.evidence), 'piece')} of evidence."
        )
    use = (
        "Send this file with /import to restore it."
        if fmt == "json"
        else "Opens in Excel, Google Sheets or Numbers; /import reads it back."
    )
    return f"{held}\n{use}"


@handler
async def export_command(turn: Turn) -> None:
    """/export json|csv: send that format at once; /export alone (or anything else) asks."""
    args = [arg.casefold() for arg in turn.context.args or []]
    if args in (["json"], ["csv"]):
        await _send_export(turn, "json" if args == ["json"] else "csv")
        return
    heading = (
        f"I can export as JSON or CSV, not “{esc(' '.join(args)[:30])}”. "
        "Send /export json or /export csv, or tap one:\n\n"
        if args
        else ""
    )
    await turn.reply(
        heading + CHOOSE,
        markup(
            [
                [press("📄 JSON", exp.ExportAs("json")), press("📊 CSV", exp.ExportAs("csv"))],
                [press(BUTTON_CANCEL, exp.ExportCancel())],
            ]
        ),
    )


async def _cancel(turn: Turn, pressed: exp.ExportCancel) -> None:
    """[Cancel]."""
    await turn.answer("Cancelled")
    await turn.show("Export cancelled. Send /export any time.")


async def _export(turn: Turn, pressed: exp.ExportAs) -> None:
    """[JSON] or [CSV]."""
    await _send_export(turn, pressed.fmt)


async def _send_export(turn: Turn, fmt: ExportFormat) -> None:
    """Gather the history, serialise it off the event loop, and send it."""
    await turn.answer("Preparing your export…")
    progress = await turn.show(f"⏳ Preparing your {fmt.upper()} export…")
    bundle = await gather_export(turn.uow, turn.user_id, turn.now)
    # End the read before talking to Telegram: on SQLite it holds the database's write lock.
    await turn.release()
    data = await asyncio.to_thread(serialise, bundle, fmt)
    filename = export_filename(fmt, turn.today)
    await turn.context.bot.send_document(
        turn.chat_id,
        document=data,
        filename=filename,
        caption=esc(export_caption(bundle, fmt)),
        parse_mode=ParseMode.HTML,
    )
    done = f"✅ Here's your export: <b>{esc(filename)}</b>."
    if turn.query is not None:
        await turn.show(done)
    else:
        await turn.context.bot.edit_message_text(
            done, turn.chat_id, progress, parse_mode=ParseMode.HTML
        )


BUTTON_STEPS: Final = StepTable[Turn](on(exp.ExportAs, _export), on(exp.ExportCancel, _cancel))


@handler
async def export_button(turn: Turn) -> None:
    """[JSON] [CSV] [Cancel] under /export; exporting only reads, so an old button is harmless."""
    await BUTTON_STEPS.run(turn, exp.EXPORT_BUTTONS.parse(turn.callback()))
