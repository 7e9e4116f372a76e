"""Pieces the benchmark scripts share."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import delete

from storage.db import create_engine, create_session_factory
from storage.models import User
from storage.uow import UnitOfWork

RESULTS = Path(__file__).with_name("RESULTS.md")
Figures = dict[str, float]


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
