"""What an import produces: valid sessions, per-row errors, JSON-only extras, and dedupe keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal

from bot.domain.dates import DateOrder
from bot.domain.evidence import EvidenceKind
from bot.domain.export_format import ExportFile, ExportUser
from bot.domain.goals import GoalSet
from bot.domain.skills import skill_name_key

ImportKind = Literal[
    "practice-tracker-json",
    "practice-tracker-csv",
    "spreadsheet-csv",
    "spreadsheet-xlsx",
    "toggl-csv",
    "clockify-csv",
    "loop-csv",
]
ColumnField = Literal[
    "date", "skill", "minutes", "hours", "description", "difficulty", "confidence"
]


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """How one column of a sheet was understood, with the first values in it."""

    index: int
    header: str
    field: ColumnField | None
    samples: tuple[str, ...]
    # Read as the description for its long free text, its header naming no field.
    by_content: bool = False


@dataclass(frozen=True, slots=True)
class SheetChoices:
    """What the user decided about a sheet: their column mapping and date order, if any."""

    columns: Mapping[int, ColumnField] | None = None
    # The user's setting, or their answer in the preview; the file's own proof still wins.
    order: DateOrder | None = None
    # For exports that record a habit done but not for how long (Loop): minutes per day done.
    check_minutes: int | None = None


NO_CHOICES: Final = SheetChoices()


@dataclass(frozen=True, slots=True)
class DateReading:
    """How a sheet's numeric dates were read, and why."""

    order: DateOrder
    # "file": a date proved it (28/10); "given": the user's setting or answer; "default": the
    # dates read either way and nobody said, so the preview asks.
    basis: Literal["file", "given", "default"]
    example: str | None = None

    @property
    def needs_answer(self) -> bool:
        """Whether the preview must ask day-first or month-first before importing."""
        return self.basis == "default" and self.example is not None


@dataclass(frozen=True, slots=True)
class ImportEvidence:
    """A piece of evidence from our JSON export, with the ids it had in the exporting account."""

    source_id: int | None
    practice_log_source_id: int | None
    skill_name: str | None
    kind: EvidenceKind
    url: str | None
    note: str | None
    file: ExportFile | None
    created_at: datetime | None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ImportSkill:
    """A skill an import creates: as our JSON export lists it, or only named by sessions."""

    name: str
    archived: bool = False
    created_at: datetime | None = None
    # Version 1 files carry only the flag; their archived skills are archived at import time.
    archived_at: datetime | None = None
    goals: GoalSet = field(default_factory=GoalSet)
    next_focus: str | None = None

    def created_on_import(self, now: datetime) -> datetime:
        """When the new skill counts as created: the file's time, or the import's."""
        return self.created_at or now

    def archived_on_import(self, now: datetime) -> datetime | None:
        """When the new skill counts as archived (None: it is not), by the file or its flag."""
        return (self.archived_at or now) if self.archived else None


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One valid session read from a file, ready for duplicate checks and saving."""

    row_number: int
    practiced_on: date
    skill_name: str
    duration_minutes: int
    description: str
    difficulty: int | None
    confidence: int | None
    description_generated: bool = False
    source_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    evidence: tuple[ImportEvidence, ...] = ()
    # How the session was first logged (our JSON export only); None: it counts as imported.
    source: str | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row of a file cannot be imported."""

    row_number: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportFile:
    """Everything read from one file: valid sessions, per-row problems and, for JSON, the rest."""

    kind: ImportKind
    rows: list[ImportRow]
    errors: list[RowError]
    rows_read: int
    # Evidence attached to a skill rather than a session (JSON only); session evidence is on rows.
    evidence: list[ImportEvidence] = field(default_factory=list)
    skills: list[ImportSkill] = field(default_factory=list)
    user: ExportUser | None = None
    # Sheets only: each column's reading, the required fields no column gives, the date order.
    columns: tuple[ColumnInfo, ...] = ()
    missing: tuple[str, ...] = ()
    dates: DateReading | None = None
    # Lines that were not UTF-8 and were read in another encoding (see decoding.py).
    fallback_lines: int = 0
    fallback_encoding: str | None = None
    # What the format cannot carry, said in the preview (other apps' exports).
    format_note: str | None = None
    # Minutes each day done counts as, for a format that has no durations (Loop).
    check_minutes: int | None = None


DedupeKey = tuple[str, date, int, str]


def session_dedupe_key(
    skill_name: str, practiced_on: date, duration_minutes: int, description: str
) -> DedupeKey:
    """Identity of a session for duplicate detection; build existing sessions' keys with this."""
    return (
        skill_name_key(" ".join(skill_name.split())),
        practiced_on,
        duration_minutes,
        description.strip(),
    )


def dedupe_key(row: ImportRow) -> DedupeKey:
    """Identity of an imported row: same skill (any case), date, minutes and description."""
    return session_dedupe_key(
        row.skill_name, row.practiced_on, row.duration_minutes, row.description
    )


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing a file would do to this user's history, and what it would leave out."""

    imported: ImportFile
    sessions: list[ImportRow]
    duplicates: int
    errors: list[RowError]
    new_skills: list[ImportSkill]
    skill_evidence: list[ImportEvidence]
    restore_timezone: str | None
    restore_settings: bool

    @property
    def minutes(self) -> int:
        """Total minutes of the sessions to import."""
        return sum(row.duration_minutes for row in self.sessions)

    @property
    def evidence_count(self) -> int:
        """Pieces of evidence to import (of the new sessions, and attached to skills)."""
        return sum(len(row.evidence) for row in self.sessions) + len(self.skill_evidence)

    @property
    def has_work(self) -> bool:
        """Whether importing would change anything."""
        return bool(self.sessions or self.new_skills or self.skill_evidence)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote."""

    sessions: int
    minutes: int
    skills_created: list[str]
    evidence: int
    duplicates: int
    invalid: int
    settings_restored: bool
