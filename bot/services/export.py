"""Gathering everything a user owns into the export formats (JSON or CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.domain.export_format import (
    ExportEvidence,
    ExportLog,
    ExportSkill,
    ExportUser,
    PracticeExport,
    SettingValue,
    to_csv,
    to_json,
)
from bot.domain.records import from_attributes
from bot.domain.settings_transfer import SETTING_NAMES, export_setting
from storage.uow import UnitOfWork

ExportFormat = Literal["json", "csv"]


@dataclass(frozen=True, slots=True)
class ExportBundle:
    """A user's history read from the database, ready to serialise."""

    export: PracticeExport
    skills: list[ExportSkill]
    logs: list[ExportLog]
    evidence: list[ExportEvidence]
    evidence_counts: dict[int, int]


async def gather_export(uow: UnitOfWork, user_id: int, now: datetime) -> ExportBundle:
    """Read the user's settings, skills, sessions (in batches) and evidence."""
    user = await uow.users.get(user_id)
    if user is None:
        raise LookupError(f"user {user_id} is not registered")
    settings: dict[str, SettingValue] = {
        name: export_setting(getattr(user, name)) for name in SETTING_NAMES
    }
    skills = await uow.transfer.skills(user_id)
    logs: list[ExportLog] = []
    async for batch in uow.transfer.log_batches(user_id):
        logs.extend(batch)
    evidence = [
        from_attributes(ExportEvidence, e, type=e.kind)
        for e in await uow.transfer.evidence(user_id)
    ]
    export = PracticeExport(
        exported_at=now,
        user=ExportUser(timezone=user.timezone, settings=settings),
        skills=skills,
        practice_logs=logs,
        evidence=evidence,
    )
    counts = await uow.transfer.evidence_counts(user_id)
    return ExportBundle(export, skills, logs, evidence, counts)


def export_filename(fmt: ExportFormat, today: date) -> str:
    """The document's name, with the user's local date: practice-tracker-2026-11-25.json."""
    return f"practice-tracker-{today.isoformat()}.{fmt}"


def serialise(bundle: ExportBundle, fmt: ExportFormat) -> bytes:
    """The export file's bytes (CPU-bound: run it off the event loop for big histories)."""
    if fmt == "json":
        return to_json(bundle.export)
    return to_csv(bundle.logs, bundle.evidence_counts)
