"""streak_runs and skill_totals follow every write to practice_logs (triggers, migration 0009).

After any sequence of writes, through every path that adds, removes or re-dates a session
(the one-statement checked insert, typed or Quick Log, batched imports, edits, deletes, undo's
restore, a skill's or a user's cascade), the stored runs and totals equal a from-scratch
recomputation over the sessions.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.domain.practice import SessionDraft
from storage.db import create_engine, create_session_factory
from storage.models import ALL_SKILLS_SERIES, PracticeLog, Skill, SkillTotal, StreakRun, User
from storage.repositories.practice_logs import AroundSkillName
from storage.repositories.transfer import NewLog
from storage.uow import UnitOfWork
from tests.support import TODAY

START = TODAY - timedelta(days=12)
DAYS = st.integers(min_value=0, max_value=12).map(lambda n: START + timedelta(days=n))
SKILL = st.integers(min_value=0, max_value=2)
# Which user acts: two users interleave so a write to one never touches the other's runs.
WHO = st.integers(min_value=0, max_value=1)
PICK = st.integers(min_value=0, max_value=10_000)

OPERATIONS = st.one_of(
    st.tuples(st.just("add"), WHO, SKILL, DAYS),
    st.tuples(st.just("quick"), WHO, SKILL, DAYS),
    st.tuples(st.just("import"), WHO, SKILL, st.lists(DAYS, min_size=1, max_size=8)),
    st.tuples(st.just("redate"), WHO, PICK, DAYS),
    st.tuples(st.just("minutes"), WHO, PICK, st.integers(min_value=1, max_value=90)),
    st.tuples(st.just("delete"), WHO, PICK),
    st.tuples(st.just("delete_and_undo"), WHO, PICK),
    st.tuples(st.just("delete_skill"), WHO, SKILL),
)
# A fresh pair of users per example, so examples never see each other's rows.
_user_ids = itertools.count(500_000, 2)


def _runs(days: set[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


async def _recomputed(uow: UnitOfWork, users: list[int]) -> tuple[Any, Any]:
    """Runs and totals computed from the sessions alone."""
    rows = (
        await uow.session.execute(
            select(
                PracticeLog.user_id,
                PracticeLog.skill_id,
                PracticeLog.practiced_on,
                PracticeLog.duration_minutes,
            ).where(PracticeLog.user_id.in_(users))
        )
    ).all()
    days: dict[tuple[int, int], set[date]] = defaultdict(set)
    totals: dict[int, tuple[int, int, date | None, date | None]] = {}
    skills = (await uow.session.scalars(select(Skill.id).where(Skill.user_id.in_(users)))).all()
    for skill_id in skills:
        totals[skill_id] = (0, 0, None, None)
    for user_id, skill_id, day, minutes in rows:
        days[(user_id, skill_id)].add(day)
        days[(user_id, ALL_SKILLS_SERIES)].add(day)
        sessions, total, first, last = totals[skill_id]
        first = day if first is None else min(first, day)
        last = day if last is None else max(last, day)
        totals[skill_id] = (sessions + 1, total + minutes, first, last)
    runs = sorted(
        (user_id, skill_id, first, last)
        for (user_id, skill_id), series in days.items()
        for first, last in _runs(series)
    )
    return runs, totals


async def _stored(uow: UnitOfWork, users: list[int]) -> tuple[Any, Any]:
    runs = (
        await uow.session.execute(
            select(
                StreakRun.user_id, StreakRun.skill_id, StreakRun.first_day, StreakRun.last_day
            ).where(StreakRun.user_id.in_(users))
        )
    ).all()
    totals = (
        await uow.session.execute(
            select(
                SkillTotal.skill_id,
                SkillTotal.sessions,
                SkillTotal.minutes,
                SkillTotal.first_day,
                SkillTotal.last_day,
            )
            .join(Skill, Skill.id == SkillTotal.skill_id)
            .where(Skill.user_id.in_(users))
        )
    ).all()
    return sorted(tuple(run) for run in runs), {row[0]: tuple(row[1:]) for row in totals}


async def _log_ids(uow: UnitOfWork, user_id: int) -> list[int]:
    found = await uow.session.scalars(
        select(PracticeLog.id).where(PracticeLog.user_id == user_id).order_by(PracticeLog.id)
    )
    return list(found.all())


async def _apply(uow: UnitOfWork, op: tuple[Any, ...], user_id: int, skills: list[int]) -> None:
    """One write, through the repository method the application uses for it."""
    kind = op[0]
    logs = uow.practice_logs
    if kind == "add":
        typed = SessionDraft(skills[op[2]], op[3], 20, "Property test session")
        await logs.add_checked(
            user_id, typed, "Property test session", max_day_minutes=1440, dates_since=START
        )
    elif kind == "quick":
        quick = SessionDraft(skills[op[2]], op[3], 15, None, source="quick")
        await logs.add_checked(
            user_id,
            quick,
            AroundSkillName("Quick practice of "),
            max_day_minutes=1440,
            dates_since=START,
        )
    elif kind == "import":
        stamp = datetime(2026, 11, 25, tzinfo=UTC)
        batch = [
            NewLog(
                skills[op[2]],
                day,
                30,
                "Imported practice session",
                source="import",
                created_at=stamp,
                updated_at=stamp,
            )
            for day in op[3]
        ]
        await uow.transfer.add_logs(user_id, batch)
    elif kind == "delete_skill":
        # The cascade takes its sessions; a new skill takes its place for the writes that follow.
        await uow.skills.delete(user_id, skills[op[2]])
        name = f"Skill {len(skills)}"
        skills[op[2]] = (await uow.skills.add(user_id, name, name.lower())).id
        skills.append(skills[op[2]])
    else:
        ids = await _log_ids(uow, user_id)
        if not ids:
            return
        log_id = ids[op[2] % len(ids)]
        if kind == "redate":
            await logs.update(user_id, log_id, {"practiced_on": op[3]})
        elif kind == "minutes":
            await logs.update(user_id, log_id, {"duration_minutes": op[3]})
        elif kind == "delete":
            await logs.delete(user_id, log_id)
        else:
            snapshot = await uow.undo.session_rows(user_id, log_id)
            assert snapshot is not None
            await logs.delete(user_id, log_id)
            await uow.session.flush()
            await uow.undo.restore_session(user_id, snapshot)


async def _run(url: str, operations: list[tuple[Any, ...]]) -> None:
    engine = create_engine(url)
    factory = create_session_factory(engine)
    first = next(_user_ids)
    users = [first, first + 1]
    try:
        skills: dict[int, list[int]] = {}
        async with UnitOfWork(factory) as uow:
            for user_id in users:
                uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
            await uow.session.flush()
            for user_id in users:
                skills[user_id] = [
                    (await uow.skills.add(user_id, name, name.lower())).id
                    for name in ("Guitar", "Chess", "Spanish")
                ]
            await uow.commit()
        for op in operations:
            user_id = users[op[1]]
            async with UnitOfWork(factory) as uow:
                await _apply(uow, op, user_id, skills[user_id])
                await uow.commit()
        async with UnitOfWork(factory) as uow:
            assert await _stored(uow, users) == await _recomputed(uow, users)
            # /deletemydata: the erase cascades, and nothing derived is left behind.
            for user_id in users:
                await uow.users.delete(user_id)
            await uow.commit()
        async with UnitOfWork(factory) as uow:
            assert await _stored(uow, users) == ([], {})
    finally:
        await engine.dispose()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATIONS, max_size=20))
def test_stored_runs_and_totals_equal_a_recomputation_after_any_writes(
    db_url: str, operations: list[tuple[Any, ...]]
) -> None:
    asyncio.run(_run(db_url, operations))


@pytest.mark.parametrize(
    "days",
    [
        # Each shape of change around one date: extend left, extend right, bridge two runs, split
        # one, and trim either end.
        [0, 1, 2, 4, 5, 6],
        [3, 2, 1, 0],
        [0, 2, 1],
    ],
)
def test_a_gap_filled_and_reopened_leaves_the_runs_a_recomputation_gives(
    db_url: str, days: list[int]
) -> None:
    adds = [("add", 0, 0, START + timedelta(days=d)) for d in days]
    middle = ("delete", 0, len(days) // 2)
    asyncio.run(_run(db_url, [*adds, middle, ("redate", 0, 0, START + timedelta(days=9))]))


def test_a_batch_import_joins_the_runs_on_either_side_and_a_skill_delete_splits_them(
    db_url: str,
) -> None:
    def day(n: int) -> date:
        return START + timedelta(days=n)

    around = [("add", 0, 0, day(n)) for n in (0, 1, 2, 9, 10)] + [("add", 0, 1, day(11))]
    batch = ("import", 0, 0, [day(n) for n in range(3, 9)])
    asyncio.run(_run(db_url, [*around, batch]))
    asyncio.run(_run(db_url, [*around, batch, ("delete_skill", 0, 0)]))
