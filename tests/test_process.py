"""The README's run path as a real process, talking to a Bot API fake over loopback HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakebot import FakeBotApiServer
from tests.support import TEST_TOKEN

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _run_path() -> list[str]:
    """`./run` (the README's command) when its venv is in place, else the same `python -m bot`."""
    if (ROOT / ".venv" / "bin" / "python").exists() and Path(sys.prefix) == ROOT / ".venv":
        return [str(ROOT / "run")]
    return [sys.executable, "-m", "bot"]


def test_bot_answers_start_over_real_http(tmp_path: Path) -> None:
    with FakeBotApiServer() as server:
        server.api.push_update(
            {
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": 4242, "type": "private", "first_name": "Sarah"},
                    "from": {"id": 4242, "is_bot": False, "first_name": "Sarah"},
                    "text": "/start",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                }
            }
        )
        db = tmp_path / "smoke.db"
        proc = subprocess.Popen(
            _run_path(),
            cwd=tmp_path if _run_path()[0] == sys.executable else ROOT,
            env=_env(
                tmp_path,
                TELEGRAM_BOT_TOKEN=TEST_TOKEN,
                TELEGRAM_API_URL=server.base_url,
                DATABASE_URL=f"sqlite+aiosqlite:///{db}",
                PYTHONPATH=str(ROOT),
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            reply = server.wait_for(
                "sendMessage", lambda c: c.params.get("chat_id") == 4242, timeout=60
            )
            assert "Practice Tracker" in str(reply.params["text"])
            commands = server.wait_for("setMyCommands", timeout=10)
            assert commands.params["commands"]
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                output, _ = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                output, _ = proc.communicate()
        assert set(server.tokens_seen) == {TEST_TOKEN}
        assert TEST_TOKEN not in output, "the bot token leaked into the logs"
        assert TEST_TOKEN.split(":")[1] not in output
        assert db.exists(), "the SQLite default was not migrated"
        assert "starting: mode=polling database=sqlite" in output


def test_missing_token_exits_2_with_instructions(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=_env(tmp_path, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in proc.stderr
    assert "@BotFather" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "does not look like a Telegram bot token"),
        ({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "DATABASE_URL": "mysql://x/y"}, "is not supported"),
        (
            {
                "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
                "DATABASE_URL": "postgresql+asyncpg://nobody:pw@127.0.0.1:1/none",
            },
            "Could not open the database",
        ),
    ],
)
def test_bad_configuration_exits_2_without_traceback(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=_env(tmp_path, PYTHONPATH=str(ROOT), **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "pw@" not in proc.stderr
