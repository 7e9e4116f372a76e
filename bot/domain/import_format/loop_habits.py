"""Loop Habit Tracker's CSV export: Checkmarks.csv, or the zip from its settings, as sessions.

Loop's export ("Export as CSV") is a zip: Habits.csv (names, questions, colours), Checkmarks.csv
and Scores.csv with a column per habit and a row per day, newest first
(``Date,<habit>,<habit>,`` with a trailing comma), and a folder per habit ("001 Guitar/") with
that habit's Checkmarks.csv (``Date,Value,Notes``) and Scores.csv. A checkmark of a yes/no habit
is 2 (YES_MANUAL) when the user ticked it, 1 (YES_AUTO) when Loop filled it in (not needed that
day), 0 (NO) not done, -1 (UNKNOWN), 3 (SKIP); a numeric habit's cell holds the amount.

What comes across: each habit is a skill, and each day ticked (or with an amount, for a numeric
habit) a session of LOOP_MINUTES minutes, or as many as the user picks in the preview, since
Loop records that a habit was done, never for how long; the day's note (from the habit's own
file in the zip) is its description when it is long enough, and one is written for it
otherwise. Scores (habit strength), amounts, questions, frequencies, reminders and colours are
not practice sessions and stay behind.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from bot.domain.errors import DomainError
from bot.domain.import_format.cells import Rules, is_blank
from bot.domain.import_format.decoding import decode_text
from bot.domain.import_format.intake import too_many_rows
from bot.domain.import_format.model import ImportFile, ImportRow, RowError
from bot.domain.import_format.rows import RawRow, build_row
from bot.domain.import_format.xlsx import zip_entries

LOOP_MINUTES: Final = 30
# What the preview offers for "each ticked day counts as N minutes".
LOOP_MINUTE_CHOICES: Final = (10, 15, 20, 30, 45, 60, 90)


def loop_note(minutes: int) -> str:
    """What Loop's export carries and what it can't, for the preview."""
    return (
        "Loop Habit Tracker records that a habit was done on a day, not for how long: each "
        f"habit becomes a skill and each ticked day a {minutes}-minute session (choose the "
        "minutes below). Notes come along from the zip; scores, numeric amounts, reminders "
        "and colours are left out."
    )


SCORES_REFUSED: Final = (
    "This is Loop Habit Tracker's Scores.csv: how strong each habit was over time, not what "
    "you did. Send Checkmarks.csv, or the whole zip Loop made (Settings → Export as CSV)."
)
ONE_HABIT_REFUSED: Final = (
    "This is one habit's Checkmarks.csv from a Loop Habit Tracker export, which doesn't say "
    "which habit it is. Send the whole zip Loop made, or the Checkmarks.csv at its top level."
)
_NUMBER_RE: Final = re.compile(r"-?\d+(?:\.\d+)?")
_SCORE_RE: Final = re.compile(r"\d\.\d{4}")
_HABIT_FOLDER_RE: Final = re.compile(r"(\d{3}) [^/]*/Checkmarks\.csv")
# A yes/no habit's cell, as a number or (newer versions) by name; ticked is YES_MANUAL only.
_TICKED: Final = frozenset({"2", "YES_MANUAL"})
_CODE_NAMES: Final = frozenset({"YES_MANUAL", "YES_AUTO", "NO", "UNKNOWN", "SKIP"})
_YES_NO_CODES: Final = frozenset({"-1", "0", "1", "2", "3"}) | _CODE_NAMES
_HEAD_LINES: Final = 6


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _head(text: str) -> list[list[str]]:
    return _rows("\n".join(text.splitlines()[:_HEAD_LINES]))


def is_loop_csv(text: str) -> bool:
    """Whether a CSV is one of Loop's: "Date" then habit columns of numbers, trailing comma."""
    head = _head(text)
    if not head or not head[0] or head[0][0].strip().casefold() != "date":
        return False
    if [cell.strip() for cell in head[0]] == ["Date", "Value", "Notes"]:
        return True
    if len(head[0]) < 3 or head[0][-1] != "" or len(head) < 2:
        return False
    return all(
        all(_NUMBER_RE.fullmatch(cell.strip()) or cell.strip() in _CODE_NAMES for cell in row[1:-1])
        for row in head[1:]
        if row
    )


