"""Bulk import: compare a read file with the user's history, then write it in one transaction.

Rows were already checked one by one with the /log rules by `read_import`; what needs the
database is checked here, set-based: duplicates of stored sessions (one query for the file's
date range) and the 24-hour cap per day (one GROUP BY over the same range, then the file's
rows added in order). `plan_import` only reads, so the preview can run it; `run_import` takes
the user's lock, plans again and writes, so a file imported twice adds nothing the second time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain, groupby

from bot.domain.errors import DomainError
from bot.domain.import_format import (
    DedupeKey,
    ImportEvidence,
    ImportFile,
    ImportRow,
    ImportSkill,
    RowError,
    dedupe_key,
)
from bot.domain.import_format.model import ImportPlan, ImportResult
from bot.domain.practice import check_daily_total
from bot.domain.settings_transfer import settings_to_restore, timezone_to_restore
from bot.domain.skills import skill_name_key
from bot.services.skills import MAX_SKILLS
from storage.repositories.transfer import EvidenceRecord, NewEvidence, NewLog
from storage.uow import UnitOfWork

EvidenceKey = tuple[int, str, str | None, str | None, str | None]


def _date_range(rows: Iterable[ImportRow]) -> tuple[date, date] | None:
    days = [row.practiced_on for row in rows]
    return (min(days), max(days)) if days else None


async def _new_sessions(
    uow: UnitOfWork, user_id: int, rows: list[ImportRow]
) -> tuple[list[ImportRow], int, list[RowError]]:
    """Drop rows already stored and rows that would take a day past 24 hours."""
    span = _date_range(rows)
    if span is None:
        return [], 0, []
    stored: Counter[DedupeKey] = Counter(await uow.transfer.session_keys(user_id, *span))
    # Counted, not a set: two identical sessions in a file are two sessions, and a second
    # import of that file finds both already stored.
    fresh: list[ImportRow] = []
    duplicates = 0
    for row in rows:
        key = dedupe_key(row)
        if stored[key] > 0:
            stored[key] -= 1
            duplicates += 1
        else:
            fresh.append(row)
    day_totals = await uow.transfer.minutes_per_day(user_id, *span)
    from_file: Counter[date] = Counter()
    accepted: list[ImportRow] = []
    errors: list[RowError] = []
    for row in fresh:
        day = row.practiced_on
        already = day_totals.get(day, 0) + from_file[day]
        try:
            check_daily_total(already, row.duration_minutes)
        except DomainError as exc:
            note = " (counting the rows above it in this file)" if from_file[day] else ""
            errors.append(RowError(row.row_number, f"{day.isoformat()}: {exc}{note}"))
            continue
        from_file[day] += row.duration_minutes
        accepted.append(row)
    return accepted, duplicates, errors


def _planned_skills(
    imported: ImportFile, sessions: list[ImportRow], existing: dict[str, int]
) -> list[ImportSkill]:
    planned: dict[str, ImportSkill] = {}
    named = (ImportSkill(row.skill_name) for row in sessions)
    for skill in chain(imported.skills, named):
        key = skill_name_key(skill.name)
        if key not in existing and key not in planned:
            planned[key] = skill
    return list(planned.values())


def _evidence_key(skill_id: int, item: ImportEvidence | EvidenceRecord) -> EvidenceKey:
    ident = (item.file.file_unique_id or item.file.file_name) if item.file else None
    return skill_id, str(item.kind), item.url, item.note, ident


async def _new_skill_evidence(
    uow: UnitOfWork, user_id: int, items: list[ImportEvidence], existing: dict[str, int]
) -> list[ImportEvidence]:
    """Skill evidence not stored yet (evidence of new sessions is new with them)."""
    if not items:
        return []
    stored: Counter[EvidenceKey] = Counter()
    for record in await uow.transfer.skill_evidence(user_id):
        if record.skill_id is not None:
            stored[_evidence_key(record.skill_id, record)] += 1
    fresh: list[ImportEvidence] = []
    for item in items:
        skill_id = existing.get(skill_name_key(item.skill_name or ""))
        if skill_id is not None:
            key = _evidence_key(skill_id, item)
            if stored[key] > 0:
                stored[key] -= 1
                continue
        fresh.append(item)
    return fresh


async def plan_import(uow: UnitOfWork, user_id: int, imported: ImportFile) -> ImportPlan:
    """Work out what importing the file would add (reads only)."""
    existing = await uow.transfer.skill_ids_by_key(user_id)
    sessions, duplicates, cap_errors = await _new_sessions(uow, user_id, imported.rows)
    new_skills = _planned_skills(imported, sessions, existing)
    if new_skills and len(existing) + len(new_skills) > MAX_SKILLS:
        raise DomainError(
            f"This file would add {len(new_skills)} new skills to your {len(existing)}, and I "
            f"keep at most {MAX_SKILLS}. Delete some in /skills, or import fewer skills at once."
        )
    skill_evidence = await _new_skill_evidence(uow, user_id, imported.evidence, existing)
    restore = imported.user is not None and not await uow.transfer.has_sessions(user_id)
    return ImportPlan(
        imported=imported,
        sessions=sessions,
        duplicates=duplicates,
        errors=sorted([*imported.errors, *cap_errors], key=lambda e: e.row_number),
        new_skills=new_skills,
        skill_evidence=skill_evidence,
        restore_timezone=(
            timezone_to_restore(imported.user.timezone) if restore and imported.user else None
        ),
        restore_settings=restore,
    )


def _new_evidence(
    item: ImportEvidence, log_id: int | None, skill_id: int | None, now: datetime
) -> NewEvidence:
    return NewEvidence(
        practice_log_id=log_id,
        skill_id=skill_id,
        kind=str(item.kind),
        created_at=item.created_at or now,
        url=item.url,
        note=item.note,
        file=item.file,
        source=item.source,
    )


async def write_plan(
    uow: UnitOfWork, user_id: int, plan: ImportPlan, now: datetime
) -> ImportResult:
    """Write the planned skills, sessions, evidence and settings (the caller commits)."""
    skill_ids = await uow.transfer.skill_ids_by_key(user_id)
    skill_ids.update(await uow.transfer.add_skills(user_id, plan.new_skills, now))
    source = "restore" if plan.imported.kind == "practice-tracker-json" else "import"

    def new_log(row: ImportRow) -> NewLog:
        return NewLog(
            skill_ids[skill_name_key(row.skill_name)],
            row.practiced_on,
            row.duration_minutes,
            row.description,
            row.difficulty,
            row.confidence,
            row.source or source,
            created_at=row.created_at or now,
            updated_at=row.updated_at or row.created_at or now,
        )

    # Inserted in file order (ids follow it, so an export lists same-day sessions as the file
    # did), in runs: sessions without evidence in batched statements, the others one by one
    # because their new ids are needed to attach the evidence.
    with_evidence: list[ImportRow] = []
    log_ids: list[int] = []
    for has_evidence, run in groupby(plan.sessions, key=lambda row: bool(row.evidence)):
        rows = list(run)
        if has_evidence:
            with_evidence += rows
            log_ids += await uow.transfer.add_logs_returning_ids(user_id, map(new_log, rows))
        else:
            await uow.transfer.add_logs(user_id, map(new_log, rows))
    # Kept in the file's order (its evidence ids), so an export of the new account lists
    # evidence in the same order as the file it came from.
    evidence: list[tuple[int | None, NewEvidence]] = []
    for row, log_id in zip(with_evidence, log_ids, strict=True):
        # Session evidence always carries its session's skill (what /evidence lists by).
        session_skill_id = skill_ids[skill_name_key(row.skill_name)]
        for item in row.evidence:
            evidence.append((item.source_id, _new_evidence(item, log_id, session_skill_id, now)))
    for item in plan.skill_evidence:
        skill_id = skill_ids.get(skill_name_key(item.skill_name or ""))
        if skill_id is not None:
            evidence.append((item.source_id, _new_evidence(item, None, skill_id, now)))
    evidence.sort(key=lambda pair: (pair[0] is None, pair[0] or 0))
    await uow.transfer.add_evidence(user_id, [item for _, item in evidence])
    user = plan.imported.user
    if plan.restore_settings and user is not None:
        await uow.transfer.restore_settings(
            user_id, plan.restore_timezone, settings_to_restore(user.settings)
        )
    return ImportResult(
        sessions=len(plan.sessions),
        minutes=plan.minutes,
        skills_created=[s.name for s in plan.new_skills],
        evidence=len(evidence),
        duplicates=plan.duplicates,
        invalid=len(plan.errors),
        settings_restored=plan.restore_settings,
    )


async def run_import(
    uow: UnitOfWork, user_id: int, imported: ImportFile, now: datetime
) -> ImportResult:
    """Plan against the current history, write it all, and commit: one transaction."""
    # Serialises two imports (or an import and a /log) of one user on PostgreSQL, so the
    # duplicate and 24-hour checks see each other's rows; SQLite writers are serial anyway.
    await uow.users.lock(user_id)
    plan = await plan_import(uow, user_id, imported)
    result = await write_plan(uow, user_id, plan, now)
    await uow.commit()
    return result
