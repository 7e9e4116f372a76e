"""read_import: tell a file's format from its bytes (not its name) and hand it to that reader."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePosixPath

from bot.domain.errors import DomainError
from bot.domain.import_format.csv_sheets import read_csv
from bot.domain.import_format.intake import (
    ACCEPTED_FORMATS,
    MAX_IMPORT_ROWS,
    UNREADABLE,
    check_import_size,
)
from bot.domain.import_format.json_export import read_json
from bot.domain.import_format.model import ImportFile
from bot.domain.import_format.xlsx import CORRUPT_XLSX, read_xlsx


def read_import(
    filename: str,
    data: bytes,
    today: date,
    *,
    max_rows: int = MAX_IMPORT_ROWS,
    now: datetime | None = None,
) -> ImportFile:
    """Read a file the user sent: DomainError if it is unusable as a whole, RowError per bad row.

    `now` lets a restore judge dates in the time zone its file carries (see json_export).
    """
    check_import_size(len(data))
    if not data.strip():
        raise DomainError("This file is empty. " + ACCEPTED_FORMATS)
    suffix = PurePosixPath(filename.lower()).suffix
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, today, max_rows)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(
            "This is an old-style Excel file (.xls), which I can't read. In Excel choose "
            "Save As and pick Excel Workbook (.xlsx) or CSV, then send that file."
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise DomainError(CORRUPT_XLSX)
    text = _decode(data)
    if suffix == ".json" or text.lstrip().startswith(("{", "[")):
        return read_json(text, today, max_rows, now)
    return read_csv(text, today, max_rows)


def _decode(data: bytes) -> str:
    """Decode text: UTF-16 with a BOM (Excel "Unicode text"), UTF-8 (BOM optional), else cp1252."""
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    # NUL never occurs in a real CSV or JSON; it marks a binary file that cp1252 happened to decode.
    if text is None or "\x00" in text:
        raise DomainError(UNREADABLE)
    return text