def _is_scores(rows: Sequence[Sequence[str]]) -> bool:
    values = [cell for row in rows[1:_HEAD_LINES] for cell in row[1:] if cell]
    return bool(values) and all(_SCORE_RE.fullmatch(value) for value in values)


def _done(value: str, numeric: bool) -> bool:
    value = value.strip()
    if numeric:
        return bool(_NUMBER_RE.fullmatch(value)) and float(value) > 0
    return value in _TICKED


def read_loop_csv(
    text: str,
    today: date,
    max_rows: int,
    notes: Mapping[tuple[int, str], str] | None = None,
    minutes: int | None = None,
) -> ImportFile:
    """Read Loop's Checkmarks.csv; `notes` are (habit column, date) -> the day's note (zip).

    `minutes` is what each ticked day counts as (LOOP_MINUTES unless the user chose).
    """
    minutes = minutes if minutes in LOOP_MINUTE_CHOICES else LOOP_MINUTES
    rows = _rows(text)
    header = [cell.strip() for cell in rows[0]]
    if header == ["Date", "Value", "Notes"]:
        raise DomainError(ONE_HABIT_REFUSED)
    if _is_scores(rows):
        raise DomainError(SCORES_REFUSED)
    habits = [(index, name) for index, name in enumerate(header) if index and name]
    numeric = {
        index
        for index, _name in habits
        if any(len(row) > index and row[index].strip() not in _YES_NO_CODES for row in rows[1:])
    }
    raws: list[RawRow] = []
    # Oldest first, as sessions are listed everywhere else (Loop writes newest first).
    for number in range(len(rows) - 1, 0, -1):
        row = rows[number]
        if not row or is_blank(row[0]):
            continue
        for index, name in habits:
            if len(row) > index and _done(row[index], index in numeric):
                note = (notes or {}).get((index, row[0].strip()))
                raws.append(
                    RawRow(
                        number=number + 1,
                        date=row[0].strip(),
                        skill=name,
                        duration=minutes,
                        description=note if note and len(note.strip()) >= 10 else None,
                    )
                )
                if len(raws) > max_rows:
                    raise too_many_rows(len(raws), max_rows)
    rules = Rules(today=today)
    built = [build_row(raw, rules) for raw in raws]
    return ImportFile(
        kind="loop-csv",
        rows=[row for row in built if isinstance(row, ImportRow)],
        errors=[row for row in built if isinstance(row, RowError)],
        rows_read=len(rows) - 1,
        format_note=loop_note(minutes),
        check_minutes=minutes,
    )


def is_loop_archive(data: bytes) -> bool:
    """Whether a zip is Loop's CSV export (a top-level Checkmarks.csv and no workbook parts)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False
    return "Checkmarks.csv" in names and "[Content_Types].xml" not in names


def read_loop_archive(
    data: bytes, today: date, max_rows: int, minutes: int | None = None
) -> ImportFile:
    """Read the zip Loop exports: the top-level Checkmarks.csv, with notes from habit folders."""
    entries = zip_entries(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        checkmarks = decode_text(archive.read("Checkmarks.csv")).text
        notes: dict[tuple[int, str], str] = {}
        for entry in entries:
            match = _HABIT_FOLDER_RE.fullmatch(entry.filename)
            if match is None:
                continue
            # Folders are numbered from 1 in the habits' order, the columns' order too.
            column = int(match[1])
            for row in _rows(decode_text(archive.read(entry)).text)[1:]:
                if len(row) >= 3 and row[2].strip():
                    notes[(column, row[0].strip())] = row[2].strip()
    return read_loop_csv(checkmarks, today, max_rows, notes, minutes)
