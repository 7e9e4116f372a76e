"""/import: a file in, a preview, then every new session saved in one transaction.

The conversation keeps only the file's id and name, the user's column mapping and date order,
and the columns' names and first values (for the mapping screens); the file is downloaded and
read again for each new preview and on confirm, so a 20,000-row file never sits in the
conversations table. No database transaction is held while Telegram is asked for anything: on
SQLite an open transaction holds the write lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, Final

from telegram import Document, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import filters

from bot.core.runtime import NO_PREVIEW, Turn, handler
from bot.core.steps import At, StepTable
from bot.domain.dates import DateOrder
from bot.domain.errors import DomainError
from bot.domain.evidence import is_image_document
from bot.domain.import_format import (
    ImportFile,
    check_import_size,
    has_import_caption,
    is_import_document,
    read_import,
)
from bot.domain.import_format.model import ColumnField, ColumnInfo, SheetChoices
from bot.services.bulk_import import plan_import, run_import
from bot.services.timezone import date_order
from bot.ui import callbacks as imp
from bot.ui import imports as screens
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.keyboards import cancel_button, markup
from bot.ui.texts import esc, plural, unshown
from storage.models import Conversation

log = logging.getLogger(__name__)

FLOW_NAME = "import"
PREFIX = imp.IMPORT
# Below these a file imports in a blink, and progress edits would only spend the chat's rate.
PROGRESS_MIN_BYTES = 16 * 1024
PROGRESS_MIN_ROWS = 300
TOO_BIG_FOR_TELEGRAM = (
    "Telegram only lets bots download files up to 20 MB, and this one is bigger. "
    "Split it into smaller files and send them one at a time."
)


def _is_image(document: Document) -> bool:
    mime = (document.mime_type or "").casefold()
    return mime.startswith("image/") or is_image_document(document.mime_type, document.file_name)


class _NonImageDocument(filters.MessageFilter):
    """Documents that aren't images (those are evidence screenshots, handled elsewhere)."""

    def filter(self, message: Message) -> bool:
        return message.document is not None and not _is_image(message.document)


NON_IMAGE_DOCUMENT = _NonImageDocument(name="NonImageDocument")


def _cancel_keyboard() -> InlineKeyboardMarkup:
    return markup([[cancel_button()]])


