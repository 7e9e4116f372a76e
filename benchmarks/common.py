"""Pieces the benchmark scripts share."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application
from bot.config import Settings
from bot.core.runtime import BotApp
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from storage.models import User
from storage.uow import UnitOfWork
from tests.fakebot import FakeBotApi, FakeRequest

RESULTS = Path(__file__).with_name("RESULTS.md")
Figures = dict[str, float]
TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN1234"


def bench_settings(url: str, **values: Any) -> Settings:
    """Settings for a benchmark: its database, a made-up token, no .env file read."""
    return Settings(
        telegram_bot_token=TOKEN,
        database_url=url,
        _env_file=None,
        **values,
    )


def bench_app(
    url: str,
    api: FakeBotApi,
    clock: Callable[[], datetime],
    *,
    with_updater: bool = False,
    rate_limit: bool = False,
    **settings: Any,
) -> BotApp:
    """The real Application on the fake Bot API; PTB's limiter off unless asked for, since it
    paces replies at 30/s by design and would be what gets measured."""
    return build_application(
        bench_settings(url, **settings),
        request=FakeRequest(api),
        get_updates_request=FakeRequest(api),
        clock=clock,
        with_updater=with_updater,
        rate_limit=rate_limit,
    )


async def migrate(url: str) -> None:
    """Bring the benchmark database's schema to head."""
    engine = create_engine(url)
    await upgrade_to_head(engine)
    await engine.dispose()


async def fresh_schema(engine: AsyncEngine) -> None:
    """An empty database at head: PostgreSQL's public schema is dropped first (SQLite files are
    new in each run)."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade_to_head(engine)


async def remove_users(url: str, user_ids: Iterable[int]) -> None:
    """Delete the benchmark's users (and by cascade everything they own)."""
    engine = create_engine(url)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        await uow.session.execute(delete(User).where(User.id.in_(list(user_ids))))
        await uow.commit()
    await engine.dispose()


async def on_both_backends(measure: Callable[[str], Awaitable[Figures]]) -> dict[str, Figures]:
    """Run `measure` on a fresh SQLite file, and on PostgreSQL when BENCH_POSTGRES_URL is set."""
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite (file, WAL)"] = await measure(f"sqlite+aiosqlite:///{tmp}/bench.db")
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    if postgres:
        results["PostgreSQL"] = await measure(postgres)
    return results


def record(title: str, description: str, lines: list[str]) -> None:
    """Append a section to RESULTS.md: title, date, machine and load, description, table."""
    header = (
        f"\n## {title} ({date.today()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f})\n\n{description}\n\n"
    )
    with RESULTS.open("a") as out:
        out.write(header + "\n".join(lines) + "\n")
