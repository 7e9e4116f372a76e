"""Analytics aggregates: per-user totals, daily sums, and SQL streak islands that match Python."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert

from bot.domain.streaks import compute_streak, streak_from_runs
from storage.models import PracticeLog, User
from storage.repositories.analytics import ALL_SKILLS
from tests.support import UnitOfWorkFactory

TODAY = date(2026, 11, 25)


async def _user_with_skills(uow_factory: UnitOfWorkFactory, user_id: int, *names: str) -> list[int]:
    async with uow_factory() as uow:
        uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
        await uow.session.flush()
        ids = [(await uow.skills.add(user_id, n, n.casefold())).id for n in names]
        await uow.commit()
        return ids


async def _log(
    uow_factory: UnitOfWorkFactory, user_id: int, rows: list[tuple[int, date, int]]
) -> None:
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(PracticeLog),
            [
                {
                    "user_id": user_id,
                    "skill_id": skill_id,
                    "practiced_on": day,
                    "duration_minutes": minutes,
                    "description": "practice session",
                }
                for skill_id, day, minutes in rows
            ],
        )
        await uow.commit()


def _day(n: int) -> date:
    return TODAY - timedelta(days=n)


async def test_totals_and_daily_sums_are_per_user(uow_factory: UnitOfWorkFactory) -> None:
    guitar, spanish = await _user_with_skills(uow_factory, 1, "Guitar", "Spanish")
    [other] = await _user_with_skills(uow_factory, 2, "Guitar")
    await _log(
        uow_factory,
        1,
        [
            (guitar, _day(0), 30),
            (guitar, _day(0), 15),
            (guitar, _day(3), 60),
            (spanish, _day(40), 20),
        ],
    )
    await _log(uow_factory, 2, [(other, _day(0), 999)])
    async with uow_factory() as uow:
        totals = {t.name: t for t in await uow.analytics.skill_totals(1)}
        assert (totals["Guitar"].sessions, totals["Guitar"].minutes) == (3, 105)
        assert totals["Guitar"].first_practiced == _day(3)
        assert totals["Guitar"].last_practiced == _day(0)
        assert (totals["Spanish"].sessions, totals["Spanish"].minutes) == (1, 20)
        daily = await uow.analytics.daily_totals(1, _day(7), TODAY)
        assert [(r.day, r.skill_id, r.minutes, r.sessions) for r in daily] == [
            (_day(3), guitar, 60, 1),
            (_day(0), guitar, 45, 2),
        ]
        days = await uow.analytics.practice_days(1)
        assert (days.count, days.first, days.last) == (3, _day(40), _day(0))
        assert await uow.analytics.last_practiced_before(1, guitar, _day(1)) == _day(3)
        assert await uow.analytics.practice_dates(1, _day(50), TODAY, spanish) == [_day(40)]
        assert await uow.analytics.has_practice(2)
        assert await uow.analytics.skill_totals(1, other) == []


async def test_islands_give_the_same_streaks_as_python(uow_factory: UnitOfWorkFactory) -> None:
    skills = await _user_with_skills(uow_factory, 1, "A", "B", "C")
    rng = random.Random(6)
    rows = []
    for skill_id in skills:
        for n in range(400):
            # Runs of varied length with gaps, several sessions on some days, some in the future.
            if rng.random() < 0.6:
                rows.extend((skill_id, _day(n - 2), 10) for _ in range(rng.randint(1, 2)))
    await _log(uow_factory, 1, rows)
    async with uow_factory() as uow:
        islands = await uow.analytics.streak_islands(1, TODAY)
    overall = [i for i in islands if i.skill_id == ALL_SKILLS]
    per_skill = [i for i in islands if i.skill_id != ALL_SKILLS]
    assert {i.skill_id for i in per_skill} == set(skills)
    assert len(overall) <= 3
    expected = compute_streak((day for _, day, _ in rows), TODAY)
    assert streak_from_runs(((i.start, i.end) for i in overall), TODAY) == expected
    assert all(i.length == (i.end - i.start).days + 1 for i in overall)
    for skill_id in skills:
        mine = [(i.start, i.end) for i in per_skill if i.skill_id == skill_id]
        assert 1 <= len(mine) <= 3
        wanted = compute_streak((day for sid, day, _ in rows if sid == skill_id), TODAY)
        assert streak_from_runs(mine, TODAY) == wanted


async def test_islands_of_a_user_without_practice(uow_factory: UnitOfWorkFactory) -> None:
    await _user_with_skills(uow_factory, 1, "A")
    async with uow_factory() as uow:
        assert await uow.analytics.streak_islands(1, TODAY) == []
        assert not await uow.analytics.has_practice(1)
        days = await uow.analytics.practice_days(1)
        assert (days.count, days.first) == (0, None)
