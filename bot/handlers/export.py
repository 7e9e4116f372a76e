"""/export: the user's whole history as a JSON or CSV document."""

from __future__ import annotations

import asyncio

from telegram.constants import ParseMode

from bot.core.runtime import Turn, handler
from bot.services.export import (
    ExportBundle,
    ExportFormat,
    export_filename,
    gather_export,
    serialise,
)
from bot.ui.callbacks import BadCallback
from bot.ui.keyboards import button, markup
from bot.ui.texts import BUTTON_CANCEL, esc, minutes, plural

PREFIX = "exp"

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
    """/export: ask for the format."""
    await turn.reply(
        CHOOSE,
        markup(
            [
                [button("📄 JSON", PREFIX, "json"), button("📊 CSV", PREFIX, "csv")],
                [button(BUTTON_CANCEL, PREFIX, "x")],
            ]
        ),
    )


@handler
async def export_button(turn: Turn) -> None:
    """[JSON] [CSV] [Cancel] under /export; exporting only reads, so an old button is harmless."""
    action = turn.callback().action()
    if action == "x":
        await turn.answer("Cancelled")
        await turn.show("Export cancelled. Send /export any time.")
        return
    if action not in ("json", "csv"):
        raise BadCallback(f"export action {action!r}")
    fmt: ExportFormat = "json" if action == "json" else "csv"
    await turn.answer("Preparing your export…")
    await turn.show(f"⏳ Preparing your {fmt.upper()} export…")
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
    await turn.show(f"✅ Here's your export: <b>{esc(filename)}</b>.")
