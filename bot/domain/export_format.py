"""The practice-tracker export formats: versioned JSON (complete) and CSV (one row per session).

The JSON records' fields are the declared list of what travels for each table: the export reads
the columns of the same names (storage/repositories/transfer.py), so carrying a new column is a
field here (user settings: a line in bot/domain/settings_transfer.py). Version 2 added skills'
archived_at and weekly goal and sessions' source; version 1 files are still read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, is_dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from bot.domain.records import field_names

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

EXPORT_FORMAT = "practice-tracker"
EXPORT_VERSION = 2
# Versions the importer reads: 1 had "archived" (a flag) on skills, and no goals or sources.
READABLE_VERSIONS = frozenset({1, 2})

CSV_COLUMNS: tuple[str, ...] = (
    "date",
    "skill",
    "duration_minutes",
    "description",
    "difficulty",
    "confidence",
    "evidence_count",
    "created_at",
)

# OWASP "CSV Injection": a cell starting with one of these runs as a formula in Excel/LibreOffice.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_QUOTE = "'"
_UNESCAPE_SECOND = FORMULA_TRIGGERS | {_QUOTE}

SettingValue = str | int | float | bool | None
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True, slots=True)
class ExportUser:
    """The exporting user's timezone and settings."""

    timezone: str
    settings: Mapping[str, SettingValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportSkill:
    """One skill as exported."""

    id: int
    name: str
    archived_at: datetime | None
    weekly_goal_minutes: int | None
    weekly_goal_sessions: int | None
    weekly_goal_days: int | None
    daily_goal_minutes: int | None
    next_focus: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExportLog:
    """One practice session as exported."""

    id: int
    skill_id: int
    skill: str
    date: date
    duration_minutes: int
    description: str
    difficulty: int | None
    confidence: int | None
    source: str
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class ExportFile:
    """Metadata of a file attached as evidence (the file itself is stored elsewhere)."""

    file_name: str
    file_size: int | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    storage: str | None = None
    file_id: str | None = None
    file_unique_id: str | None = None
    uploaded_at: datetime | None = None
    duration_seconds: int | None = None  # recordings


@dataclass(frozen=True, slots=True)
class ExportEvidence:
    """One piece of evidence, linked to a session or directly to a skill."""

    id: int
    practice_log_id: int | None
    skill_id: int | None
    type: str
    url: str | None
    note: str | None
    file: ExportFile | None
    created_at: datetime
    source: str | None = None  # where a forwarded message came from


@dataclass(frozen=True, slots=True)
class PracticeExport:
    """Everything a user owns, as written to the JSON export."""

    exported_at: datetime
    user: ExportUser
    skills: Iterable[ExportSkill]
    practice_logs: Iterable[ExportLog]
    evidence: Iterable[ExportEvidence]


def iso_datetime(value: datetime) -> str:
    """Render a timestamp as ISO 8601 in UTC; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _user_json(user: ExportUser) -> dict[str, JsonValue]:
    return {"timezone": user.timezone, "settings": dict(user.settings)}


def _record_json(record: DataclassInstance) -> dict[str, JsonValue]:
    """A record's fields under their own names, in order (the export's keys are the field names)."""
    return {name: _json_value(getattr(record, name)) for name in field_names(type(record))}


def _json_value(value: object) -> JsonValue:
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return _record_json(value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"no JSON form for {type(value).__name__}")


def export_document(export: PracticeExport) -> dict[str, JsonValue]:
    """Build the JSON document (plain dicts and lists, keys in their documented order)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso_datetime(export.exported_at),
        "user": _user_json(export.user),
        "skills": [_record_json(s) for s in export.skills],
        "practice_logs": [_record_json(log) for log in export.practice_logs],
        "evidence": [_record_json(e) for e in export.evidence],
    }


def to_json(export: PracticeExport) -> bytes:
    """Serialise an export as UTF-8 JSON (ISO 8601 dates, explicit nulls, stable key order)."""
    # ensure_ascii=False keeps names readable; sort_keys stays off so "format" leads the file.
    text = json.dumps(export_document(export), ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def neutralise_cell(value: str) -> str:
    """Prefix a quote to a cell a spreadsheet would run as a formula (reversible, see below)."""
    # A cell that already starts with a quote followed by a trigger (or another quote) is
    # escaped too, so that unneutralise_cell(neutralise_cell(x)) == x for every string.
    if value and (
        value[0] in FORMULA_TRIGGERS
        or (value[0] == _QUOTE and len(value) > 1 and value[1] in _UNESCAPE_SECOND)
    ):
        return _QUOTE + value
    return value


def unneutralise_cell(value: str) -> str:
    """Undo neutralise_cell on a cell read back from our own CSV export."""
    if len(value) > 1 and value[0] == _QUOTE and value[1] in _UNESCAPE_SECOND:
        return value[1:]
    return value


def _csv_cell(value: object) -> str:
    return "" if value is None else neutralise_cell(str(value))


def _csv_rows(logs: Iterable[ExportLog], evidence_counts: Mapping[int, int]) -> Iterator[list[str]]:
    for log in logs:
        yield [
            _csv_cell(log.date.isoformat()),
            _csv_cell(log.skill),
            _csv_cell(log.duration_minutes),
            _csv_cell(log.description),
            _csv_cell(log.difficulty),
            _csv_cell(log.confidence),
            _csv_cell(evidence_counts.get(log.id, 0)),
            _csv_cell(iso_datetime(log.created_at)),
        ]


def to_csv(logs: Iterable[ExportLog], evidence_counts: Mapping[int, int] | None = None) -> bytes:
    """Serialise sessions as CSV, a row each: UTF-8 with BOM, all cells quoted and formula-safe."""
    # The BOM is what makes Excel read the file as UTF-8 rather than the local ANSI code page;
    # QUOTE_ALL wraps every cell, as OWASP recommends alongside the leading quote.
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(logs, evidence_counts or {}))
    return buffer.getvalue().encode("utf-8-sig")
