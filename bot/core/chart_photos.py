"""Send a chart as a photo: 'upload_photo' while it renders in a worker thread, then the PNG."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from telegram import InputFile, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import NetworkError, RetryAfter

from bot.core.runtime import Turn

log = logging.getLogger(__name__)

# Matplotlib is not documented as thread-safe even with one Figure per call (font caches are
# shared), so renders queue up here; on two cores running them side by side gains little.
_RENDER_LOCK = threading.Lock()


def _render(draw: Callable[[], bytes]) -> bytes:
    with _RENDER_LOCK:
        return draw()


async def send_chart(turn: Turn, draw: Callable[[], bytes], caption: str, filename: str) -> Message:
    """Show 'sending photo…', render off the event loop, and send the PNG with a caption."""
    # A render takes a few hundred milliseconds: never hold the SQLite write lock through it.
    await turn.release()
    bot = turn.context.bot
    try:
        await bot.send_chat_action(turn.chat_id, ChatAction.UPLOAD_PHOTO)
    except (NetworkError, RetryAfter) as exc:
        log.debug("no 'sending photo' status: %r", exc)  # a courtesy, not the chart
    png = await asyncio.to_thread(_render, draw)
    return await turn.send(
        lambda: bot.send_photo(
            turn.chat_id,
            InputFile(png, filename=filename),
            caption=caption,
            parse_mode=ParseMode.HTML,
        )
    )
