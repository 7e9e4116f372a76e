"""What every part of the fake shares: JSON shapes, the bot's identity, UTF-16 lengths."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, TypeVar, cast

JSON = dict[str, Any]

BOT_ID = 7000
BOT_USERNAME = "PracticeTrackerTestBot"
BOT_FIRST_NAME = "Practice Tracker"
BOT_TOKEN = f"{BOT_ID}:" + "A" * 35
BOT_USER: JSON = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": BOT_FIRST_NAME,
    "username": BOT_USERNAME,
}


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units, the unit of Telegram entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


_T = TypeVar("_T")
_SCALARS = frozenset({str, int, float, bool, type(None)})


def json_copy(value: _T) -> _T:
    """A deep copy of a JSON-shaped tree (dict, list, scalars): several times faster than deepcopy.

    Anything else (tuples, uploads, dict subclasses) is handed to copy.deepcopy, so the result is
    always as independent of `value` as a deepcopy would be.
    """
    tree: Any = value
    kind = type(tree)
    if kind in _SCALARS:
        return value
    if kind is dict:
        copied: Any = {
            key: item if type(item) in _SCALARS else json_copy(item) for key, item in tree.items()
        }
    elif kind is list:
        copied = [item if type(item) in _SCALARS else json_copy(item) for item in tree]
    else:
        return copy.deepcopy(value)
    return cast(_T, copied)


def keyboard_texts(markup: Any) -> list[list[str]]:
    """Button texts of an inline or reply keyboard markup dict, row by row."""
    if not isinstance(markup, Mapping):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [
        [button if isinstance(button, str) else str(button.get("text", "")) for button in row]
        for row in rows
    ]
