"""The callback_data codec: "prefix:field:..." within Telegram's 64-byte limit.

callback_data comes back from the client untrusted: decoding never trusts a field's type, and
handlers re-check ownership of every id they receive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"
# The ✖ Cancel button that leaves any conversation; its data is the prefix alone.
CANCEL_PREFIX = "cx"
MAX_ID: Final = 2**53
MAX_DIGITS: Final = 16


class BadCallback(ValueError):
    """callback_data that this bot did not produce (forged, truncated or from an old version)."""


def encode(prefix: str, *fields: str | int) -> str:
    """Join a prefix and fields; raises ValueError if the result would not fit Telegram's limit."""
    parts = [prefix, *(str(f) for f in fields)]
    if any(SEPARATOR in p for p in parts):
        raise ValueError(f"callback field contains {SEPARATOR!r}: {parts!r}")
    data = SEPARATOR.join(parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback_data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


@dataclass(frozen=True, slots=True)
class Callback:
    """A decoded callback: its prefix and the fields after it."""

    prefix: str
    fields: tuple[str, ...]

    def action(self) -> str:
        """The first field (the action name), or BadCallback."""
        return self.text(0)

    def text(self, index: int) -> str:
        """Field `index` as text, or BadCallback if missing."""
        if index >= len(self.fields):
            raise BadCallback(f"missing field {index}")
        return self.fields[index]

    def integer(self, index: int, *, low: int = 0, high: int = MAX_ID) -> int:
        """Field `index` as an int within [low, high], or BadCallback."""
        value = read_digits(self.text(index))
        if not low <= value <= high:
            raise BadCallback(f"number {value!r} outside [{low}, {high}]")
        return value


def read_digits(text: str) -> int:
    """ASCII digits only: no sign, no spaces, no other scripts' digits; BadCallback otherwise."""
    if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
        raise BadCallback(f"not a number: {text[:20]!r}")
    return int(text)


def decode(data: str | None) -> Callback:
    """Split callback_data into prefix and fields; BadCallback for anything malformed."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise BadCallback("empty or oversized callback data")
    prefix, *fields = data.split(SEPARATOR)
    if not prefix:
        raise BadCallback("no prefix")
    return Callback(prefix, tuple(fields))
