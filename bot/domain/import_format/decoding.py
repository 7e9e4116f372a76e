"""Bytes -> text for CSV and JSON files: UTF-8 line by line, other encodings only where needed.

A file that is UTF-8 as a whole (BOM or not), or UTF-16 with a BOM, decodes as it is. A UTF-8
file with a few lines from elsewhere (a Latin-1 "é" pasted in) keeps its UTF-8 lines and decodes
only the others as Windows-1252, the usual source of such bytes, counting them for the preview:
decoding the whole file as Windows-1252 would turn every "ü" into "Ã¼". A file with no UTF-8
text at all is handed to charset-normalizer, which guesses its encoding from the byte statistics.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from bot.domain.errors import DomainError
from bot.domain.import_format.intake import UNREADABLE

FALLBACK_ENCODING: Final = "cp1252"
# Windows and Mac code pages spreadsheets are saved in, likeliest first (ties go to the first).
CODE_PAGES: Final = (
    "cp1252",
    "cp1251",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1257",
    "koi8_r",
    "mac_roman",
)
# Above this share of odd characters the text is not in any of them.
GARBLED: Final = 0.2


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, and how many of its lines were not UTF-8 (read as `fallback_encoding`)."""

    text: str
    fallback_lines: int = 0
    fallback_encoding: str | None = None


def _fallback_line(line: bytes) -> str:
    try:
        return line.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError:
        # Five bytes have no character in Windows-1252; Latin-1 reads every byte.
        return line.decode("latin-1")


def _detected(data: bytes) -> Decoded:
    """A file with no UTF-8 text: the spreadsheet code page whose text reads least garbled.

    charset-normalizer measures how garbled each decoding reads; on a small file several code
    pages tie (an "ñ" is a valid letter in most), so the likelier one in spreadsheets wins the
    tie. Encodings outside that list (Shift-JIS, Big5, ...) are left to its own detection.
    """
    best: tuple[float, str, str] | None = None
    for encoding in CODE_PAGES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        mess = mess_ratio(text, maximum_threshold=1.0)
        if best is None or mess < best[0]:
            best = (mess, encoding, text)
    if best is None or best[0] > GARBLED:
        found = from_bytes(data).best()
        if found is None:
            raise DomainError(UNREADABLE)
        best = (0.0, found.encoding, str(found))
    lines = sum(1 for line in data.splitlines() if not line.isascii())
    return Decoded(best[2], lines, best[1])


def decode_text(data: bytes) -> Decoded:
    """Decode a text file the user sent (UNREADABLE if it is binary)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            decoded = Decoded(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise DomainError(UNREADABLE) from None
    else:
        try:
            decoded = Decoded(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            decoded = _mixed(data.removeprefix(codecs.BOM_UTF8))
    # NUL never occurs in a real CSV or JSON; it marks a binary file that decoded by chance.
    if "\x00" in decoded.text:
        raise DomainError(UNREADABLE)
    return decoded


def _mixed(data: bytes) -> Decoded:
    """Decode line by line: UTF-8 where a line is UTF-8, Windows-1252 where it is not."""
    text: list[str] = []
    fallback = 0
    utf8_text = False
    for line in data.splitlines(keepends=True):
        try:
            text.append(line.decode("utf-8"))
            utf8_text |= not line.isascii()
        except UnicodeDecodeError:
            fallback += 1
            text.append(_fallback_line(line))
    if not utf8_text:
        return _detected(data)
    return Decoded("".join(text), fallback, FALLBACK_ENCODING)
