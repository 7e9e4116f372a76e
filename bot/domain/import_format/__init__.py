"""Reading practice history from files people send: our exports, spreadsheets and Toggl CSVs.

Accepted (the format is told by the content; the file name only sharpens the error message):
- our JSON export, version 1: sessions, skills, evidence and user settings;
- our CSV export (the leading-quote formula neutralisation is undone);
- any CSV (comma, semicolon or tab; UTF-8 with or without BOM, UTF-16 with BOM, else cp1252)
  or XLSX (first sheet) whose header row names the columns in common words;
- Toggl Track's detailed CSV export (Project -> skill, Start date -> date, Duration hh:mm:ss).

Decisions:
- Every session passes the same rules as /log (shared validators); a row that breaks one becomes
  a :class:`RowError` with every reason found, and the rest of the file still imports.
- A spreadsheet row with no description gets a generated one ("Imported practice: 45 min of
  React"), so Toggl entries without a description still import. A description that is present
  but too short is an error, as in /log. Our JSON export never gets generated text.
- Numeric dates are day first (20/11/2026, 20.11.2026) like the rest of the bot. A file is read
  month first (11/20/2026) only when some date in it can only be month first (second number over
  12) and none can only be day first; a date whose first number is over 12 is always day first.
- Row numbers are the ones a spreadsheet shows (header = row 1, blank rows counted). In the JSON
  export, a session's row number is its position in "practice_logs", from 1; a problem with an
  evidence item is numbered by its position in "evidence" and its reason says "Evidence item N".
- Caps: 10 MB per file, 20,000 data rows (and 5 lines per allowed row, so a file of blank lines
  is refused quickly); XLSX: 50 MB unpacked, 1,000 zip entries, compression ratio 100 per big part.
- Seconds (Toggl's hh:mm:ss, Excel time cells) round to the nearest minute, halves up.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from bot.domain.errors import DomainError
from bot.domain.import_format.csv_sheets import read_csv
from bot.domain.import_format.headers import HEADER_SEARCH_ROWS
from bot.domain.import_format.intake import (
    ACCEPTED_FORMATS,
    IMPORT_EXTENSIONS,
    IMPORT_MIME_TYPES,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    UNREADABLE,
    check_import_size,
    is_import_document,
)
from bot.domain.import_format.json_export import read_json
from bot.domain.import_format.model import (
    DedupeKey,
    ImportEvidence,
    ImportFile,
    ImportKind,
    ImportRow,
    ImportSkill,
    RowError,
    dedupe_key,
    session_dedupe_key,
)
from bot.domain.import_format.xlsx import (
    CORRUPT_XLSX,
    MAX_XLSX_COMPRESSION_RATIO,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    read_xlsx,
)

__all__ = [
    "ACCEPTED_FORMATS",
    "HEADER_SEARCH_ROWS",
    "IMPORT_EXTENSIONS",
    "IMPORT_MIME_TYPES",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_XLSX_COMPRESSION_RATIO",
    "MAX_XLSX_ENTRIES",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "DedupeKey",
    "ImportEvidence",
    "ImportFile",
    "ImportKind",
    "ImportRow",
    "ImportSkill",
    "RowError",
    "check_import_size",
    "dedupe_key",
    "is_import_document",
    "read_import",
    "session_dedupe_key",
]


def read_import(
    filename: str, data: bytes, today: date, *, max_rows: int = MAX_IMPORT_ROWS
) -> ImportFile:
    """Read a file the user sent: DomainError if it is unusable as a whole, RowError per bad row."""
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
        return read_json(text, today, max_rows)
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
