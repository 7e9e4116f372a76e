"""The practice-tracker export formats: versioned JSON (complete) and CSV (one row per session)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

EXPORT_FORMAT = "practice-tracker"
EXPORT_VERSION = 1

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
    archived: bool
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


def _opt_datetime(value: datetime | None) -> str | None:
    return None if value is None else iso_datetime(value)


def _user_json(user: ExportUser) -> dict[str, JsonValue]:
    return {"timezone": user.timezone, "settings": dict(user.settings)}


def _skill_json(skill: ExportSkill) -> dict[str, JsonValue]:
    return {
        "id": skill.id,
        "name": skill.name,
        "archived": skill.archived,
        "created_at": iso_datetime(skill.created_at),
    }


def _log_json(log: ExportLog) -> dict[str, JsonValue]:
    return {
        "id": log.id,
        "skill_id": log.skill_id,
        "skill": log.skill,
        "date": log.date.isoformat(),
        "duration_minutes": log.duration_minutes,
        "description": log.description,
        "difficulty": log.difficulty,
        "confidence": log.confidence,
        "created_at": iso_datetime(log.created_at),
        "updated_at": _opt_datetime(log.updated_at),
    }


def _file_json(meta: ExportFile | None) -> dict[str, JsonValue] | None:
    if meta is None:
        return None
    return {
        "file_name": meta.file_name,
        "file_size": meta.file_size,
        "mime_type": meta.mime_type,
        "width": meta.width,
        "height": meta.height,
        "storage": meta.storage,
        "file_id": meta.file_id,
        "file_unique_id": meta.file_unique_id,
        "uploaded_at": _opt_datetime(meta.uploaded_at),
    }


def _evidence_json(item: ExportEvidence) -> dict[str, JsonValue]:
    return {
        "id": item.id,
        "practice_log_id": item.practice_log_id,
        "skill_id": item.skill_id,
        "type": item.type,
        "url": item.url,
        "note": item.note,
        "file": _file_json(item.file),
        "created_at": iso_datetime(item.created_at),
    }


def export_document(export: PracticeExport) -> dict[str, JsonValue]:
    """Build the JSON document (plain dicts and lists, keys in their documented order)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso_datetime(export.exported_at),
        "user": _user_json(export.user),
        "skills": [_skill_json(s) for s in export.skills],
        "practice_logs": [_log_json(log) for log in export.practice_logs],
        "evidence": [_evidence_json(e) for e in export.evidence],
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
