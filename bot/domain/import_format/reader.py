"""read_import: tell a file's format from its bytes (not its name) and hand it to that reader."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import PurePosixPath

from bot.domain.errors import DomainError
from bot.domain.import_format.csv_sheets import read_csv
from bot.domain.import_format.decoding import decode_text
from bot.domain.import_format.intake import (
    ACCEPTED_FORMATS,
    MAX_IMPORT_ROWS,
    check_import_size,
)
from bot.domain.import_format.json_export import read_json
from bot.domain.import_format.loop_habits import (
    is_loop_archive,
    is_loop_csv,
    read_loop_archive,
    read_loop_csv,
)
from bot.domain.import_format.model import NO_CHOICES, ImportFile, SheetChoices
from bot.domain.import_format.xlsx import CORRUPT_XLSX, read_xlsx


def read_import(
    filename: str,
    data: bytes,
    today: date,
    *,
    max_rows: int = MAX_IMPORT_ROWS,
    now: datetime | None = None,
    choices: SheetChoices = NO_CHOICES,
) -> ImportFile:
    """Read a file the user sent: DomainError if it is unusable as a whole, RowError per bad row.

    `now` lets a restore judge dates in the time zone its file carries (see json_export);
    `choices` are the user's column mapping and date order for a sheet.
    """
    check_import_size(len(data))
    if not data.strip():
        raise DomainError("This file is empty. " + ACCEPTED_FORMATS)
    suffix = PurePosixPath(filename.lower()).suffix
    if data.startswith(b"PK\x03\x04"):
        if is_loop_archive(data):
            return read_loop_archive(data, today, max_rows, choices.check_minutes)
        return read_xlsx(data, today, max_rows, choices)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(
            "This is an old-style Excel file (.xls), which I can't read. In Excel choose "
            "Save As and pick Excel Workbook (.xlsx) or CSV, then send that file."
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise DomainError(CORRUPT_XLSX)
    decoded = decode_text(data)
    text = decoded.text
    if suffix == ".json" or text.lstrip().startswith(("{", "[")):
        imported = read_json(text, today, max_rows, now)
    elif is_loop_csv(text):
        imported = read_loop_csv(text, today, max_rows, minutes=choices.check_minutes)
    else:
        imported = read_csv(text, today, max_rows, choices)
    if decoded.fallback_lines:
        imported = replace(
            imported,
            fallback_lines=decoded.fallback_lines,
            fallback_encoding=decoded.fallback_encoding,
        )
    return imported
