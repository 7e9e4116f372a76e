"""Shared fixtures: real databases, a controllable clock, and the real Application on a fake API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application, on_shutdown
from bot.config import Settings
from bot.core.runtime import BotApp
from storage.db import create_engine, create_session_factory
from storage.uow import UnitOfWork
from tests.chat import ChatUser
from tests.db import BACKENDS, TemplateDatabases
from tests.fakebot import FakeBotApi, FakeRequest
from tests.support import TEST_TOKEN, FakeClock, UnitOfWorkFactory

# RetryAfter.retry_after as a timedelta (PTB's future default) instead of a deprecated int.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> TemplateDatabases:
    """Migrated template databases, made once per run."""
    return TemplateDatabases(tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, templates: TemplateDatabases, tmp_path: Path) -> str:
    """A clean, migrated database for this test (SQLite file; PostgreSQL too in CI)."""
    return templates.url_for(request.param, tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    """The application's clock, starting 2026-11-25 12:00 UTC."""
    return FakeClock()


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings as production reads them, pointed at the test database."""
    return Settings(
        telegram_bot_token=TEST_TOKEN,  # type: ignore[arg-type]
        database_url=db_url,
        default_timezone="UTC",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def api(clock: FakeClock) -> FakeBotApi:
    """The fake Bot API the application talks to; message dates follow the test clock."""
    return FakeBotApi(clock=lambda: clock().timestamp())


@pytest.fixture
async def app(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The real Application, built by production's builder, on the fake API."""
    application = build_application(
        settings,
        request=FakeRequest(api),
        get_updates_request=FakeRequest(api),
        clock=clock,
        with_updater=False,
    )
    await application.initialize()
    yield application
    await application.shutdown()
    # post_shutdown (which disposes the engine) only runs under run_polling/run_webhook.
    await on_shutdown(application)


@pytest.fixture
def sarah(app: BotApp, api: FakeBotApi) -> ChatUser:
    """A user chatting with the bot."""
    return ChatUser(app, api, user_id=1001, first_name="Sarah")


@pytest.fixture
def mallory(app: BotApp, api: FakeBotApi) -> ChatUser:
    """Another user, who tries to touch Sarah's data."""
    return ChatUser(app, api, user_id=2002, first_name="Mallory")


@pytest.fixture
async def uow_factory(db_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    """Open units of work on the test database directly (for seeding and checking rows)."""
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    yield lambda: UnitOfWork(factory)
    await engine.dispose()
