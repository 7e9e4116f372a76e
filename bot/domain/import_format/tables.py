"""Rows of a CSV or XLSX sheet -> sessions: our own CSV export, Toggl's detailed CSV, any sheet.

Which of these a CSV is comes from its header alone. Toggl needs nothing else of its own: its
Project and Start date columns are in the header vocabulary (headers.py), cells.read_duration
reads its hh:mm:ss, and read_table takes its bare numbers as hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Final, Literal

from bot.domain.dates import DateOrder
from bot.domain.errors import DomainError
from bot.domain.export_format import CSV_COLUMNS, unneutralise_cell
from bot.domain.import_format.cells import DateEvidence, Rules, date_evidence, is_blank
from bot.domain.import_format.headers import (
    HEADER_SEARCH_ROWS,
    Header,
    chosen_header,
    find_header,
    header_name,
)
from bot.domain.import_format.intake import too_many_rows
from bot.domain.import_format.model import (
    NO_CHOICES,
    ColumnInfo,
    DateReading,
    ImportFile,
    ImportKind,
    ImportRow,
    RowError,
    SheetChoices,
)
from bot.domain.import_format.rows import RawRow, build_row

_TOGGL_COLUMNS: Final = frozenset({"project", "description", "start date", "duration"})
_TOGGL_MARKERS: Final = frozenset({"user", "email", "start time", "end date", "end time"})
# Clockify's detailed report: Toggl's columns plus its billable rate and amount.
_CLOCKIFY_COLUMNS: Final = _TOGGL_COLUMNS
_CLOCKIFY_MARKERS: Final = frozenset({"billable rate", "billable amount"})
FORMAT_NOTES: Final[dict[ImportKind, str]] = {
    "toggl-csv": (
        "Toggl Track: Project becomes the skill, Start date the date, Duration the minutes, "
        "Description the description. Clients, tags, tasks, billing and start/end times "
        "are left out; an entry without a description gets one written for it."
    ),
    "clockify-csv": (
        "Clockify: Project becomes the skill, Start Date the date, Duration (h) the minutes, "
        "Description the description. Clients, tasks, tags, billable rates and amounts and "
        "start/end times are left out; an entry without a description gets one written for it."
    ),
}
SAMPLES: Final = 2
SAMPLE_SCAN_ROWS: Final = 50
# Average characters a column's cells need to count as free text (a description).
MIN_FREE_TEXT: Final = 15


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
    if names >= _CLOCKIFY_COLUMNS and names & _CLOCKIFY_MARKERS:
        return "clockify-csv"
    if names >= _TOGGL_COLUMNS and names & _TOGGL_MARKERS:
        return "toggl-csv"
    return "spreadsheet-csv"


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _samples(data: Sequence[Sequence[object]], index: int) -> tuple[str, ...]:
    values = (_text(cells[index]) for cells in data[:SAMPLE_SCAN_ROWS] if index < len(cells))
    return tuple(islice((value for value in values if value), SAMPLES))


def _free_text_column(header: Header, data: Sequence[Sequence[object]], width: int) -> int | None:
    """The unnamed column whose cells read as sentences, if one does (the description)."""
    taken = set(header.columns.values())
    best: tuple[float, int] | None = None
    for index in range(width):
        if index in taken:
            continue
        cells = [_text(row[index]) for row in data[:SAMPLE_SCAN_ROWS] if index < len(row)]
        cells = [cell for cell in cells if cell]
        if not cells:
            continue
        prose = [cell for cell in cells if len(cell) >= 12 and " " in cell and _has_letters(cell)]
        average = sum(len(cell) for cell in cells) / len(cells)
        if (
            len(prose) * 2 >= len(cells)
            and average >= MIN_FREE_TEXT
            and (best is None or average > best[0])
        ):
            best = (average, index)
    return None if best is None else best[1]


def _has_letters(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) * 2 >= len(text)


def read_table(
    kept: Sequence[tuple[int, Sequence[object]]],
    total: int,
    *,
    source: Literal["csv", "xlsx"],
    today: date,
    max_rows: int,
    excel_epoch: datetime | None = None,
    choices: SheetChoices = NO_CHOICES,
) -> ImportFile:
    """Turn the rows of a CSV or XLSX sheet into sessions and row errors (see SheetChoices)."""
    choice = choices.columns
    found, position = find_header(kept)
    data_count = total - position - 1
    if data_count > max_rows:
        raise too_many_rows(data_count, max_rows)
    header_cells = kept[position][1]
    data = [cells for _number, cells in kept[position + 1 :]]
    kind = _table_kind(found, source)
    header = found if choice is None else chosen_header(header_cells, choice)
    by_content: int | None = None
    if choice is None and "description" not in header.columns:
        by_content = _free_text_column(header, data, len(header_cells))
        if by_content is not None:
            header.columns["description"] = by_content
    columns = tuple(
        ColumnInfo(
            index=index,
            header=_text(cell) or f"column {index + 1}",
            field=header.field_of(index),
            samples=_samples(data, index),
            by_content=index == by_content,
        )
        for index, cell in enumerate(header_cells)
    )
    if not header.complete:
        # Only a mapping the user changed gets here (find_header refuses the rest): show it.
        return ImportFile(
            kind=kind,
            rows=[],
            errors=[],
            rows_read=len(data),
            columns=columns,
            missing=header.missing,
        )
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
    dates = date_reading(date_evidence(raw.date for raw in raws), choices.order)
    rules = Rules(
        today=today,
        month_first=dates.order == "month_first",
        # Toggl and Clockify write hh:mm:ss, or decimal hours when the user picked that format.
        hours=header.hours or kind in ("toggl-csv", "clockify-csv"),
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
    return ImportFile(
        kind=kind,
        rows=rows,
        errors=errors,
        rows_read=len(raws),
        columns=columns,
        dates=dates,
        format_note=FORMAT_NOTES.get(kind),
    )


def date_reading(evidence: DateEvidence, order: DateOrder | None) -> DateReading:
    """The file's proof wins, then the given order; otherwise day first, and ask if it matters."""
    if evidence.order is not None:
        return DateReading(evidence.order, "file")
    if order is not None:
        return DateReading(order, "given", evidence.ambiguous_example)
    return DateReading("day_first", "default", evidence.ambiguous_example)
