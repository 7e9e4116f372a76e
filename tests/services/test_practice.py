"""bot.services.practice on a real database: the one save path and the edit path."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from bot.domain.errors import DomainError
from bot.services.practice import (
    ArchivedSkill,
    DayIsFull,
    SessionDraft,
    UnknownLog,
    UnknownSkill,
    quick_options,
    save_practice_log,
    update_practice_log,
)
from storage.types import utcnow
from tests.seed import count_logs, logs, seed_skills
from tests.support import SARAH, TODAY, UnitOfWorkFactory

MALLORY = 2002


async def _save(uow_factory: UnitOfWorkFactory, draft: SessionDraft, user_id: int = SARAH):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        saved = await save_practice_log(uow, user_id, TODAY, draft)
        await uow.commit()
        return saved


def _draft(skill_id: int, minutes: int = 30, **fields: object) -> SessionDraft:
    values: dict[str, object] = {
        "skill_id": skill_id,
        "practiced_on": TODAY,
        "duration_minutes": minutes,
        "description": "Practised something useful",
    }
    values.update(fields)
    return SessionDraft(**values)  # type: ignore[arg-type]


async def test_save_returns_the_row_name_and_the_other_practice_dates(
    uow_factory: UnitOfWorkFactory,
) -> None:
    skills = await seed_skills(uow_factory, "React", "SQL")
    await _save(uow_factory, _draft(skills["SQL"], practiced_on=TODAY - timedelta(days=2)))
    await _save(uow_factory, _draft(skills["SQL"], practiced_on=TODAY - timedelta(days=500)))
    first = await _save(uow_factory, _draft(skills["React"]))
    assert first.created and first.skill_name == "React"
    # Other sessions' dates in the last 400 days, newest first; this one's own date excluded.
    assert first.other_dates == [TODAY - timedelta(days=2)]
    second = await _save(uow_factory, _draft(skills["React"], 10, description=None))
    assert second.log.description == "Quick practice: 10 min of React"
    assert second.other_dates == [TODAY, TODAY - timedelta(days=2)]


async def test_each_rule_is_reported(uow_factory: UnitOfWorkFactory) -> None:
    skills = await seed_skills(uow_factory, "React", "Old")
    chess = (await seed_skills(uow_factory, "Chess", user_id=MALLORY))["Chess"]
    async with uow_factory() as uow:
        old = await uow.skills.get(SARAH, skills["Old"])
        assert old is not None
        await uow.skills.set_archived(old, utcnow())
        await uow.commit()
    cases: list[tuple[SessionDraft, type[DomainError], str]] = [
        (_draft(chess), UnknownSkill, "no longer exists"),
        (_draft(9999), UnknownSkill, "no longer exists"),
        (_draft(skills["Old"]), ArchivedSkill, "Old is archived"),
        (_draft(skills["React"], 0), DomainError, "at least 1 minute"),
        (_draft(skills["React"], 1441), DomainError, "at most 24 hours"),
        (_draft(skills["React"], practiced_on=TODAY + timedelta(days=1)), DomainError, "future"),
        (_draft(skills["React"], description="short"), DomainError, "at least 10"),
        (_draft(skills["React"], difficulty=6), DomainError, "Difficulty is rated"),
        (_draft(skills["React"], confidence=0), DomainError, "Confidence is rated"),
    ]
    for draft, error, message in cases:
        with pytest.raises(error, match=message):
            await _save(uow_factory, draft)
    await _save(uow_factory, _draft(skills["React"], 1440))
    with pytest.raises(DayIsFull, match="24-hour limit") as full:
        await _save(uow_factory, _draft(skills["React"], 1))
    assert full.value.left == 0
    with pytest.raises(ValueError, match="source"):
        await _save(uow_factory, _draft(skills["React"], source="fax"))
    assert await count_logs(uow_factory) == 1


async def test_a_repeated_token_returns_the_first_session_even_when_the_day_is_full(
    uow_factory: UnitOfWorkFactory,
) -> None:
    react = (await seed_skills(uow_factory, "React"))["React"]
    first = await _save(uow_factory, _draft(react, 1440, client_token="tap-1"))
    again = await _save(uow_factory, _draft(react, 1440, client_token="tap-1"))
    assert not again.created and again.log.id == first.log.id
    assert again.skill_name == "React" and again.other_dates == []
    assert await count_logs(uow_factory) == 1


async def test_concurrent_saves_cannot_break_the_day_cap(uow_factory: UnitOfWorkFactory) -> None:
    react = (await seed_skills(uow_factory, "React"))["React"]

    async def save(n: int) -> bool:
        try:
            await _save(uow_factory, _draft(react, 500, client_token=f"t{n}"))
        except DayIsFull:
            return False
        return True

    results = await asyncio.gather(*(save(n) for n in range(4)))
    assert sorted(results) == [False, False, True, True]  # 2 x 500 fit in 1440, a third not
    assert sum(r.duration_minutes for r in await logs(uow_factory)) == 1000


async def test_update_validates_and_keeps_the_day_cap(uow_factory: UnitOfWorkFactory) -> None:
    react = (await seed_skills(uow_factory, "React"))["React"]
    await seed_skills(uow_factory, "Chess", user_id=MALLORY)
    a = await _save(uow_factory, _draft(react, 1000))
    b = await _save(uow_factory, _draft(react, 400, practiced_on=TODAY - timedelta(days=1)))
    async with uow_factory() as uow:
        # Editing a session leaves its own minutes out of the day total.
        edited = await update_practice_log(uow, SARAH, TODAY, a.log.id, {"duration_minutes": 1440})
        assert edited.duration_minutes == 1440
        with pytest.raises(DayIsFull):
            await update_practice_log(uow, SARAH, TODAY, b.log.id, {"practiced_on": TODAY})
        with pytest.raises(DomainError, match="future"):
            await update_practice_log(
                uow, SARAH, TODAY, b.log.id, {"practiced_on": TODAY + timedelta(days=1)}
            )
        with pytest.raises(DomainError, match="at least 10"):
            await update_practice_log(uow, SARAH, TODAY, b.log.id, {"description": "x"})
        with pytest.raises(UnknownLog):
            await update_practice_log(uow, MALLORY, TODAY, b.log.id, {"difficulty": 2})
        cleared = await update_practice_log(
            uow, SARAH, TODAY, b.log.id, {"difficulty": 5, "confidence": None}
        )
        assert (cleared.difficulty, cleared.confidence) == (5, None)
        await uow.commit()
    rows = await logs(uow_factory)
    assert [(r.duration_minutes, r.practiced_on, r.difficulty) for r in rows] == [
        (1440, TODAY, None),
        (400, TODAY - timedelta(days=1), 5),
    ]


async def test_quick_options_offer_active_skills_and_the_last_session(
    uow_factory: UnitOfWorkFactory,
) -> None:
    skills = await seed_skills(uow_factory, "React", "Guitar")
    async with uow_factory() as uow:
        assert (await quick_options(uow, SARAH)).repeat is None
    await _save(uow_factory, _draft(skills["Guitar"], 25, practiced_on=date(2026, 11, 24)))
    async with uow_factory() as uow:
        options = await quick_options(uow, SARAH)
        assert [s.name for s in options.skills] == ["Guitar", "React"]
        assert options.repeat is not None and options.repeat.minutes == 25
        guitar = await uow.skills.get(SARAH, skills["Guitar"])
        assert guitar is not None
        await uow.skills.set_archived(guitar, utcnow())
        options = await quick_options(uow, SARAH)
        assert [s.name for s in options.skills] == ["React"] and options.repeat is None
