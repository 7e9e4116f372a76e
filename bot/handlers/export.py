"""/export: the user's whole history as a JSON or CSV document."""

from __future__ import annotations

import asyncio
import logging
from typing import Final

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
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

log = logging.getLogger(__name__)
PREFIX = exp.EXPORT

CHOOSE = (
    "📦 <b>Export your practice history</b>\n\n"
    "<b>JSON</b> — everything: skills, sessions, evidence and settings. "
    "Send it back with /import to restore it.\n"
    "<b>CSV</b> — one row per session, for Excel, Google Sheets or Numbers."
)
UPLOAD_FAILED = (
    "❌ I couldn't send your {fmt} export: Telegram didn't take the file this time. "
    "Nothing was changed. Tap 🔁 Retry to try again."
)
UPLOAD_UNSURE = (
    "⌛ Sending your {fmt} export took too long. If the file didn't arrive above, tap 🔁 Retry."
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


def retry_keyboard(fmt: ExportFormat) -> InlineKeyboardMarkup:
    """🔁 Retry (the same format) and ✖ Cancel under a failed upload."""
    return markup(
        [[press("🔁 Retry", exp.ExportRetry(fmt)), press(BUTTON_CANCEL, exp.ExportCancel())]]
    )


async def _export(turn: Turn, pressed: exp.ExportAs | exp.ExportRetry) -> None:
    """[JSON], [CSV] or [Retry]."""
    await _send_export(turn, pressed.fmt)


async def _status(
    turn: Turn, progress: int, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Turn the "Preparing" message into the outcome, whether a button or /export made it."""
    if turn.query is not None:
        await turn.show(text, keyboard)
        return
    await turn.send(
        lambda: turn.context.bot.edit_message_text(
            text, turn.chat_id, progress, parse_mode=ParseMode.HTML, reply_markup=keyboard
        ),
        resend_safe=True,
    )


async def _send_export(turn: Turn, fmt: ExportFormat) -> None:
    """Gather the history, serialise it off the event loop, and send it."""
    await turn.answer("Preparing your export…")
    progress = await turn.show(f"⏳ Preparing your {fmt.upper()} export…")
    bundle = await gather_export(turn.uow, turn.user_id, turn.now)
    # End the read before talking to Telegram: on SQLite it holds the database's write lock.
    await turn.release()
    data = await asyncio.to_thread(serialise, bundle, fmt)
    filename = export_filename(fmt, turn.today)
    try:
        await turn.send(
            lambda: turn.context.bot.send_document(
                turn.chat_id,
                document=data,
                filename=filename,
                caption=esc(export_caption(bundle, fmt)),
                parse_mode=ParseMode.HTML,
            )
        )
    except TimedOut:
        # Telegram may still have taken the file: say so rather than claim it failed.
        log.warning("export upload timed out; it may have arrived")
        await _status(turn, progress, UPLOAD_UNSURE.format(fmt=fmt.upper()), retry_keyboard(fmt))
        return
    except (NetworkError, RetryAfter) as exc:
        log.warning("export upload failed: %r", exc)
        await _status(turn, progress, UPLOAD_FAILED.format(fmt=fmt.upper()), retry_keyboard(fmt))
        return
    await _status(turn, progress, f"✅ Here's your export: <b>{esc(filename)}</b>.")


# [JSON] [CSV] [Cancel] under /export; exporting only reads, so an old button is harmless.
BUTTON_STEPS: Final = StepTable[Turn](_export, _cancel)
export_button: Final = button_handler(exp.EXPORT_BUTTONS, BUTTON_STEPS)
