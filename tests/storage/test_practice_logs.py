"""PracticeLogRepository on a real database: idempotent adds, owner scoping, day totals."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.domain.practice import SessionDraft
from storage.models import PracticeLog, Skill
from storage.repositories.practice_logs import AroundSkillName, LogChanges
from storage.types import utcnow
from storage.uow import UnitOfWork
from tests.seed import seed_react_and_chess
from tests.support import UnitOfWorkFactory

SARAH, MALLORY = 1001, 2002
DAY = date(2026, 11, 20)


async def _count(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(PracticeLog)) or 0)


def _draft(
    skill_id: int, minutes: int = 30, day: date = DAY, token: str | None = None
) -> SessionDraft:
    return SessionDraft(skill_id, day, minutes, "Built a todo list component", client_token=token)


async def _add(uow: UnitOfWork, user_id: int, draft: SessionDraft) -> PracticeLog | None:
    """Insert through the checked add the application saves with; None when a rule refused it."""
    assert draft.description is not None
    added = await uow.practice_logs.add_checked(
        user_id, draft, draft.description, max_day_minutes=1440, dates_since=date(2025, 1, 1)
    )
    return None if added is None else added.log


async def _added(uow: UnitOfWork, user_id: int, draft: SessionDraft) -> PracticeLog:
    log = await _add(uow, user_id, draft)
    assert log is not None
    return log


async def test_a_used_client_token_adds_nothing_again(uow_factory: UnitOfWorkFactory) -> None:
    react, _ = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        first = await _added(uow, SARAH, _draft(react, token="t1"))
        assert first.id > 0 and first.created_at is not None
        assert await _add(uow, SARAH, _draft(react, 60, token="t1")) is None
        other = await _added(uow, SARAH, _draft(react, token="t2"))
        assert other.id != first.id
        await uow.commit()
    async with uow_factory() as uow:  # a later transaction (a retried update) is refused too
        assert await _add(uow, SARAH, _draft(react, token="t1")) is None
        found = await uow.practice_logs.by_token(SARAH, "t1")
        assert found is not None and found.id == first.id and found.duration_minutes == 30
        await uow.commit()
    assert await _count(uow_factory) == 2


async def test_concurrent_adds_with_one_token_save_once(uow_factory: UnitOfWorkFactory) -> None:
    react, _ = await seed_react_and_chess(uow_factory)

    async def tap() -> bool:
        async with uow_factory() as uow:
            log = await _add(uow, SARAH, _draft(react, token="double"))
            await uow.commit()
            return log is not None

    results = await asyncio.gather(tap(), tap(), tap())
    assert sorted(results) == [False, False, True]
    assert await _count(uow_factory) == 1


async def test_tokens_are_per_user(uow_factory: UnitOfWorkFactory) -> None:
    react, chess = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        assert await _add(uow, SARAH, _draft(react, token="same")) is not None
        assert await _add(uow, MALLORY, _draft(chess, token="same")) is not None
        await uow.commit()
    assert await _count(uow_factory) == 2


async def test_every_read_and_write_is_scoped_to_the_owner(
    uow_factory: UnitOfWorkFactory,
) -> None:
    react, _ = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        log = await _added(uow, SARAH, _draft(react))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.practice_logs.get(MALLORY, log.id) is None
        assert await uow.practice_logs.update(MALLORY, log.id, {"duration_minutes": 5}) is None
        assert not await uow.practice_logs.delete(MALLORY, log.id)
        assert await uow.practice_logs.last_log(MALLORY) is None
        assert await uow.practice_logs.minutes_on_day(MALLORY, DAY) == 0
        await uow.commit()
    async with uow_factory() as uow:
        mine = await uow.practice_logs.get(SARAH, log.id)
        assert mine is not None and mine.duration_minutes == 30


async def test_update_changes_only_editable_fields(uow_factory: UnitOfWorkFactory) -> None:
    react, _ = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        log = await _added(uow, SARAH, _draft(react))
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(ValueError, match="skill_id"):
            await uow.practice_logs.update(SARAH, log.id, {"skill_id": 9})  # type: ignore[typeddict-unknown-key]
        changes: LogChanges = {"duration_minutes": 45, "difficulty": 4}
        changes["description"] = "Hooks and state"
        updated = await uow.practice_logs.update(SARAH, log.id, changes)
        assert updated is not None
        await uow.commit()
    async with uow_factory() as uow:
        row = await uow.practice_logs.get(SARAH, log.id)
        assert row is not None
        assert (row.duration_minutes, row.difficulty, row.description) == (45, 4, "Hooks and state")
        assert row.skill_id == react


async def test_delete_takes_the_row_once(uow_factory: UnitOfWorkFactory) -> None:
    react, _ = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        log = await _added(uow, SARAH, _draft(react))
        assert await uow.practice_logs.delete(SARAH, log.id)
        assert not await uow.practice_logs.delete(SARAH, log.id)
        await uow.commit()
    assert await _count(uow_factory) == 0


async def test_day_totals_last_log_and_practice_dates(uow_factory: UnitOfWorkFactory) -> None:
    react, _ = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        assert await uow.practice_logs.last_log(SARAH) is None
        a = await _added(uow, SARAH, _draft(react, 30, DAY))
        b = await _added(uow, SARAH, _draft(react, 45, DAY))
        await _added(uow, SARAH, _draft(react, 20, date(2026, 11, 18)))
        # Added last, but practised long ago (an import): not "the last session".
        await _added(uow, SARAH, _draft(react, 10, date(2025, 1, 1)))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.practice_logs.minutes_on_day(SARAH, DAY) == 75
        assert await uow.practice_logs.minutes_on_day(SARAH, DAY, exclude_log_id=a.id) == 45
        assert await uow.practice_logs.minutes_on_day(SARAH, date(2026, 11, 19)) == 0
        last = await uow.practice_logs.last_log(SARAH)
        assert last is not None and last.id == b.id
        dates = await uow.practice_logs.practice_dates(SARAH, date(2025, 6, 1), DAY)
        assert dates == [DAY, date(2026, 11, 18)]


async def test_database_refuses_a_log_on_another_users_skill(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _, chess = await seed_react_and_chess(uow_factory)
    async with uow_factory() as uow:
        # Past the repository's own checks: the composite foreign key still refuses it.
        uow.session.add(
            PracticeLog(
                user_id=SARAH,
                skill_id=chess,
                practiced_on=DAY,
                duration_minutes=30,
                description="Built a todo list component",
                source="chat",
            )
        )
        with pytest.raises(Exception, match="(?i)foreign key|violates"):
            await uow.session.flush()
    assert await _count(uow_factory) == 0
    async with uow_factory() as uow:
        skill = await uow.session.get(Skill, chess)
        assert skill is not None and skill.user_id == MALLORY


async def _checked(  # type: ignore[no-untyped-def]
    uow_factory: UnitOfWorkFactory,
    user_id: int = SARAH,
    *,
    description: str | AroundSkillName = "Built a todo list component",
    **fields: object,
):
    values: dict[str, object] = {"practiced_on": DAY, "duration_minutes": 30, "description": None}
    values.update(fields)
    draft = SessionDraft(**values)  # type: ignore[arg-type]
    async with uow_factory() as uow:
        added = await uow.practice_logs.add_checked(
            user_id, draft, description, max_day_minutes=1440, dates_since=date(2026, 1, 1)
        )
        await uow.commit()
        return added


async def test_add_checked_inserts_only_when_every_rule_holds(
    uow_factory: UnitOfWorkFactory,
) -> None:
    react, chess = await seed_react_and_chess(uow_factory)
    added = await _checked(
        uow_factory, skill_id=react, description=AroundSkillName("Quick: ", " (30 min)")
    )
    assert added is not None
    assert added.skill_name == "React" and added.other_dates == []
    assert added.log.description == "Quick: React (30 min)"
    assert added.log.created_at.tzinfo is not None
    # Refused: another user's skill, an unknown skill, over the day cap, a used token.
    assert await _checked(uow_factory, skill_id=chess) is None
    assert await _checked(uow_factory, skill_id=9999) is None
    assert await _checked(uow_factory, skill_id=react, duration_minutes=1411) is None
    assert await _checked(uow_factory, skill_id=react, client_token="t") is not None
    assert await _checked(uow_factory, skill_id=react, client_token="t") is None
    async with uow_factory() as uow:
        skill = await uow.skills.get(SARAH, react)
        assert skill is not None
        await uow.skills.set_archived(skill, utcnow())
        await uow.commit()
    assert await _checked(uow_factory, skill_id=react) is None  # archived
    assert await _count(uow_factory) == 2


async def test_add_checked_returns_the_row_exactly_as_stored(
    uow_factory: UnitOfWorkFactory,
) -> None:
    react, _ = await seed_react_and_chess(uow_factory)
    added = await _checked(
        uow_factory,
        skill_id=react,
        description=AroundSkillName("Quick practice: 30 min of ", ""),
        difficulty=4,
        source="quick",
        client_token="tok",
    )
    assert added is not None
    columns = [c.key for c in PracticeLog.__table__.c]
    async with uow_factory() as uow:
        stored = await uow.session.get(PracticeLog, added.log.id)
        assert stored is not None
        expected = {key: getattr(stored, key) for key in columns}
    assert {key: getattr(added.log, key) for key in columns} == expected
    assert expected["description"] == "Quick practice: 30 min of React"


async def test_add_checked_returns_the_other_sessions_dates_in_the_window(
    uow_factory: UnitOfWorkFactory,
) -> None:
    react, chess = await seed_react_and_chess(uow_factory)
    for day in (date(2026, 11, 18), DAY, date(2025, 12, 31)):
        assert await _checked(uow_factory, skill_id=react, practiced_on=day, duration_minutes=5)
    assert await _checked(uow_factory, MALLORY, skill_id=chess, practiced_on=date(2026, 11, 19))
    added = await _checked(uow_factory, skill_id=react, duration_minutes=5)
    assert added is not None
    # Same on SQLite and PostgreSQL: other rows only (DAY has another session), newest first,
    # not before dates_since, never another user's.
    assert added.other_dates == [DAY, date(2026, 11, 18)]
    async with uow_factory() as uow:  # the returned row is attached: it can be edited
        updated = await uow.practice_logs.update(SARAH, added.log.id, {"difficulty": 3})
        assert updated is not None and updated.difficulty == 3
        await uow.commit()
