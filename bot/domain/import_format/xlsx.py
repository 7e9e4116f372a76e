"""Reading an XLSX workbook's first sheet: zip-bomb caps first, then openpyxl on defusedxml."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Final

import openpyxl
from defusedxml import DefusedXmlException

from bot.domain.errors import DomainError
from bot.domain.import_format.intake import ACCEPTED_FORMATS, MB, UNREADABLE
from bot.domain.import_format.model import NO_CHOICES, ImportFile, SheetChoices
from bot.domain.import_format.tables import collect_rows, read_table

# An XLSX is a zip of XML: these caps are checked on the zip directory before openpyxl opens it.
MAX_XLSX_UNCOMPRESSED_BYTES: Final = 50 * 1024 * 1024
MAX_XLSX_ENTRIES: Final = 1000
MAX_XLSX_COMPRESSION_RATIO: Final = 100
# Small parts compress extremely well without being dangerous; only big ones are ratio-checked.
_RATIO_CHECK_MIN_BYTES: Final = 1024 * 1024
CORRUPT_XLSX: Final = (
    "This Excel file is damaged or not really an .xlsx, so I couldn't open it. "
    "Open it in Excel and save it again as .xlsx or CSV. " + ACCEPTED_FORMATS
)


def zip_entries(data: bytes) -> list[zipfile.ZipInfo]:
    """A zip's entries; DomainError if it is damaged or would unpack to far too much (zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise DomainError(CORRUPT_XLSX) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise DomainError(
            f"This file holds {len(entries):,} parts inside; a spreadsheet has far fewer, "
            "so I won't open it. Save it as CSV and send that instead."
        )
    # Python's zipfile stops inflating at an entry's declared size, so checking the declared
    # sizes bounds the real work openpyxl can be made to do.
    total = sum(entry.file_size for entry in entries)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise DomainError(
            f"This spreadsheet unpacks to {total / MB:,.0f} MB; the limit is "
            f"{MAX_XLSX_UNCOMPRESSED_BYTES // MB} MB. Save fewer rows, or save it as CSV."
        )
    for entry in entries:
        if (
            entry.file_size > _RATIO_CHECK_MIN_BYTES
            and entry.file_size > MAX_XLSX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            raise DomainError(
                "This file is packed far more tightly than a real spreadsheet (it looks like a "
                "zip bomb), so I won't open it. Save it as CSV and send that instead."
            )
    return entries


def _check_zip(data: bytes) -> None:
    """Refuse a zip that is damaged, not a workbook, or would unpack to far too much (zip bomb)."""
    names = {entry.filename for entry in zip_entries(data)}
    if "content.xml" in names and "mimetype" in names:
        raise DomainError(
            "This looks like an OpenDocument spreadsheet (.ods), which I can't read. "
            "Save it as .xlsx or CSV and send that."
        )
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise DomainError(UNREADABLE)


def read_xlsx(
    data: bytes, today: date, max_rows: int, choices: SheetChoices = NO_CHOICES
) -> ImportFile:
    """Read the first sheet of an XLSX workbook into sessions and row errors."""
    _check_zip(data)
    if not openpyxl.DEFUSEDXML:
        # Without defusedxml openpyxl parses with the stdlib, open to entity-expansion bombs.
        raise RuntimeError("defusedxml must be installed to read XLSX files safely")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise _xlsx_error(exc) from None
    try:
        if not workbook.worksheets:
            raise DomainError("This workbook has no worksheet to import.")
        epoch = workbook.epoch
        kept, total = collect_rows(workbook.worksheets[0].iter_rows(values_only=True), max_rows)
    except DomainError:
        raise
    except Exception as exc:  # a damaged sheet fails only when its rows are read
        raise _xlsx_error(exc) from None
    finally:
        workbook.close()
    return read_table(
        kept,
        total,
        source="xlsx",
        today=today,
        max_rows=max_rows,
        excel_epoch=epoch,
        choices=choices,
    )


def _xlsx_error(exc: BaseException) -> DomainError:
    """Say why openpyxl failed: XML with entity declarations (refused), or a damaged file."""
    # openpyxl wraps parser errors in its own ValueError, so look down the chain of causes.
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return DomainError(_UNSAFE_XML)
        cause = cause.__cause__ or cause.__context__
    return DomainError(CORRUPT_XLSX)


_UNSAFE_XML: Final = (
    "This spreadsheet contains XML features (entity definitions) that real spreadsheets don't "
    "use, so I won't open it. Save it again from Excel, or as CSV."
)
