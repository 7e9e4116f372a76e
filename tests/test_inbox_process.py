"""Durable intake as a real process: updates stored in the inbox survive a SIGKILL.

The bot is killed while its handlers wait on Telegram's answer to their first replies (held by
the fake), after the inbox stored a burst of 20 updates; Telegram has been told it has them
(polling: the next getUpdates offset; webhook: each POST's 200). After a restart every one is
answered, and every session is saved exactly once, each user's in the order sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import InboxUpdate, PracticeLog
from tests.botprocess import (
    BotProcess,
    bot_env,
    command_update,
    free_port,
    post_update,
    wait_for_port,
)
from tests.fakebot import ApiCall, FakeBotApiServer
from tests.reminders.helpers import add_sessions, add_user
from tests.support import TEST_TOKEN, UnitOfWorkFactory

pytestmark = pytest.mark.slow

USERS = (7001, 7002, 7003, 7004)
PER_USER = 5
SECRET = "inbox-secret_0123456789"


def _burst() -> list[tuple[int, int, str]]:
    """(update id, user, text): five sessions per user, interleaved."""
    burst = []
    for take in range(1, PER_USER + 1):
        for user in USERS:
            text = f"/log guitar 30m practised scales take {take}"
            burst.append((len(burst) + 1, user, text))
    return burst


async def _stored(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(InboxUpdate)) or 0)


async def _wait(condition: Callable[[], Awaitable[bool]], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(server: FakeBotApiServer) -> list[ApiCall]:
    """The bot's answers to the burst: each /log's saved card (or "Already saved")."""
    return [
        c
        for c in server.api.sent("sendMessage")
        if c.ok and str(c.params.get("text")).startswith(("✅ Saved", "✅ Already saved"))
    ]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_burst_stored_in_the_inbox_is_answered_and_saved_once_after_sigkill(
    tmp_path: Path, db_url: str, uow_factory: UnitOfWorkFactory, mode: str
) -> None:
    for user in USERS:
        await add_user(uow_factory, user)
        await add_sessions(uow_factory, user, [])  # the skill Guitar
    port = free_port()
    with FakeBotApiServer() as server:
        env = {
            "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_URL": server.base_url,
            "DATABASE_URL": db_url,
            # PostgreSQL: a restarted instance takes over its predecessor's claims after this.
            "INBOX_LEASE_SECONDS": "1",
        }
        if mode == "webhook":
            env |= {
                "WEBHOOK_URL": "https://bot.example.com/hook",
                "WEBHOOK_SECRET": SECRET,
                "WEBHOOK_PORT": str(port),
            }
        burst = _burst()
        server.hold("sendMessage")
        if mode == "polling":
            for update_id, user, text in burst:
                server.push_update(command_update(update_id, user, text))
        first = BotProcess(bot_env(**env), tmp_path)
        try:
            if mode == "webhook":
                server.wait_for("setWebhook", timeout=60)
                wait_for_port(port)
                for update_id, user, text in burst:
                    update = command_update(update_id, user, text)
                    assert post_update(f"http://127.0.0.1:{port}/hook", update, SECRET) == 200

            async def all_stored() -> bool:
                return await _stored(uow_factory) == len(burst)

            async def a_reply_waits() -> bool:
                return server.held_calls > 0

            await _wait(all_stored, "20 stored updates")
            # Killed well within the replies' HTTP timeout: they are still waiting.
            await _wait(a_reply_waits, "a handler waiting on its reply")
        finally:
            first.proc.kill()
            first.wait()
        if mode == "polling":
            # Telegram was told: a getUpdates after the burst confirmed all of it.
            offsets = [c.params.get("offset") for c in server.api.calls if c.method == "getUpdates"]
            assert len(burst) + 1 in offsets
        server.release("sendMessage", answer=False)
        assert not [c for c in server.api.sent("sendMessage") if c.ok], "answered before kill"
        if mode == "polling":
            assert server.api.pending_updates() == []

        (tmp_path / "restarted").mkdir()
        second = BotProcess(bot_env(**env), tmp_path / "restarted")
        try:

            async def all_answered() -> bool:
                return len(_answers(server)) >= len(burst)

            await _wait(all_answered, "20 answers", seconds=90)
        finally:
            output = second.stop()
        assert len(_answers(server)) == len(burst), output[-3000:]
        assert len(_answers(server)) == len(burst)
        assert sorted(c.chat_id for c in _answers(server)) == sorted(u for _, u, _ in burst)

    async with uow_factory() as uow:
        rows = (
            await uow.session.execute(
                select(PracticeLog.user_id, PracticeLog.description).order_by(PracticeLog.id)
            )
        ).all()
    assert len(rows) == len(burst)
    for user in USERS:
        takes = [description for owner, description in rows if owner == user]
        assert takes == [f"practised scales take {n}" for n in range(1, PER_USER + 1)]