async def _edit(
    turn: Turn, message_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> int:
    """Edit one of our messages; if it is gone, say it in a new one. Returns the message id."""
    try:
        await turn.send(
            lambda: turn.context.bot.edit_message_text(
                text,
                chat_id=turn.chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                link_preview_options=NO_PREVIEW,
            ),
            resend_safe=True,
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return message_id
        log.info("could not edit message %s (%s); sending a new one", message_id, exc.message)
        return (await turn.reply(text, keyboard)).message_id
    return message_id


async def _progress(turn: Turn, message_id: int, text: str) -> None:
    """Show a progress step: cosmetic, so a Bot API failure must not stop the import."""
    try:
        await _edit(turn, message_id, text)
    except (NetworkError, RetryAfter) as exc:
        log.warning("could not show import progress: %r", exc)


async def _download(turn: Turn, file_id: str) -> bytes:
    """The file's bytes from Telegram, refusing files over the cap before fetching them."""
    await turn.release()
    try:
        tg_file = await turn.context.bot.get_file(file_id)
    except BadRequest as exc:
        if "too big" in exc.message.lower():
            raise DomainError(TOO_BIG_FOR_TELEGRAM) from None
        raise
    # Telegram may leave file_size out of the message; getFile reports it before any bytes move.
    check_import_size(tg_file.file_size or 0)
    return bytes(await tg_file.download_as_bytearray())


def _date_order(data: Mapping[str, Any], setting: DateOrder | None) -> DateOrder | None:
    """The order the user answered in this preview, else their setting."""
    answered = data.get("order")
    for order in screens.ORDER_BY_CODE.values():
        if answered == order:
            return order
    return setting


async def _choices(turn: Turn, data: Mapping[str, Any]) -> SheetChoices:
    """The user's choices kept in the conversation (checked again: it is stored data)."""
    columns = data.get("columns")
    mapping: dict[int, ColumnField] | None = None
    if isinstance(columns, dict):
        mapping = {
            int(key): field
            for key, field in columns.items()
            if isinstance(key, str) and key.isdigit() and field in screens.FIELD_LABELS
        }
    minutes = data.get("check_minutes")
    # Only an order the user chose settles a file of ambiguous dates; one inferred from the time
    # zone is a guess, so the preview asks instead (as /log does).
    order, chosen = await date_order(turn.uow, turn.user_id)
    return SheetChoices(
        columns=mapping,
        order=_date_order(data, setting=order if chosen else None),
        check_minutes=minutes if isinstance(minutes, int) else None,
    )


def _read_bytes(name: str, data: bytes, turn: Turn, choices: SheetChoices) -> ImportFile:
    return read_import(name, data, turn.today, now=turn.now, choices=choices)


async def _read(turn: Turn, file_id: str, file_name: str, choices: SheetChoices) -> ImportFile:
    data = await _download(turn, file_id)
    # Parsing 20,000 rows takes a moment: off the event loop, so other chats aren't held up.
    return await asyncio.to_thread(_read_bytes, file_name, data, turn, choices)


async def _refuse(turn: Turn, text: str, *, status_id: int | None = None) -> None:
    """Say why a file can't be imported; inside /import, keep waiting for another file."""
    in_flow = turn.conversation is not None
    keyboard = _cancel_keyboard() if in_flow else None
    text = f"{text}\n\n{screens.RETRY}" if in_flow else text
    if status_id is None:
        message_id = (await turn.reply(text, keyboard)).message_id
    else:
        message_id = await _edit(turn, status_id, text, keyboard)
    if in_flow:
        # A new file replaces the previous one: an older preview's Import button is now stale.
        await turn.advance("file", message_id=message_id)


async def preview_document(turn: Turn, document: Document) -> None:
    """Check the size, download and read the file, and show what importing it would do."""
    name = document.file_name or "file"
    try:
        check_import_size(document.file_size or 0)
    except DomainError as exc:
        await _refuse(turn, esc(exc))
        return
    status = await turn.reply(f"⏳ Reading {screens.file_label(name)}…")
    await show_preview(turn, {"file_id": document.file_id, "file_name": name}, status.message_id)


async def show_preview(turn: Turn, data: dict[str, Any], message_id: int) -> None:
    """Read the file with the user's choices so far and show the preview in that message."""
    file_id, name = data["file_id"], data["file_name"]
    try:
        imported = await _read(turn, file_id, name, await _choices(turn, data))
        plan = await plan_import(turn.uow, turn.user_id, imported)
    except DomainError as exc:
        await turn.uow.rollback()
        await _refuse(turn, esc(exc), status_id=message_id)
        return
    # The plan only read: end that transaction before the edits below talk to Telegram.
    await turn.release()
    text = screens.preview_text(name, plan)
    keyboard = screens.preview_keyboard(plan)
    if keyboard is None:
        await _edit(turn, message_id, text)
        if turn.conversation is not None:
            await turn.finish()
        return
    message_id = await _edit(turn, message_id, text, keyboard)
    columns = [
        [column.index, column.header, column.field, list(column.samples), column.by_content]
        for column in imported.columns[: imp.MAX_MAPPED_COLUMNS]
    ]
    state = {**data, "cols": columns, "ready": screens.can_import(plan)}
    await turn.begin(FLOW_NAME, "confirm", state, message_id=message_id)


def _stored_columns(conv: Conversation) -> list[ColumnInfo]:
    """The sheet's columns as the last preview read them (kept in the conversation)."""
    stored = conv.data.get("cols")
    if not isinstance(stored, list):
        raise BadCallback("import conversation without columns")
    return [
        ColumnInfo(
            int(index),
            str(header),
            field if field in screens.FIELD_LABELS else None,
            tuple(str(sample) for sample in samples),
            bool(by_content),
        )
        for index, header, field, samples, by_content in stored
    ]


async def confirm_import(turn: Turn, conv: Conversation) -> None:
    """Import the previewed file: download and read it again, then write it in one transaction."""
    file_id, name = conv.data.get("file_id"), conv.data.get("file_name")
    if not isinstance(file_id, str) or not isinstance(name, str) or conv.message_id is None:
        raise BadCallback("import conversation without a file")
    if conv.data.get("ready") is False:
        await turn.answer("Choose the missing column or the date order first.", alert=True)
        return
    status_id = conv.message_id
    choices = await _choices(turn, conv.data)
    # Closing the conversation first means a second tap finds nothing to confirm.
    await turn.finish()
    await turn.answer("Importing…")
    await _progress(turn, status_id, screens.progress_text(name, 0, "Downloading the file…"))
    try:
        data = await _download(turn, file_id)
        # Each step is a message edit (Telegram allows about one a second per chat).
        if len(data) >= PROGRESS_MIN_BYTES:
            await _progress(turn, status_id, screens.progress_text(name, 30, "Reading the rows…"))
        imported = await asyncio.to_thread(_read_bytes, name, data, turn, choices)
        if len(imported.rows) >= PROGRESS_MIN_ROWS:
            step = f"Checking and saving {plural(len(imported.rows), 'session')}…"
            await _progress(turn, status_id, screens.progress_text(name, 60, step))
        result = await run_import(turn.uow, turn.user_id, imported, turn.now)
        done = f"📥 Imported {plural(result.sessions, 'session')} from {screens.file_label(name)}"
        turn.if_unshown(unshown(done, "the summary", "/history has them"))
    except DomainError as exc:
        await turn.uow.rollback()
        await _edit(
            turn, status_id, f"{esc(exc)}\n\nNothing was imported. Send /import to try again."
        )
        return
    await _edit(turn, status_id, screens.summary_text(name, result))


class ImportFlow:
    """The /import conversation: waiting for a file ("file"), then for the go-ahead ("confirm")."""

    name = FLOW_NAME
    prefix = PREFIX
    title = "the import"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """A file to preview; anything else gets told what is expected."""
        message = turn.message
        if message is not None and message.document is not None:
            await preview_document(turn, message.document)
        elif message is not None and message.photo:
            await turn.reply(screens.PHOTO_INSTEAD, _cancel_keyboard())
        elif conv.state == "confirm":
            await turn.reply(screens.CONFIRM_WAITING)
        else:
            await turn.reply(screens.WAITING, _cancel_keyboard())

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """[Import N sessions] on the preview; refused before a file has been previewed."""
        await FLOW_STEPS.run(At(turn, conv), imp.IMPORT_BUTTONS.parse(callback), conv.state)


async def _go(at: At, pressed: imp.ImportGo) -> None:
    """[Import N sessions]: import the previewed file."""
    await confirm_import(at.turn, at.conv)


async def _columns(at: At, pressed: imp.ImportColumns) -> None:
    """[Change columns]: every column and how it is read."""
    text, keyboard = screens.columns_screen(_stored_columns(at.conv))
    await at.turn.show(text, keyboard)


def _column(conv: Conversation, index: int) -> ColumnInfo:
    for column in _stored_columns(conv):
        if column.index == index:
            return column
    raise BadCallback(f"no column {index} in this file")


async def _pick_column(at: At, pressed: imp.ImportColumn) -> None:
    """A column: what to read it as."""
    text, keyboard = screens.column_screen(_column(at.conv, pressed.index))
    await at.turn.show(text, keyboard)


def _duration(field: ColumnField | None) -> bool:
    return field in ("minutes", "hours")


async def _assign(at: At, pressed: imp.ImportAssign) -> None:
    """Read a column as a field (the column that had it is ignored now), then preview again."""
    target = _column(at.conv, pressed.index)
    field = screens.FIELD_BY_CODE[pressed.field]
    mapping: dict[int, ColumnField] = {}
    for column in _stored_columns(at.conv):
        taken = field is not None and (
            column.field == field or (_duration(field) and _duration(column.field))
        )
        if column.field is not None and column.index != target.index and not taken:
            mapping[column.index] = column.field
    if field is not None:
        mapping[target.index] = field
    await _again(at, columns={str(index): value for index, value in mapping.items()})


async def _order(at: At, pressed: imp.ImportOrder) -> None:
    """[Day first] / [Month first]: read the numeric dates that way, then preview again."""
    await _again(at, order=screens.ORDER_BY_CODE[pressed.order])


async def _check_minutes(at: At, pressed: imp.ImportCheckMinutes) -> None:
    """[30 min]: what each day done in a habit tracker counts as, then preview again."""
    await _again(at, check_minutes=pressed.minutes)


async def _back(at: At, pressed: imp.ImportBack) -> None:
    """« Back: the preview again, as it was."""
    await _again(at)


async def _again(at: At, **changes: Any) -> None:
    """Show the preview again in the same message, with the user's new choices."""
    await at.turn.answer("Reading the file again…")
    message_id = at.conv.message_id
    if message_id is None:
        raise BadCallback("import conversation without a message")
    await show_preview(at.turn, {**at.conv.data, **changes}, message_id)


FLOW_STEPS: Final = StepTable[At](
    states={"confirm": (_go, _columns, _pick_column, _assign, _order, _check_minutes, _back)}
)


@handler
async def import_command(turn: Turn) -> None:
    """/import: ask for the file."""
    message = await turn.reply(screens.PROMPT, _cancel_keyboard())
    await turn.begin(FLOW_NAME, "file", message_id=message.message_id)


@handler
async def document_message(turn: Turn) -> None:
    """A non-image document outside any conversation: import it if the caption says so."""
    message = turn.message
    if message is None or message.document is None:
        return
    document = message.document
    if has_import_caption(message.caption):
        await preview_document(turn, document)
        return
    name = esc(screens.shorten(document.file_name or "this file", screens.MAX_FILE_NAME))
    hint = (
        screens.OUTSIDE_HINT
        if is_import_document(document.file_name, document.mime_type)
        else (screens.NOT_ACCEPTED)
    )
    await turn.reply(hint.format(name=name))
