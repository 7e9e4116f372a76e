"""Undo snapshots: what a delete removed, kept as JSON for a few minutes so it can come back.

A session's snapshot holds every column of its practice_logs row and of each evidence row, so
a restore puts back the same ids and timestamps. SQLite may hand a deleted row's id (when it
was the highest) to the next insert; a restore then gives the rows fresh ids instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, TypeDecorator, delete, insert, select

from storage.models import Evidence, PracticeLog, Skill, UndoSnapshot
from storage.repositories.base import Repository, oldest_expired

_LOGS: Table = PracticeLog.__table__  # type: ignore[assignment]
_EVIDENCE: Table = Evidence.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class TakenSnapshot:
    """A snapshot removed from the table for use (or because it had expired)."""

    kind: str
    payload: dict[str, Any]
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RestoredSession:
    """What a restore put back, and whether every row kept its old id."""

    log_id: int
    evidence_ids: list[int]
    same_ids: bool


def _to_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON-safe values (dates and times as ISO text)."""
    out: dict[str, Any] = {}
    for column in table.columns:
        value = row[column.key]
        out[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def _from_json(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    """Column values back from _to_json; unknown keys are refused."""
    unknown = set(data) - {column.key for column in table.columns}
    if unknown:
        raise ValueError(f"snapshot has unknown columns: {sorted(unknown)}")
    values: dict[str, Any] = {}
    for column in table.columns:
        value = data.get(column.key)
        kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(value, str) and isinstance(kind, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(kind, Date):
            value = date.fromisoformat(value)
        values[column.key] = value
    return values


class UndoRepository(Repository):
    """Writes, takes and purges undo snapshots; reads and restores the rows they hold."""

    async def add(
        self, user_id: int, kind: str, payload: dict[str, Any], now: datetime, expires_at: datetime
    ) -> int:
        """Store a snapshot; returns its id."""
        snapshot = UndoSnapshot(
            user_id=user_id, kind=kind, payload=payload, created_at=now, expires_at=expires_at
        )
        self._session.add(snapshot)
        await self._session.flush()
        return snapshot.id

    async def take(self, user_id: int, snapshot_id: int) -> TakenSnapshot | None:
        """Remove the user's snapshot and return it (once: a second take gets None)."""
        row = (
            await self._session.execute(
                delete(UndoSnapshot)
                .where(UndoSnapshot.id == snapshot_id, UndoSnapshot.user_id == user_id)
                .returning(UndoSnapshot.kind, UndoSnapshot.payload, UndoSnapshot.expires_at)
            )
        ).one_or_none()
        return TakenSnapshot(*row) if row is not None else None

    async def purge_expired(self, now: datetime, limit: int = 1000) -> int:
        """Delete up to `limit` snapshots past their expiry; returns how many went."""
        due = oldest_expired(UndoSnapshot.id, UndoSnapshot.expires_at, now, limit)
        result = await self._session.execute(delete(UndoSnapshot).where(UndoSnapshot.id.in_(due)))
        return int(getattr(result, "rowcount", 0) or 0)

    async def session_rows(self, user_id: int, log_id: int) -> dict[str, Any] | None:
        """Every column of the user's session and of its evidence, JSON-safe; None if absent."""
        log = (
            (
                await self._session.execute(
                    select(_LOGS).where(_LOGS.c.id == log_id, _LOGS.c.user_id == user_id)
                )
            )
            .mappings()
            .one_or_none()
        )
        if log is None:
            return None
        evidence = (
            await self._session.execute(
                select(_EVIDENCE)
                .where(_EVIDENCE.c.practice_log_id == log_id, _EVIDENCE.c.user_id == user_id)
                .order_by(_EVIDENCE.c.id)
            )
        ).mappings()
        return {
            "log": _to_json(_LOGS, dict(log)),
            "evidence": [_to_json(_EVIDENCE, dict(row)) for row in evidence],
        }

    async def restore_session(self, user_id: int, rows: dict[str, Any]) -> RestoredSession | None:
        """Insert a session_rows() snapshot for its owner; None if its skill is gone.

        Ids are kept unless another row took them meanwhile; owner columns are forced to
        `user_id` whatever the payload says.
        """
        log = _from_json(_LOGS, rows["log"])
        log["user_id"] = user_id
        skill = await self._session.scalar(
            select(Skill.id).where(Skill.id == log["skill_id"], Skill.user_id == user_id)
        )
        if skill is None:
            return None
        items = [_from_json(_EVIDENCE, item) for item in rows.get("evidence", [])]
        same = True
        if await self._session.scalar(select(_LOGS.c.id).where(_LOGS.c.id == log["id"])):
            del log["id"]
            same = False
        log_id = int(
            (
                await self._session.execute(insert(_LOGS).values(log).returning(_LOGS.c.id))
            ).scalar_one()
        )
        taken = set()
        if items:
            taken = set(
                await self._session.scalars(
                    select(_EVIDENCE.c.id).where(_EVIDENCE.c.id.in_([item["id"] for item in items]))
                )
            )
        evidence_ids = []
        for item in items:
            item.update(user_id=user_id, practice_log_id=log_id, skill_id=log["skill_id"])
            if item["id"] in taken:
                del item["id"]
                same = False
            inserted = await self._session.execute(
                insert(_EVIDENCE).values(item).returning(_EVIDENCE.c.id)
            )
            evidence_ids.append(int(inserted.scalar_one()))
        return RestoredSession(log_id, evidence_ids, same)
