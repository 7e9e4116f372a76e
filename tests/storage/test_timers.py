"""The database keeps a user to one running timer, and a claim gives a timer to one caller."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage.models import Timer
from tests.seed import seed_skills
from tests.support import SARAH, UnitOfWorkFactory

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def test_one_timer_per_user_is_enforced_by_the_database(
    uow_factory: UnitOfWorkFactory,
) -> None:
    skills = await seed_skills(uow_factory, "Guitar", "Piano")
    async with uow_factory() as uow:
        first = await uow.timers.start(
            SARAH, skill_id=skills["Guitar"], chat_id=SARAH, intention=None, now=NOW, refresh_at=NOW
        )
        second = await uow.timers.start(
            SARAH, skill_id=skills["Piano"], chat_id=SARAH, intention=None, now=NOW, refresh_at=NOW
        )
        await uow.commit()
    assert first is not None and second is None
    async with uow_factory() as uow:
        uow.session.add(
            Timer(
                user_id=SARAH,
                skill_id=skills["Piano"],
                chat_id=SARAH,
                started_at=NOW,
                last_seen_at=NOW,
                refresh_at=NOW,
            )
        )
        with pytest.raises(IntegrityError):
            await uow.session.flush()


async def test_a_stop_claim_goes_to_one_caller_and_ids_are_never_reused(
    uow_factory: UnitOfWorkFactory,
) -> None:
    skills = await seed_skills(uow_factory, "Guitar")
    ids = []
    for _ in range(2):
        async with uow_factory() as uow:
            timer_id = await uow.timers.start(
                SARAH,
                skill_id=skills["Guitar"],
                chat_id=SARAH,
                intention=None,
                now=NOW,
                refresh_at=NOW + timedelta(minutes=1),
            )
            assert timer_id is not None
            ids.append(timer_id)
            assert await uow.timers.claim_stop(2002, timer_id) is None  # not the owner
            assert await uow.timers.claim_stop(SARAH, timer_id) is not None
            assert await uow.timers.claim_stop(SARAH, timer_id) is None
            await uow.commit()
    assert ids[1] > ids[0]  # an old message's buttons can never reach the newer timer


async def test_refreshes_are_claimed_longest_due_first_whatever_order_rows_come_back_in(
    uow_factory: UnitOfWorkFactory,
) -> None:
    # Later rows are more overdue, so an order by id (SQLite's RETURNING) would be wrong.
    users = [SARAH + n for n in range(4)]
    for n, user_id in enumerate(users):
        skills = await seed_skills(uow_factory, "Guitar", user_id=user_id)
        async with uow_factory() as uow:
            timer_id = await uow.timers.start(
                user_id,
                skill_id=skills["Guitar"],
                chat_id=user_id,
                intention=None,
                now=NOW,
                refresh_at=NOW - timedelta(minutes=n),
            )
            assert timer_id is not None
            await uow.timers.set_message(user_id, timer_id, 100 + n)
            await uow.commit()
    async with uow_factory() as uow:
        claimed = await uow.timers.claim_refreshes(
            NOW, fast_since=NOW, fast_next=NOW, slow_next=NOW + timedelta(minutes=5), limit=3
        )
        await uow.commit()
    assert [row.user_id for row, _ in claimed] == [users[3], users[2], users[1]]
