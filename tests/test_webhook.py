"""Webhook mode as a real process: Telegram's secret token is checked, the token never logged."""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.core.logs import hash_user_id
from tests.botprocess import (
    BotProcess,
    bot_env,
    command_update,
    free_port,
    post_big_body,
    post_update,
    rss_bytes,
    wait_for_port,
)
from tests.fakebot import BOT_USERNAME, FakeBotApiServer
from tests.support import TEST_TOKEN

pytestmark = pytest.mark.slow

SECRET = "wh-secret_0123456789abcdefXYZ"
PUBLIC_URL = "https://bot.example.com/tg/hook"
SARAH, MALLORY, EVE = 918273645, 918273646, 918273647
MB = 1024 * 1024


def _webhook_env_vars(api_url: str, tmp_path: Path, port: int) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'webhook.db'}",
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }


def _webhook_env(
    server: FakeBotApiServer, tmp_path: Path, port: int, **extra: str
) -> dict[str, str]:
    return bot_env(**_webhook_env_vars(server.base_url, tmp_path, port), **extra)


def test_webhook_serves_updates_with_the_secret_and_refuses_the_rest(tmp_path: Path) -> None:
    port = free_port()
    local = f"http://127.0.0.1:{port}/tg/hook"
    with FakeBotApiServer() as server:
        bot = BotProcess(_webhook_env(server, tmp_path, port, LOG_LEVEL="DEBUG"), tmp_path)
        try:
            registered = server.wait_for("setWebhook", timeout=60)
            assert registered.params["url"] == PUBLIC_URL
            assert registered.params["secret_token"] == SECRET
            wait_for_port(port)

            assert post_update(local, command_update(1, MALLORY, "/start"), "wrong-secret") == 403
            assert post_update(local, command_update(2, EVE, "/start"), None) == 403
            wrong_path = f"http://127.0.0.1:{port}/other"
            assert post_update(wrong_path, command_update(3, EVE, "/start"), SECRET) == 404

            assert post_update(local, command_update(4, SARAH, "/start"), SECRET) == 200
            reply = server.wait_for("sendMessage", lambda c: c.chat_id == SARAH, timeout=30)
            assert "Practice Tracker" in str(reply.params["text"])
            # The path may end with a slash, as PTB's server allows.
            assert post_update(local + "/", command_update(5, SARAH, "/help"), SECRET) == 200
            server.wait_for("sendMessage", lambda c: "/log" in str(c.params.get("text")))
        finally:
            output = bot.stop()
        refused = [c for c in server.api.calls if c.chat_id in (MALLORY, EVE)]
        assert refused == [], "an update without the right secret was processed"

    assert set(server.tokens_seen) == {TEST_TOKEN}
    assert f"starting: mode=webhook database=sqlite bot=@{BOT_USERNAME}" in output
    # DEBUG logs every Bot API call with its parameters: secrets must still be masked.
    assert "Calling Bot API endpoint `setWebhook`" in output
    for secret in (TEST_TOKEN, TEST_TOKEN.split(":")[1], SECRET):
        assert secret not in output
    assert "<redacted>" in output
    _assert_our_lines_hash_user_ids(output)


def _assert_our_lines_hash_user_ids(output: str) -> None:
    """Lines of the bot's own loggers carry a hashed user id, never the raw one."""
    lines = output.splitlines()
    ours = [line for line in lines if re.search(r" (DEBUG|INFO|WARNING|ERROR) bot[.:]", line)]
    assert ours, output[-2000:]
    assert all(str(SARAH) not in line for line in ours)
    sarah = hash_user_id(SARAH, "log:" + TEST_TOKEN)
    assert any(f"u={sarah}:" in line and "start_command" in line for line in ours)
    # Every event is one line: a line without the standard prefix would be a continuation.
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ", line) for line in lines)


def _use_env(monkeypatch: pytest.MonkeyPatch, settings: dict[str, str]) -> None:
    """Exactly these bot settings in the environment, for an in-process main()."""
    for name in [k for k in os.environ if k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))]:
        monkeypatch.delenv(name)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """main() configures the root logger; put pytest's set-up back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET is not set"),
        ({"WEBHOOK_SECRET": "has spaces and ünïcode"}, "may only contain letters, digits"),
        ({"WEBHOOK_URL": "http://bot.example.com/tg"}, "must be the public https://"),
        ({"WEBHOOK_URL": "https://bot.example.com/tg?x=1"}, "must be the public https://"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
    ],
)
@pytest.mark.usefixtures("restore_logging")
def test_bad_webhook_settings_exit_2_with_a_clear_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    message: str,
) -> None:
    # In-process (the exit happens before any network or database work), from a directory
    # without a .env file.
    monkeypatch.chdir(tmp_path)
    settings = {
        **_webhook_env_vars("http://127.0.0.1:9", tmp_path, free_port()),
        **env,
    }
    _use_env(monkeypatch, settings)
    assert main([]) == 2
    stderr = capsys.readouterr().err
    assert message in stderr
    assert SECRET not in stderr
    assert not (tmp_path / "webhook.db").exists(), "the database was touched"


@pytest.mark.usefixtures("restore_logging")
def test_webhook_port_in_use_exits_2_before_touching_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken, FakeBotApiServer() as server:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        _use_env(monkeypatch, _webhook_env_vars(server.base_url, tmp_path, port))
        assert main([]) == 2
    assert f"127.0.0.1:{port} is already in use" in capsys.readouterr().err
    assert server.api.calls == [], "the webhook was registered for a bot that cannot listen"
    assert not (tmp_path / "webhook.db").exists()


def test_big_bodies_are_refused_before_they_are_read_and_memory_stays_flat(
    tmp_path: Path,
) -> None:
    port = free_port()
    with FakeBotApiServer() as server:
        bot = BotProcess(_webhook_env(server, tmp_path, port), tmp_path)
        try:
            server.wait_for("setWebhook", timeout=60)
            wait_for_port(port)
            local = f"http://127.0.0.1:{port}/tg/hook"
            assert post_update(local, command_update(1, SARAH, "/start"), SECRET) == 200
            server.wait_for("sendMessage", lambda c: c.chat_id == SARAH, timeout=30)
            before = rss_bytes(bot.proc.pid)

            for _ in range(3):  # a small flood
                assert post_big_body(port, "/tg/hook", 60 * MB, None) in (403, 413)
                assert post_big_body(port, "/tg/hook", 60 * MB, "wrong-secret") in (403, 413)
            # Telegram's own secret does not make a huge body acceptable, declared or chunked.
            assert post_big_body(port, "/tg/hook", 60 * MB, SECRET) == 413
            assert post_big_body(port, "/tg/hook", 3 * MB, SECRET, chunked=True) == 413
            grown = rss_bytes(bot.proc.pid) - before

            # Still serving Telegram afterwards.
            assert post_update(local, command_update(2, SARAH, "/help"), SECRET) == 200
            server.wait_for("sendMessage", lambda c: "/log" in str(c.params.get("text")))
        finally:
            bot.stop()
    assert grown < 10 * MB, f"the bot grew by {grown / MB:.1f} MB"
