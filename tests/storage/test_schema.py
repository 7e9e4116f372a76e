"""The database enforces what it can: ownership, ranges, cascades, uniqueness, concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.models import Conversation, Evidence, PracticeLog, Skill, User
from tests.seed import seed_session_with_link_and_note
from tests.support import UnitOfWorkFactory

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def _count(uow_factory: UnitOfWorkFactory, model: type[object]) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_deleting_a_skill_cascades_to_sessions_and_evidence(
    uow_factory: UnitOfWorkFactory,
) -> None:
    skill_id, _ = await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        assert await uow.skills.delete(user_id=2, skill_id=skill_id) is False
        assert await uow.skills.delete(user_id=1, skill_id=skill_id) is True
        await uow.commit()
    assert await _count(uow_factory, PracticeLog) == 0
    assert await _count(uow_factory, Evidence) == 0


async def test_deleting_a_user_erases_everything_they_own(uow_factory: UnitOfWorkFactory) -> None:
    await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        await uow.users.delete(1)
        await uow.commit()
    for model in (Skill, PracticeLog, Evidence):
        assert await _count(uow_factory, model) == 0
    assert await _count(uow_factory, User) == 1


async def test_a_session_cannot_pair_one_users_skill_with_another_user(
    uow_factory: UnitOfWorkFactory,
) -> None:
    skill_id, log_id = await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        uow.session.add(
            PracticeLog(
                user_id=2,
                skill_id=skill_id,
                practiced_on=date(2026, 11, 20),
                duration_minutes=30,
                description="Sneaky session here",
            )
        )
        with pytest.raises(IntegrityError):
            await uow.session.flush()
    async with uow_factory() as uow:
        uow.session.add(Evidence(user_id=2, practice_log_id=log_id, kind="note", note="mine now"))
        with pytest.raises(IntegrityError):
            await uow.session.flush()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_minutes", 0),
        ("duration_minutes", 1441),
        ("description", "too short"),
        ("description", "x" * 501),
        ("difficulty", 0),
        ("difficulty", 6),
        ("confidence", 6),
    ],
)
async def test_check_constraints_refuse_out_of_range_sessions(
    uow_factory: UnitOfWorkFactory, field: str, value: object
) -> None:
    skill_id, _ = await seed_session_with_link_and_note(uow_factory)
    fields: dict[str, object] = {"duration_minutes": 30, "description": "A fine description"}
    fields[field] = value
    async with uow_factory() as uow:
        uow.session.add(
            PracticeLog(user_id=1, skill_id=skill_id, practiced_on=date(2026, 11, 21), **fields)
        )
        # PostgreSQL refuses an over-long VARCHAR before the CHECK runs (a DataError).
        with pytest.raises(DBAPIError):
            await uow.session.flush()


async def test_skill_names_are_unique_per_user_by_key(uow_factory: UnitOfWorkFactory) -> None:
    await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        await uow.skills.add(2, "React", "react")  # another user may reuse the name
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.skills.add(1, "REACT", "react")


async def test_evidence_must_match_its_kind(uow_factory: UnitOfWorkFactory) -> None:
    skill_id, _ = await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        uow.session.add(Evidence(user_id=1, skill_id=skill_id, kind="link"))
        with pytest.raises(IntegrityError):
            await uow.session.flush()


async def test_expired_conversations_are_popped_exactly_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        uow.session.add_all(
            [
                Conversation(
                    user_id=1,
                    chat_id=1,
                    name="log",
                    state="duration",
                    data={"a": 1},
                    expires_at=NOW - timedelta(minutes=1),
                ),
                Conversation(
                    user_id=2,
                    chat_id=2,
                    name="log",
                    state="duration",
                    data={},
                    expires_at=NOW + timedelta(minutes=10),
                ),
            ]
        )
        await uow.commit()

    async def pop() -> list[int]:
        async with uow_factory() as uow:
            expired = await uow.conversations.pop_expired(NOW)
            await uow.commit()
            return [e.user_id for e in expired]

    results = await asyncio.gather(pop(), pop(), pop())
    assert sorted(uid for batch in results for uid in batch) == [1]


async def test_concurrent_writers_wait_instead_of_failing(uow_factory: UnitOfWorkFactory) -> None:
    """Read-then-write transactions racing each other all succeed (BEGIN IMMEDIATE on SQLite)."""
    skill_id, _ = await seed_session_with_link_and_note(uow_factory)

    async def log_one(n: int) -> None:
        async with uow_factory() as uow:
            total = await uow.session.scalar(
                select(func.count()).select_from(PracticeLog).where(PracticeLog.user_id == 1)
            )
            await asyncio.sleep(0)
            uow.session.add(
                PracticeLog(
                    user_id=1,
                    skill_id=skill_id,
                    practiced_on=date(2026, 11, 21),
                    duration_minutes=5,
                    description=f"Concurrent session {n} after {total}",
                )
            )
            await uow.commit()

    await asyncio.gather(*(log_one(n) for n in range(20)))
    assert await _count(uow_factory, PracticeLog) == 21


async def test_timestamps_come_back_aware_utc(uow_factory: UnitOfWorkFactory) -> None:
    await seed_session_with_link_and_note(uow_factory)
    async with uow_factory() as uow:
        user = await uow.users.get(1)
        assert user is not None
        assert user.created_at.tzinfo is not None
        assert user.created_at.utcoffset() == timedelta(0)
