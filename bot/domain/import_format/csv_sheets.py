"""Reading a CSV sheet: pick the delimiter (comma, semicolon, tab, or a "sep=" line), read rows."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.domain.errors import DomainError
from bot.domain.import_format.headers import HEADER_SEARCH_ROWS
from bot.domain.import_format.model import NO_CHOICES, ImportFile, SheetChoices
from bot.domain.import_format.tables import collect_rows, read_table


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter (comma, semicolon, tab) that splits the first lines into most cells."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:HEADER_SEARCH_ROWS]
    best, best_cells = ",", 1
    for delimiter in (",", ";", "\t"):
        cells = max(
            (len(next(csv.reader([line], delimiter=delimiter))) for line in lines), default=1
        )
        if cells > best_cells:
            best, best_cells = delimiter, cells
    return best


def read_csv(
    text: str, today: date, max_rows: int, choices: SheetChoices = NO_CHOICES
) -> ImportFile:
    """Read a decoded CSV (ours, Toggl's or any spreadsheet's) into sessions and row errors."""
    first_line, _, rest = text.partition("\n")
    hint = first_line.strip().casefold()
    # Excel writes and honours a "sep=;" first line, and does not show it as a row.
    if hint.startswith("sep=") and len(hint) == 5:
        delimiter, text = hint[4], rest
    else:
        delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        kept, total = collect_rows(reader, max_rows)
    except csv.Error:
        raise DomainError(
            "This CSV file is damaged (an unclosed quote or a cell far too long), so I couldn't "
            "read it. Save it again from your spreadsheet app and send it."
        ) from None
    return read_table(kept, total, source="csv", today=today, max_rows=max_rows, choices=choices)
