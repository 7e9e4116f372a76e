"""Rows of a CSV or XLSX sheet -> sessions: our own CSV export, Toggl's detailed CSV, any sheet.

Which of these a CSV is comes from its header alone. Toggl needs nothing else of its own: its
Project and Start date columns are in the header vocabulary (headers.py), cells.read_duration
reads its hh:mm:ss, and read_table takes its bare numbers as hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Final, Literal

from bot.domain.errors import DomainError
from bot.domain.export_format import CSV_COLUMNS, unneutralise_cell
from bot.domain.import_format.cells import Rules, infer_month_first, is_blank
from bot.domain.import_format.headers import HEADER_SEARCH_ROWS, Header, find_header, header_name
from bot.domain.import_format.intake import too_many_rows
from bot.domain.import_format.model import ImportFile, ImportKind, ImportRow, RowError
from bot.domain.import_format.rows import RawRow, build_row

_TOGGL_COLUMNS: Final = frozenset({"project", "description", "start date", "duration"})
_TOGGL_MARKERS: Final = frozenset({"user", "email", "start time", "end date", "end time"})


def collect_rows(
    rows: Iterable[Sequence[object]], max_rows: int
) -> tuple[list[tuple[int, Sequence[object]]], int]:
    """Keep the non-blank rows that can matter, numbered as a spreadsheet shows them; count all."""
    kept: list[tuple[int, Sequence[object]]] = []
    count = 0
    keep_limit = max_rows + HEADER_SEARCH_ROWS
    # Counting stops somewhere: millions of blank lines would otherwise cost seconds to skip.
    line_limit = 5 * max_rows + 1000
    for number, cells in enumerate(rows, start=1):
        if number > line_limit:
            raise DomainError(
                f"This file has more than {line_limit:,} lines; the limit is {max_rows:,} rows. "
                "Split it into smaller files and import them one at a time."
            )
        if all(is_blank(cell) for cell in cells):
            continue
        count += 1
        # Past the limit only the count matters (for the message), so stop storing rows.
        if count <= keep_limit:
            kept.append((number, cells))
    return kept, count


def _table_kind(header: Header, source: Literal["csv", "xlsx"]) -> ImportKind:
    if source == "xlsx":
        return "spreadsheet-xlsx"
    if header.names == tuple(header_name(column)[0] for column in CSV_COLUMNS):
        return "practice-tracker-csv"
    names = set(header.names)
    if names >= _TOGGL_COLUMNS and names & _TOGGL_MARKERS:
        return "toggl-csv"
    return "spreadsheet-csv"


def read_table(
    kept: Sequence[tuple[int, Sequence[object]]],
    total: int,
    *,
    source: Literal["csv", "xlsx"],
    today: date,
    max_rows: int,
    excel_epoch: datetime | None = None,
) -> ImportFile:
    """Turn the rows of a CSV or XLSX sheet into sessions and row errors."""
    header, position = find_header(kept)
    data_count = total - position - 1
    if data_count > max_rows:
        raise too_many_rows(data_count, max_rows)
    kind = _table_kind(header, source)
    ours = kind == "practice-tracker-csv"

    def cell(cells: Sequence[object], key: str) -> object:
        index = header.columns.get(key)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return unneutralise_cell(value) if ours and isinstance(value, str) else value

    raws = [
        RawRow(
            number=number,
            date=cell(cells, "date"),
            skill=cell(cells, "skill"),
            duration=cell(cells, "duration"),
            description=cell(cells, "description"),
            difficulty=cell(cells, "difficulty"),
            confidence=cell(cells, "confidence"),
            created_at=cell(cells, "created_at") if ours else None,
        )
        for number, cells in kept[position + 1 :]
    ]
    rules = Rules(
        today=today,
        month_first=infer_month_first(raw.date for raw in raws),
        # Toggl writes hh:mm:ss, or decimal hours when the user picked that duration format.
        hours=header.hours or kind == "toggl-csv",
        excel_epoch=excel_epoch,
    )
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for raw in raws:
        built = build_row(raw, rules)
        if isinstance(built, ImportRow):
            rows.append(built)
        else:
            errors.append(built)
    return ImportFile(kind=kind, rows=rows, errors=errors, rows_read=len(raws))
