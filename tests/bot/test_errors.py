"""When the database fails mid-update: rolled back, logged with a traceback, user told plainly."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import text

from bot.core.runtime import BotApp
from storage.models import Skill
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.support import UnitOfWorkFactory

SQLITE_TRIGGER = (
    "CREATE TRIGGER refuse_skills BEFORE INSERT ON skills "
    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
)
POSTGRES_TRIGGER = [
    "CREATE FUNCTION refuse_skills() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER refuse_skills BEFORE INSERT ON skills "
    "FOR EACH ROW EXECUTE FUNCTION refuse_skills()",
]


@pytest.fixture
async def break_skill_inserts(
    uow_factory: UnitOfWorkFactory,
) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Arm a real database failure on INSERT INTO skills; removed after the test."""

    async def arm() -> None:
        async with uow_factory() as uow:
            if uow.session.get_bind().dialect.name == "sqlite":
                await uow.session.execute(text(SQLITE_TRIGGER))
            else:
                for statement in POSTGRES_TRIGGER:
                    await uow.session.execute(text(statement))
            await uow.commit()

    yield arm
    async with uow_factory() as uow:
        await uow.session.execute(
            text(
                "DROP TRIGGER IF EXISTS refuse_skills"
                + ("" if uow.session.get_bind().dialect.name == "sqlite" else " ON skills")
            )
        )
        if uow.session.get_bind().dialect.name != "sqlite":
            await uow.session.execute(text("DROP FUNCTION IF EXISTS refuse_skills()"))
        await uow.commit()


async def test_a_failing_write_is_rolled_back_and_reported(
    app: BotApp,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    caplog: pytest.LogCaptureFixture,
    break_skill_inserts: Callable[[], Awaitable[None]],
) -> None:
    sarah = ChatUser(app, api, user_id=1001, first_name="Sarah", raise_errors=False)
    await sarah.send("/timezone Europe/Berlin")
    await break_skill_inserts()
    with caplog.at_level(logging.ERROR):
        await sarah.send("/addskill Guitar")
    assert "nothing was saved" in sarah.last_text()
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
    async with uow_factory() as uow:
        assert await uow.skills.count(1001) == 0
        user = await uow.users.get(1001)
        assert user is not None
        assert user.timezone == "Europe/Berlin"  # earlier, committed work is kept
    assert Skill.__tablename__ == "skills"


async def test_a_failing_conversation_step_changes_nothing(
    app: BotApp,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    break_skill_inserts: Callable[[], Awaitable[None]],
) -> None:
    sarah = ChatUser(app, api, user_id=1001, first_name="Sarah", raise_errors=False)
    await sarah.send("/skills")
    await sarah.tap("➕ Add skill")
    await break_skill_inserts()
    await sarah.send("Guitar")
    assert "nothing was saved" in sarah.last_text()
    assert "not sure what to do" not in " ".join(sarah.texts())
    async with uow_factory() as uow:
        assert await uow.skills.count(1001) == 0
        # The failed update rolled back as a whole: the conversation is still waiting.
        conv = await uow.conversations.get(1001)
        assert conv is not None
        assert conv.state == "add"
