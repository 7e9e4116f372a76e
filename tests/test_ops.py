"""Operations commands as a real process: `python -m bot migrate` and `migrate --check`."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.botprocess import bot_env

pytestmark = pytest.mark.slow


def _bot(tmp_path: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No token: maintenance commands must work without one (e.g. before the bot is set up).
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=bot_env(DATABASE_URL=f"sqlite+aiosqlite:///{db}"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_check_reports_pending_then_migrate_brings_the_schema_up(tmp_path: Path) -> None:
    db = tmp_path / "data" / "ops.db"

    check = _bot(tmp_path, db, "migrate", "--check")
    assert check.returncode == 1, check.stderr
    assert "migration(s) pending: " in check.stdout
    # Newest first; later migrations (e.g. the send-ledger prune index) come before 0001.
    pending = check.stdout.split("pending: ", 1)[1].strip().split(", ")
    assert pending[-1] == "0001"
    assert "users" not in _tables(db), "--check must not change the database"

    migrate = _bot(tmp_path, db, "migrate")
    assert migrate.returncode == 0, migrate.stderr
    assert "Database schema is up to date." in migrate.stdout
    assert {"users", "skills", "practice_logs", "evidence", "alembic_version"} <= _tables(db)

    again = _bot(tmp_path, db, "migrate", "--check")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout


def test_unknown_arguments_print_usage_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # In-process: the usage check comes before any database work.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert main(["migrate", "--force"]) == 2
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert "Usage: python -m bot [migrate [--check]]" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
