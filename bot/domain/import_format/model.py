"""What an import produces: valid sessions, per-row errors, JSON-only extras, and dedupe keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.domain.evidence import EvidenceKind
from bot.domain.export_format import ExportFile, ExportUser
from bot.domain.skills import skill_name_key

ImportKind = Literal[
    "practice-tracker-json",
    "practice-tracker-csv",
    "spreadsheet-csv",
    "spreadsheet-xlsx",
    "toggl-csv",
]


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
    """A skill listed in our JSON export (it may have no sessions, or be archived)."""

    source_id: int
    name: str
    archived: bool
    created_at: datetime | None


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
class PlannedSkill:
    """A skill the import will create."""

    name: str
    key: str
    archived: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing a file would do to this user's history, and what it would leave out."""

    imported: ImportFile
    sessions: list[ImportRow]
    duplicates: int
    errors: list[RowError]
    new_skills: list[PlannedSkill]
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
