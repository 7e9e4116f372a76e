"""One send budget per instance: fractional rates work, replies and the sweep share it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import build_application, on_shutdown
from bot.config import Settings
from bot.core.runtime import BotApp
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi, FakeRequest
from tests.support import FakeClock


@pytest.fixture
async def slow_app(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The application with RATE_LIMIT_PER_SECOND=0.5 (an instance among 60 sharing 30/s)."""
    application = build_application(
        settings.model_copy(update={"rate_limit_per_second": 0.5}),
        request=FakeRequest(api),
        get_updates_request=FakeRequest(api),
        clock=clock,
        with_updater=False,
    )
    await application.initialize()
    yield application
    await application.shutdown()
    await on_shutdown(application)


async def test_a_rate_below_one_per_second_still_answers(slow_app: BotApp, api: FakeBotApi) -> None:
    sarah = ChatUser(slow_app, api, user_id=1001)
    await sarah.send("/start")
    assert "Practice Tracker" in sarah.last_text()
