"""Pure builders of inline keyboards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui.callbacks import CANCEL_PREFIX, CallbackData, encode
from bot.ui.texts import BUTTON_CANCEL

Button = tuple[str, str]  # (label, callback_data)
Screen = tuple[str, InlineKeyboardMarkup]  # a message's text (HTML) and its keyboard


def press(label: str, data: CallbackData) -> Button:
    """A (label, callback_data) pair from a typed button."""
    return label, data.encode()


def markup(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """An InlineKeyboardMarkup from rows of (label, callback_data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def grid(buttons: Sequence[Button], columns: int) -> list[list[Button]]:
    """Lay buttons out in rows of `columns`."""
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


def cancel_button() -> Button:
    """The ✖ Cancel button that leaves any conversation."""
    return BUTTON_CANCEL, encode(CANCEL_PREFIX)


def page_buttons(
    page: int,
    pages: int,
    to_page: Callable[[int], CallbackData],
    *,
    labels: tuple[str, str] = ("◀", "▶"),
) -> list[Button]:
    """[◀] [▶] for a paged list (empty on a single page); `to_page` makes a page's button."""
    earlier, later = labels
    row: list[Button] = []
    if page > 0:
        row.append(press(earlier, to_page(page - 1)))
    if page < pages - 1:
        row.append(press(later, to_page(page + 1)))
    return row
