"""Update processing: users concurrently, each user's updates in arrival order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.app import build_application
from bot.config import Settings
from bot.core.updates import PerUserUpdateProcessor, default_concurrency
from tests.support import TEST_TOKEN


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, from_user=user))


async def test_other_users_run_meanwhile_and_one_users_updates_wait_their_turn() -> None:
    processor = PerUserUpdateProcessor(4)
    gate = asyncio.Event()
    events: list[str] = []

    async def work(name: str, *, wait: bool = False) -> None:
        events.append(f"start {name}")
        if wait:
            await gate.wait()
        events.append(f"end {name}")

    first = asyncio.create_task(processor.process_update(_update(1, 10), work("10a", wait=True)))
    second = asyncio.create_task(processor.process_update(_update(2, 10), work("10b")))
    other = asyncio.create_task(processor.process_update(_update(3, 20), work("20")))
    await asyncio.wait_for(other, timeout=5)
    assert events == ["start 10a", "start 20", "end 20"]
    assert processor.users_in_progress == 1
    gate.set()
    await asyncio.wait_for(asyncio.gather(first, second), timeout=5)
    assert events[3:] == ["end 10a", "start 10b", "end 10b"]
    assert processor.users_in_progress == 0


async def test_updates_without_a_user_are_not_serialised() -> None:
    processor = PerUserUpdateProcessor(2)
    gate = asyncio.Event()

    async def blocked() -> None:
        await gate.wait()

    async def quick() -> None:
        return None

    waiting = asyncio.create_task(processor.process_update(object(), blocked()))
    await asyncio.wait_for(processor.process_update(object(), quick()), timeout=5)
    gate.set()
    await waiting


def test_concurrency_follows_the_backend_unless_configured(tmp_path: object) -> None:
    assert default_concurrency("sqlite") == 4
    assert default_concurrency("postgresql") == 8

    def settings(**extra: object) -> Settings:
        return Settings(
            telegram_bot_token=TEST_TOKEN,  # type: ignore[arg-type]
            database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db",
            _env_file=None,  # type: ignore[call-arg]
            **extra,  # type: ignore[arg-type]
        )

    default = build_application(settings()).update_processor
    assert isinstance(default, PerUserUpdateProcessor)
    assert default.concurrency == 4
    one_by_one = build_application(settings(concurrent_updates=1)).update_processor
    # Still ours (it marks inbox updates done), one at a time.
    assert isinstance(one_by_one, PerUserUpdateProcessor)
    assert one_by_one.concurrency == 1
    app = build_application(settings(concurrent_updates=6))
    assert isinstance(app.update_processor, PerUserUpdateProcessor)
    assert app.update_processor.concurrency == 6
