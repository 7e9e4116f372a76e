"""What /import accepts: the size and row caps, the file types, the formats it can read."""

from __future__ import annotations

import math
from pathlib import PurePosixPath
from typing import Final

from bot.domain.errors import DomainError

# Telegram lets bots download up to 20 MB; 10 MB is ample for 20,000 rows and bounds the work.
MAX_IMPORT_BYTES: Final = 10 * 1024 * 1024
MAX_IMPORT_ROWS: Final = 20_000

ACCEPTED_FORMATS: Final = (
    "I can import: a practice-tracker export (.json or .csv); a spreadsheet saved as CSV or "
    "XLSX whose first row names the columns (date, skill, minutes or hours, and optionally "
    "description, difficulty, confidence); a Toggl Track or Clockify detailed CSV export; or "
    "Loop Habit Tracker's CSV export (its zip, or Checkmarks.csv)."
)
UNREADABLE: Final = "I couldn't read this file. " + ACCEPTED_FORMATS
MB: Final = 1024 * 1024


def check_import_size(size: int) -> None:
    """Refuse a file over the import cap (checked on Telegram's reported size before download)."""
    if size > MAX_IMPORT_BYTES:
        raise DomainError(
            # Rounded up, so a file just over the limit never reads as "10.0 MB".
            f"This file is {math.ceil(size * 10 / MB) / 10:.1f} MB; "
            f"the limit is {MAX_IMPORT_BYTES // MB} MB. "
            "Split it into smaller files and send them one at a time."
        )


# What spreadsheet apps and Telegram clients label CSV, TSV, Excel, OpenDocument and JSON files
# (Windows labels .csv "application/vnd.ms-excel"); old .xls and .ods are claimed too, so their
# senders hear why they can't be read rather than nothing.
IMPORT_MIME_TYPES: Final = frozenset(
    {
        "text/csv",
        "text/comma-separated-values",
        "text/x-csv",
        "application/csv",
        "application/x-csv",
        "text/tab-separated-values",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/json",
        "text/json",
    }
)
IMPORT_EXTENSIONS: Final = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".json"})


def is_import_document(file_name: str | None, mime_type: str | None) -> bool:
    """Tell whether a document looks like something /import reads (by MIME type or extension)."""
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    suffix = PurePosixPath((file_name or "").strip().lower()).suffix
    return mime in IMPORT_MIME_TYPES or suffix in IMPORT_EXTENSIONS


def has_import_caption(caption: str | None) -> bool:
    """A caption like '/import', '/import@MyBot' or 'import my Toggl data' asks for an import."""
    words = (caption or "").strip().split(maxsplit=1)
    if not words:
        return False
    first = words[0].casefold().split("@", 1)[0].rstrip(":,.!")
    return first in ("/import", "import")


def too_many_rows(count: int, limit: int) -> DomainError:
    """The error for a file with more data rows than the cap."""
    return DomainError(
        f"This file has {count:,} rows; the limit is {limit:,}. "
        "Split it into smaller files and import them one at a time."
    )
