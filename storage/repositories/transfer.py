"""Export reads and bulk-import writes of one user's history (every query filtered by user_id).

Reads are Core selects of plain columns, streamed in batches: building ORM objects for 20,000
sessions costs far more than the rows themselves. Writes are executemany-style batched inserts
("insertmanyvalues"), so a big import is a handful of statements inside one transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, and_, func, insert, select, update

from bot.domain.export_format import ExportFile, ExportLog, ExportSkill
from bot.domain.import_format.model import DedupeKey, ImportSkill, session_dedupe_key
from bot.domain.practice import SessionDraft
from bot.domain.records import field_names, field_values
from bot.domain.skills import skill_name_key
from storage.models import Evidence, PracticeLog, Skill, User
from storage.repositories.base import Repository

EXPORT_BATCH_ROWS = 2000


@dataclass(frozen=True, slots=True, kw_only=True)
class NewLog(SessionDraft):
    """A validated session to insert, with the times it carries (an import keeps its file's)."""

    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewEvidence:
    """A validated piece of evidence to insert, its ids already remapped to this account."""

    practice_log_id: int | None
    skill_id: int | None
    kind: str
    created_at: datetime
    url: str | None = None
    note: str | None = None
    # Stored in the evidence row's file columns, which share ExportFile's field names.
    file: ExportFile | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceRecord(NewEvidence):
    """Every stored column of one piece of evidence: what was inserted, and its id."""

    id: int


_FILE_FIELDS = field_names(ExportFile)
_NO_FILE: dict[str, object] = dict.fromkeys(_FILE_FIELDS)
_EVIDENCE_COLUMNS = tuple(
    getattr(Evidence, name)
    for name in (*field_names(EvidenceRecord), *_FILE_FIELDS)
    if name != "file"
)
# The exported records' fields are their columns' names, but for these two.
_LOG_RENAMED: dict[str, Any] = {"skill": Skill.name, "date": PracticeLog.practiced_on}
_SKILL_EXPORT_COLUMNS = tuple(getattr(Skill, name) for name in field_names(ExportSkill))
_LOG_EXPORT_COLUMNS = tuple(
    _LOG_RENAMED[name] if name in _LOG_RENAMED else getattr(PracticeLog, name)
    for name in field_names(ExportLog)
)


def _evidence_record(row: Row[Any]) -> EvidenceRecord:
    """A selected evidence row as a record: its file columns gathered into one ExportFile."""
    columns = row._asdict()
    file_columns = {name: columns.pop(name) for name in _FILE_FIELDS}
    has_file = file_columns["file_name"] is not None
    return EvidenceRecord(**columns, file=ExportFile(**file_columns) if has_file else None)


def _evidence_row(item: NewEvidence, user_id: int) -> dict[str, Any]:
    """The evidence's columns: its own fields, its file's (all None without one), its owner."""
    row = field_values(item, user_id=user_id)
    file = row.pop("file")
    return {**row, **(field_values(file) if file is not None else _NO_FILE)}


class TransferRepository(Repository):
    """A user's whole history, read for export and written in bulk for import."""

    # --- export ---------------------------------------------------------------------------

    async def skills(self, user_id: int) -> list[ExportSkill]:
        """The user's skills, archived included, in creation order."""
        result = await self._session.execute(
            select(*_SKILL_EXPORT_COLUMNS).where(Skill.user_id == user_id).order_by(Skill.id)
        )
        return [ExportSkill(*row) for row in result]

    async def log_batches(
        self, user_id: int, batch_rows: int = EXPORT_BATCH_ROWS
    ) -> AsyncIterator[list[ExportLog]]:
        """The user's sessions, oldest date first, streamed in batches of `batch_rows`."""
        query = (
            select(*_LOG_EXPORT_COLUMNS)
            .join(
                Skill, and_(Skill.id == PracticeLog.skill_id, Skill.user_id == PracticeLog.user_id)
            )
            .where(PracticeLog.user_id == user_id)
            .order_by(PracticeLog.practiced_on, PracticeLog.id)
            .execution_options(yield_per=batch_rows)
        )
        result = await self._session.stream(query)
        async for partition in result.partitions():
            yield [ExportLog(*row) for row in partition]

    async def evidence(self, user_id: int) -> list[EvidenceRecord]:
        """All the user's evidence, in the order it was added."""
        result = await self._session.execute(
            select(*_EVIDENCE_COLUMNS).where(Evidence.user_id == user_id).order_by(Evidence.id)
        )
        return [_evidence_record(row) for row in result.all()]

    async def evidence_counts(self, user_id: int) -> dict[int, int]:
        """How many pieces of evidence each of the user's sessions has (sessions with any)."""
        result = await self._session.execute(
            select(Evidence.practice_log_id, func.count())
            .where(Evidence.user_id == user_id, Evidence.practice_log_id.is_not(None))
            .group_by(Evidence.practice_log_id)
        )
        return {int(log_id): int(count) for log_id, count in result if log_id is not None}

    # --- import: what is there already ------------------------------------------------------

    async def skill_ids_by_key(self, user_id: int) -> dict[str, int]:
        """The user's skills as casefolded name -> id."""
        result = await self._session.execute(
            select(Skill.name_key, Skill.id).where(Skill.user_id == user_id)
        )
        return dict(result.all())

    async def has_sessions(self, user_id: int) -> bool:
        """Whether the user has logged any session at all."""
        found = await self._session.scalar(
            select(PracticeLog.id).where(PracticeLog.user_id == user_id).limit(1)
        )
        return found is not None

    async def session_keys(self, user_id: int, first: date, last: date) -> list[DedupeKey]:
        """Duplicate-detection keys of the user's sessions dated first..last."""
        result = await self._session.execute(
            select(
                Skill.name,
                PracticeLog.practiced_on,
                PracticeLog.duration_minutes,
                PracticeLog.description,
            )
            .join(
                Skill, and_(Skill.id == PracticeLog.skill_id, Skill.user_id == PracticeLog.user_id)
            )
            .where(PracticeLog.user_id == user_id, PracticeLog.practiced_on.between(first, last))
        )
        return [session_dedupe_key(*row) for row in result]

    async def minutes_per_day(self, user_id: int, first: date, last: date) -> dict[date, int]:
        """Minutes the user has logged on each day from first to last (days with any)."""
        result = await self._session.execute(
            select(PracticeLog.practiced_on, func.sum(PracticeLog.duration_minutes))
            .where(PracticeLog.user_id == user_id, PracticeLog.practiced_on.between(first, last))
            .group_by(PracticeLog.practiced_on)
        )
        return {day: int(total or 0) for day, total in result}

    async def skill_evidence(self, user_id: int) -> list[EvidenceRecord]:
        """The user's evidence attached to a skill rather than to a session."""
        result = await self._session.execute(
            select(*_EVIDENCE_COLUMNS)
            .where(Evidence.user_id == user_id, Evidence.practice_log_id.is_(None))
            .order_by(Evidence.id)
        )
        return [_evidence_record(row) for row in result.all()]

    # --- import: writes ---------------------------------------------------------------------

    async def add_skills(
        self, user_id: int, skills: Sequence[ImportSkill], now: datetime
    ) -> dict[str, int]:
        """Create skills in one batched statement; returns name_key -> new id."""
        if not skills:
            return {}
        rows = [
            {
                "user_id": user_id,
                "name": skill.name,
                "name_key": skill_name_key(skill.name),
                "created_at": skill.created_on_import(now),
                "updated_at": skill.created_on_import(now),
                "archived_at": skill.archived_on_import(now),
                "next_focus": skill.next_focus,
                **field_values(skill.goals),
            }
            for skill in skills
        ]
        result = await self._session.execute(
            insert(Skill).returning(Skill.name_key, Skill.id, sort_by_parameter_order=True), rows
        )
        return dict(result.all())

    async def add_logs(self, user_id: int, logs: Iterable[NewLog]) -> None:
        """Insert sessions in batched multi-row statements."""
        rows = [field_values(log, user_id=user_id) for log in logs]
        # With RETURNING, SQLAlchemy sends an executemany as multi-row INSERTs ("insertmanyvalues",
        # up to 1000 rows each) on both backends; asyncpg would otherwise run it row by row, and
        # PostgreSQL's statement triggers (migration 0009) then maintain the streak runs and
        # skill totals once per batch, set-based, instead of once per session.
        if rows:
            await self._session.execute(insert(PracticeLog).returning(PracticeLog.id), rows)

    async def add_logs_returning_ids(self, user_id: int, logs: Iterable[NewLog]) -> list[int]:
        """Insert sessions and return their new ids in the given order."""
        rows = [field_values(log, user_id=user_id) for log in logs]
        if not rows:
            return []
        # Ordered RETURNING needs a row-by-row insert on SQLite (SQLAlchemy can't match batched
        # rows to parameters without a sentinel column), so only sessions that need their new
        # id (to attach evidence) come this way.
        result = await self._session.execute(
            insert(PracticeLog).returning(PracticeLog.id, sort_by_parameter_order=True), rows
        )
        return list(result.scalars().all())

    async def add_evidence(self, user_id: int, items: Sequence[NewEvidence]) -> None:
        """Insert evidence in batched statements (ids already point at this user's rows)."""
        if not items:
            return
        rows = [_evidence_row(item, user_id) for item in items]
        await self._session.execute(insert(Evidence), rows)

    async def restore_settings(
        self, user_id: int, timezone: str | None, settings: Mapping[str, object]
    ) -> None:
        """Set the user's time zone (if given) and the given reminder settings."""
        values = dict(settings)
        if timezone is not None:
            values["timezone"] = timezone
        if values:
            await self._session.execute(update(User).where(User.id == user_id).values(**values))
