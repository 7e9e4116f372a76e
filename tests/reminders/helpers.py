"""Seeding and inspection helpers for reminder tests (rows written straight to the test DB)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from bot.app import build_application, on_shutdown
from bot.config import Settings
from bot.core.runtime import BotApp, Deps
from storage.models import PracticeLog, SendLedger, Skill, User
from tests.fakebot import FakeBotApi, FakeRequest
from tests.support import UnitOfWorkFactory

JOINED = datetime(2026, 1, 1, tzinfo=UTC)


def deps_of(app: BotApp) -> Deps:
    """The application's dependencies, as the sweep job gets them."""
    deps: Deps = app.bot_data["deps"]
    return deps


@asynccontextmanager
async def another_app(
    settings: Settings, api: FakeBotApi, clock: Callable[[], datetime]
) -> AsyncIterator[BotApp]:
    """A second Application on the same database and fake API (a restart, or another instance)."""
    app = build_application(
        settings,
        request=FakeRequest(api),
        get_updates_request=FakeRequest(api),
        clock=clock,
        with_updater=False,
    )
    await app.initialize()
    try:
        yield app
    finally:
        await app.shutdown()
        await on_shutdown(app)


def chats(api: FakeBotApi, method: str = "sendMessage", *, since: int = 0) -> list[int]:
    """Chat ids the bot successfully sent `method` to (after api.mark() `since`), in order."""
    return [
        int(call.chat_id) for call in api.calls_since(since) if call.method == method and call.ok
    ]


def texts_to(api: FakeBotApi, chat_id: int) -> list[str]:
    """Texts of the messages the bot sent to one chat."""
    return [call.text or "" for call in api.sent("sendMessage", chat_id) if call.ok]


async def add_user(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    timezone: str = "UTC",
    *,
    joined: datetime = JOINED,
    **columns: Any,
) -> None:
    """A registered user with reminder settings (defaults unless given)."""
    async with uow_factory() as uow:
        uow.session.add(
            User(
                id=user_id,
                chat_id=user_id,
                first_name=f"User{user_id}",
                timezone=timezone,
                created_at=joined,
                **columns,
            )
        )
        await uow.commit()


async def add_sessions(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    days: Iterable[date],
    *,
    skill: str = "Guitar",
    minutes: int = 30,
) -> int:
    """One session of `minutes` on each day (the skill is created if needed); its id."""
    async with uow_factory() as uow:
        found = await uow.skills.by_name_key(user_id, skill.casefold())
        skill_row = found or await uow.skills.add(user_id, skill, skill.casefold())
        for day in days:
            uow.session.add(
                PracticeLog(
                    user_id=user_id,
                    skill_id=skill_row.id,
                    practiced_on=day,
                    duration_minutes=minutes,
                    description=f"Practised {skill} scales",
                )
            )
        await uow.commit()
        return skill_row.id


async def ledger(
    uow_factory: UnitOfWorkFactory, user_id: int | None = None
) -> list[tuple[Any, ...]]:
    """(user_id, kind, period_key, status) of ledger rows, ordered."""
    async with uow_factory() as uow:
        query = select(
            SendLedger.user_id, SendLedger.kind, SendLedger.period_key, SendLedger.status
        ).order_by(SendLedger.user_id, SendLedger.kind, SendLedger.period_key)
        if user_id is not None:
            query = query.where(SendLedger.user_id == user_id)
        return [tuple(row) for row in (await uow.session.execute(query)).all()]


async def user_row(uow_factory: UnitOfWorkFactory, user_id: int) -> User:
    """The users row as stored now."""
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        uow.session.expunge(user)  # keep its loaded values past the unit's rollback
        return user


async def skill_id(uow_factory: UnitOfWorkFactory, user_id: int, name: str) -> int:
    """The id of the user's skill called `name`."""
    async with uow_factory() as uow:
        value = await uow.session.scalar(
            select(Skill.id).where(Skill.user_id == user_id, Skill.name == name)
        )
        assert value is not None
        return int(value)
