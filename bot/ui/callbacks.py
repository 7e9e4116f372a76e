"""The callback_data codec: "prefix:field:..." within Telegram's 64-byte limit.

callback_data comes back from the client untrusted: decoding never trusts a field's type, and
handlers re-check ownership of every id they receive.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"
# The ✖ Cancel button that leaves any conversation; its data is the prefix alone.
CANCEL_PREFIX = "cx"


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

    def integer(self, index: int, *, low: int = 0, high: int = 2**53) -> int:
        """Field `index` as an int within [low, high], or BadCallback."""
        raw = self.text(index)
        if not raw.isdigit() or len(raw) > 16:
            raise BadCallback(f"field {index} is not a number")
        value = int(raw)
        if not low <= value <= high:
            raise BadCallback(f"field {index} out of range")
        return value


def decode(data: str | None) -> Callback:
    """Split callback_data into prefix and fields; BadCallback for anything malformed."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise BadCallback("empty or oversized callback data")
    prefix, *fields = data.split(SEPARATOR)
    if not prefix:
        raise BadCallback("no prefix")
    return Callback(prefix, tuple(fields))
