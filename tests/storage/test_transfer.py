"""TransferRepository and the bulk import service against real databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from bot.domain.errors import DomainError
from bot.domain.evidence import EvidenceKind
from bot.domain.export_format import ExportUser
from bot.domain.import_format import ImportEvidence, ImportFile, ImportRow
from bot.services.bulk_import import plan_import, run_import
from bot.services.skills import MAX_SKILLS
from storage.models import User
from tests.bot.transfer_helpers import add_evidence, add_log, add_skill, count_rows
from tests.support import UnitOfWorkFactory

A, B = 11, 22
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def make_users(uow_factory: UnitOfWorkFactory) -> None:
    """Two users, A and B."""
    async with uow_factory() as uow:
        for user_id in (A, B):
            uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
        await uow.commit()


def row(n: int, day: date, skill: str, minutes: int, text: str, **extra: object) -> ImportRow:
    """A valid imported row."""
    return ImportRow(
        row_number=n,
        practiced_on=day,
        skill_name=skill,
        duration_minutes=minutes,
        description=text,
        difficulty=None,
        confidence=None,
        **extra,  # type: ignore[arg-type]
    )


def csv_file(*rows: ImportRow) -> ImportFile:
    """What read_import returns for a spreadsheet with these valid rows."""
    return ImportFile(kind="spreadsheet-csv", rows=list(rows), errors=[], rows_read=len(rows))


async def test_export_reads_only_the_owners_rows_in_batches(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await make_users(uow_factory)
    mine = await add_skill(uow_factory, A, "React")
    theirs = await add_skill(uow_factory, B, "React")
    ids = [
        await add_log(uow_factory, A, mine, date(2026, 11, 20 - n), 10 + n, f"Session number {n}")
        for n in range(5)
    ]
    other = await add_log(uow_factory, B, theirs, date(2026, 11, 20), 60, "Someone else's work")
    await add_evidence(uow_factory, A, practice_log_id=ids[0], kind="note", note="one")
    await add_evidence(uow_factory, A, practice_log_id=ids[0], kind="note", note="two")
    await add_evidence(uow_factory, A, skill_id=mine, kind="note", note="skill note")
    await add_evidence(uow_factory, B, practice_log_id=other, kind="note", note="theirs")

    async with uow_factory() as uow:
        assert [s.id for s in await uow.transfer.skills(A)] == [mine]
        batches = [batch async for batch in uow.transfer.log_batches(A, batch_rows=2)]
        assert [len(batch) for batch in batches] == [2, 2, 1]
        logs = [log for batch in batches for log in batch]
        assert [log.id for log in logs] == list(reversed(ids))  # oldest date first
        assert {log.skill for log in logs} == {"React"}
        assert [e.note for e in await uow.transfer.evidence(A)] == ["one", "two", "skill note"]
        assert await uow.transfer.evidence_counts(A) == {ids[0]: 2}
        assert await uow.transfer.minutes_per_day(A, date(2026, 11, 19), date(2026, 11, 20)) == {
            date(2026, 11, 20): 10,
            date(2026, 11, 19): 11,
        }
        keys = await uow.transfer.session_keys(A, date(2026, 11, 20), date(2026, 11, 20))
        assert [(skill, text) for skill, _, _, text in keys] == [("react", "Session number 0")]
        assert [e.note for e in await uow.transfer.skill_evidence(A)] == ["skill note"]
        assert await uow.transfer.skill_ids_by_key(B) == {"react": theirs}


async def test_import_matches_skills_by_name_key_and_skips_stored_sessions(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await make_users(uow_factory)
    react = await add_skill(uow_factory, A, "React")
    await add_log(uow_factory, A, react, date(2026, 11, 20), 30, "Hooks and effects")
    # B's identical session must not count as a duplicate for A.
    b_react = await add_skill(uow_factory, B, "React")
    await add_log(uow_factory, B, b_react, date(2026, 11, 21), 45, "Context and reducers")
    imported = csv_file(
        row(2, date(2026, 11, 20), "REACT", 30, "Hooks and effects"),
        row(3, date(2026, 11, 21), "react", 45, "Context and reducers"),
        row(4, date(2026, 11, 21), "Go", 20, "Goroutines and channels"),
    )
    async with uow_factory() as uow:
        plan = await plan_import(uow, A, imported)
        assert plan.duplicates == 1
        assert [r.row_number for r in plan.sessions] == [3, 4]
        assert [s.name for s in plan.new_skills] == ["Go"]
        result = await run_import(uow, A, imported, NOW)
        await uow.commit()
    assert (result.sessions, result.duplicates, result.skills_created) == (2, 1, ["Go"])
    assert await count_rows(uow_factory, A) == (2, 3, 0)
    async with uow_factory() as uow:
        skills = await uow.transfer.skill_ids_by_key(A)
        assert set(skills) == {"react", "go"} and skills["react"] == react
        again = await run_import(uow, A, imported, NOW)
        await uow.commit()
    assert (again.sessions, again.duplicates) == (0, 3)
    assert await count_rows(uow_factory, B) == (1, 1, 0)


async def test_a_failed_write_changes_nothing(uow_factory: UnitOfWorkFactory) -> None:
    await make_users(uow_factory)
    # Evidence that bypassed validation (a link without a URL) fails the last insert.
    broken = ImportEvidence(
        source_id=1,
        practice_log_source_id=7,
        skill_name=None,
        kind=EvidenceKind.LINK,
        url=None,
        note=None,
        file=None,
        created_at=None,
    )
    imported = csv_file(
        row(2, date(2026, 11, 20), "React", 30, "Hooks and effects"),
        row(3, date(2026, 11, 21), "SQL", 30, "Joins and indexes", evidence=(broken,), source_id=7),
    )
    with pytest.raises(IntegrityError):
        async with uow_factory() as uow:
            await run_import(uow, A, imported, NOW)
            await uow.commit()
    assert await count_rows(uow_factory, A) == (0, 0, 0)


async def test_too_many_new_skills_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    await make_users(uow_factory)
    imported = csv_file(
        *(
            row(n + 2, date(2026, 1, 1 + n % 28), f"Skill {n}", 10, "Practice of many skills")
            for n in range(MAX_SKILLS + 1)
        )
    )
    async with uow_factory() as uow:
        with pytest.raises(DomainError, match=f"keep at most {MAX_SKILLS}"):
            await plan_import(uow, A, imported)


async def test_settings_are_restored_only_into_an_account_without_sessions(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await make_users(uow_factory)
    settings = {"weekly_goal_minutes": 120, "inactivity_days": 4, "streak_minute": 600}
    imported = ImportFile(
        kind="practice-tracker-json",
        rows=[row(1, date(2026, 11, 20), "React", 30, "Hooks and effects")],
        errors=[],
        rows_read=1,
        user=ExportUser(timezone="Asia/Tokyo", settings=settings),
    )
    async with uow_factory() as uow:
        result = await run_import(uow, A, imported, NOW)
        await uow.commit()
    assert result.settings_restored
    async with uow_factory() as uow:
        user = await uow.users.get(A)
        assert user is not None
        # inactivity_days 4 isn't a choice the bot offers: dropped, the default kept.
        assert (user.timezone, user.weekly_goal_minutes, user.inactivity_days) == (
            "Asia/Tokyo",
            120,
            2,
        )
        assert user.streak_minute == 600
        second = ImportFile(
            kind="practice-tracker-json",
            rows=[],
            errors=[],
            rows_read=0,
            user=ExportUser(timezone="Europe/Paris", settings={"weekly_goal_minutes": 60}),
        )
        plan = await plan_import(uow, A, second)
        assert not plan.restore_settings and not plan.has_work
