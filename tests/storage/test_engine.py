"""The SQLite engine's shortcuts (no pool reset, BEGIN IMMEDIATE sent to the driver) lose nothing.

A connection goes back to the pool without the pool's reset ROLLBACK, so whatever ends a
transaction must be SQLAlchemy's own handling: these tests leave one open in every way the
code can and check that the next user of the pooled connection starts clean.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, insert, select

from storage.db import create_engine, create_session_factory
from storage.models import PracticeLog, Skill, User
from storage.uow import UnitOfWork

ALICE = 4242


async def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                select(func.count()).select_from(PracticeLog).where(PracticeLog.user_id == ALICE)
            )
            return int(found or 0)
    finally:
        await engine.dispose()


async def test_a_connection_closed_mid_transaction_comes_back_clean(db_url: str) -> None:
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    try:
        async with UnitOfWork(factory) as uow:
            uow.session.add(User(id=ALICE, chat_id=ALICE, timezone="UTC"))
            await uow.session.flush()
            skill = await uow.skills.add(ALICE, "Chess", "chess")
            await uow.commit()
        row = {
            "user_id": ALICE,
            "skill_id": skill.id,
            "practiced_on": date(2026, 11, 25),
            "duration_minutes": 30,
            "description": "Left uncommitted on purpose",
        }
        # A plain connection closed with its transaction open, then a unit of work left
        # without commit: neither write may survive, and the pooled connection must take the
        # next BEGIN IMMEDIATE (SQLite refuses a BEGIN inside an open transaction).
        async with engine.connect() as conn:
            await conn.execute(insert(PracticeLog).values(row))
        async with UnitOfWork(factory) as uow:
            await uow.session.execute(insert(PracticeLog).values(row))
        async with engine.begin() as conn:
            await conn.execute(insert(PracticeLog).values(row))
        async with UnitOfWork(factory) as uow:
            names = await uow.session.scalars(select(Skill.name).where(Skill.user_id == ALICE))
            assert list(names) == ["Chess"]
    finally:
        await engine.dispose()
    assert await _count(db_url) == 1


def _locked_for_another_writer(db_url: str) -> bool:
    """Whether another connection is refused the write lock right now."""
    other = sqlite3.connect(db_url.split(":///", 1)[1], timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


async def test_the_first_statement_of_a_transaction_takes_the_write_lock(db_url: str) -> None:
    # BEGIN IMMEDIATE is sent with the transaction's first statement, whatever reads it.
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    try:
        async with UnitOfWork(factory) as uow:
            uow.session.add(User(id=ALICE, chat_id=ALICE, timezone="UTC"))
            await uow.commit()
        assert not _locked_for_another_writer(db_url)
        async with UnitOfWork(factory) as uow:
            await uow.session.execute(select(User.id))
            assert _locked_for_another_writer(db_url)
            await uow.commit()
        assert not _locked_for_another_writer(db_url)
        async with UnitOfWork(factory) as uow:  # the contact read goes to the driver
            await uow.users.ensure(ALICE, ALICE, None, "UTC")
            assert _locked_for_another_writer(db_url)
        assert not _locked_for_another_writer(db_url)
        async with UnitOfWork(factory) as uow:  # a streamed read
            result = await uow.session.stream(select(User.id))
            assert [row async for row in result] == [(ALICE,)]
            assert _locked_for_another_writer(db_url)
        async with UnitOfWork(factory) as uow:  # nothing run: nothing to end
            await uow.session.connection()
            assert not _locked_for_another_writer(db_url)
            await uow.commit()
        async with UnitOfWork(factory) as uow:
            assert await uow.session.scalar(select(func.count()).select_from(User)) == 1
        assert not _locked_for_another_writer(db_url)
    finally:
        await engine.dispose()
