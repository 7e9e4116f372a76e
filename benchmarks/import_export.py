"""Import 10,000 rows and export 10,000 sessions through the real services and databases.

Run: /work/main/.venv/bin/python benchmarks/import_export.py
SQLite (a file, WAL) always; PostgreSQL too when TEST_POSTGRES_URL is set (its schema is reset).
Prints the figures and appends them to benchmarks/RESULTS.md (--no-record to skip that).
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from benchmarks.common import fresh_schema
from bot.domain.export_format import to_csv, to_json
from bot.domain.import_format import ImportFile, read_import
from bot.services.bulk_import import plan_import, run_import
from bot.services.export import ExportBundle, gather_export
from storage.db import create_engine, create_session_factory
from storage.models import PracticeLog, User
from storage.repositories.transfer import NewEvidence
from storage.uow import UnitOfWork

ROWS = 10_000
EVIDENCE = 1_000
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
FIRST_USER, SECOND_USER = 1, 2
SKILLS = ("React", "SQL", "Guitar", "Spanish", "Drawing", "Go")
RESULTS = Path(__file__).with_name("RESULTS.md")

T = TypeVar("T")


def spreadsheet(rows: int) -> bytes:
    """A comma CSV of `rows` sessions: five a day going back from today, 20-60 minutes each."""
    lines = ["Date,Skill,Minutes,Description,Difficulty,Confidence"]
    for n in range(rows):
        day = TODAY - timedelta(days=n // 5)
        lines.append(
            f"{day.isoformat()},{SKILLS[n % len(SKILLS)]},{20 + n % 41},"
            f"Practice session {n}: drills and a small project,{1 + n % 5},{1 + (n // 5) % 5}"
        )
    return ("\n".join(lines) + "\n").encode()


async def timed(fn: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    """Run fn once; its result and the seconds it took."""
    start = time.perf_counter()
    result = await fn()
    return result, time.perf_counter() - start


async def prepare(url: str) -> None:
    """A clean, migrated database with two users."""
    engine = create_engine(url)
    await fresh_schema(engine)
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        for user_id in (FIRST_USER, SECOND_USER):
            uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
        await uow.commit()
    await engine.dispose()


async def add_notes(factory: async_sessionmaker[AsyncSession], count: int) -> None:
    """Attach a note to `count` of the first user's sessions, so a restore remaps evidence."""
    async with UnitOfWork(factory) as uow:
        ids = (
            await uow.session.scalars(
                select(PracticeLog.id)
                .where(PracticeLog.user_id == FIRST_USER)
                .order_by(PracticeLog.id)
                .limit(count)
            )
        ).all()
        await uow.transfer.add_evidence(
            FIRST_USER,
            [
                NewEvidence(
                    practice_log_id=log_id,
                    skill_id=None,
                    kind="note",
                    created_at=NOW,
                    note=f"What I learned in session {log_id}",
                )
                for log_id in ids
            ],
        )
        await uow.commit()


async def run_backend(url: str, csv_data: bytes) -> dict[str, float]:
    """Time each phase of an import, a re-import, an export and a JSON restore on one database."""
    await prepare(url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    figures: dict[str, float] = {}

    start = time.perf_counter()
    imported = await asyncio.to_thread(read_import, "bench.csv", csv_data, TODAY)
    figures["read 10,000-row CSV"] = time.perf_counter() - start
    assert len(imported.rows) == ROWS, imported.errors[:3]

    async def preview() -> None:
        async with UnitOfWork(factory) as uow:
            await plan_import(uow, FIRST_USER, imported)

    async def write(user_id: int, source: ImportFile) -> int:
        async with UnitOfWork(factory) as uow:
            result = await run_import(uow, user_id, source, NOW)
            await uow.commit()
            return result.sessions

    _, figures["preview (plan) before import"] = await timed(preview)
    written, figures["import 10,000 rows (one transaction)"] = await timed(
        lambda: write(FIRST_USER, imported)
    )
    assert written == ROWS
    again, figures["re-import same file (all duplicates)"] = await timed(
        lambda: write(FIRST_USER, imported)
    )
    assert again == 0
    await add_notes(factory, EVIDENCE)

    async def gather() -> ExportBundle:
        async with UnitOfWork(factory) as uow:
            return await gather_export(uow, FIRST_USER, NOW)

    bundle, figures["export: read 10,000 sessions"] = await timed(gather)
    start = time.perf_counter()
    json_data = to_json(bundle.export)
    figures["export: serialise JSON"] = time.perf_counter() - start
    start = time.perf_counter()
    csv_out = to_csv(bundle.logs, bundle.evidence_counts)
    figures["export: serialise CSV"] = time.perf_counter() - start
    assert csv_out.count(b"\r\n") == ROWS + 1

    start = time.perf_counter()
    restored = await asyncio.to_thread(read_import, "backup.json", json_data, TODAY)
    figures["restore: read the JSON export"] = time.perf_counter() - start
    count, figures["restore: write it into a new account"] = await timed(
        lambda: write(SECOND_USER, restored)
    )
    assert count == ROWS
    figures["_json_mb"] = len(json_data) / 1e6
    figures["_csv_mb"] = len(csv_out) / 1e6
    await engine.dispose()
    return figures


def report(results: dict[str, dict[str, float]]) -> str:
    """A Markdown table of seconds per phase and backend."""
    backends = list(results)
    phases = [name for name in next(iter(results.values())) if not name.startswith("_")]
    lines = [
        "| phase | " + " | ".join(backends) + " |",
        "|---|" + "---:|" * len(backends),
    ]
    for phase in phases:
        cells = " | ".join(f"{results[b][phase]:.2f} s" for b in backends)
        lines.append(f"| {phase} | {cells} |")
    first = results[backends[0]]
    lines.append(
        f"\nExport file sizes: JSON {first['_json_mb']:.1f} MB, CSV {first['_csv_mb']:.1f} MB."
    )
    return "\n".join(lines)


async def main() -> None:
    """Run every configured backend and print (and record) the figures."""
    csv_data = spreadsheet(ROWS)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        results["SQLite (file, WAL)"] = await run_backend(sqlite_url, csv_data)
    postgres = os.environ.get("TEST_POSTGRES_URL")
    if postgres:
        results["PostgreSQL"] = await run_backend(postgres, csv_data)
    table = report(results)
    print(table)
    if "--no-record" not in sys.argv:
        header = (
            f"\n## #8 Export and import ({date.today().isoformat()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{os.getloadavg()[0]:.1f} at the start: other work shares the machine)\n\n"
            f"{ROWS:,} sessions ({len(csv_data) / 1e6:.1f} MB CSV), six skills; the export "
            f"and restore also carry {EVIDENCE:,} notes on sessions; "
            "`python benchmarks/import_export.py`.\n\n"
        )
        existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
        RESULTS.write_text(existing.rstrip("\n") + "\n" + header + table + "\n")


if __name__ == "__main__":
    asyncio.run(main())
