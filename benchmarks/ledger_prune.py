"""Send-ledger pruning: a 300,000-row backlog, the idle run, and what other writers notice.

Run: /work/main/.venv/bin/python benchmarks/ledger_prune.py [--no-record]
SQLite (a file, WAL) always; PostgreSQL too when BENCH_POSTGRES_URL is set (its schema is
reset), e.g. postgresql+asyncpg://practice:practice@127.0.0.1:5432/practice_bench.
Prints the figures and appends them to benchmarks/RESULTS.md (--no-record to skip that).

The ledger: 10,000 users, 300,000 old streak rows (30 days, all older than the 35-day
retention), 350,000 kept inactivity rows (35 days) and 30,000 old milestone rows, inserted day
by day as production inserts them. Bulk-loaded; the load is set-up, not what is measured.

Figures:
- prune the backlog: prune_send_ledger with no rest between batches (pure work), its
  batches and its longest batch (the longest a batch holds SQLite's write lock);
- a smaller backlog (40,000 rows) with the default rest while another task writes one-row
  transactions in a loop (what a user's /log would feel): their median and worst latency,
  against the same writer alone just before; on SQLite also with 5,000-row batches;
- idle prune: a run with nothing to delete (what every hourly run costs once the backlog is
  gone), median of 20; and the same run without the partial index on claimed_at, median of 3.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text, update

from benchmarks.common import bench_settings, fresh_schema, on_both_backends, record
from bot.core.runtime import Deps
from bot.jobs.ledger_prune import POSTGRES_BATCH, batch_size, prune_send_ledger
from storage.db import create_engine, create_session_factory
from storage.models import User

USERS = 10_000
OLD_DAYS = 30
WRITER_DAYS = 4
KEPT_DAYS = 35
MILESTONES_PER_USER = 3
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
COLUMNS = ("user_id", "kind", "period_key", "status", "claimed_at", "sent_at")


def ledger_rows(old_days: int, kept: bool) -> list[tuple[object, ...]]:
    """Ledger rows, day by day: `old_days` days of old streak rows; the kept rows, milestones."""
    rows: list[tuple[object, ...]] = []
    today = NOW.date()
    if kept:
        for n in range(MILESTONES_PER_USER):
            day = today - timedelta(days=400 - 30 * n)
            at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            rows += [(u, "milestone", f"streak_7:{day}", "sent", at, None) for u in users()]
    for n in reversed(range(old_days)):
        day = today - timedelta(days=KEPT_DAYS + 2 + n)
        at = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        rows += [(u, "streak", day.isoformat(), "sent", at, at) for u in users()]
    if kept:
        for n in reversed(range(KEPT_DAYS)):
            day = today - timedelta(days=n)
            at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
            rows += [(u, "inactivity", day.isoformat(), "sent", at, at) for u in users()]
    return rows


def users() -> range:
    """The benchmark's user ids."""
    return range(1, USERS + 1)


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _sqlite_load(
    path: str, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    """Plain sqlite3 executemany in one transaction (stored as SQLAlchemy would store them)."""
    con = sqlite3.connect(path)
    with con:
        marks = ", ".join("?" for _ in columns)
        con.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            ([_sqlite_value(v) for v in row] for row in rows),
        )
        con.execute("ANALYZE")
    con.close()


async def load(
    url: str, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    """Bulk-insert rows: COPY on PostgreSQL, executemany on SQLite; then ANALYZE."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite+aiosqlite:///")
        await asyncio.to_thread(_sqlite_load, path, table, columns, rows)
        return
    engine = create_engine(url)
    async with engine.begin() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table(table, records=rows, columns=list(columns))
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("ANALYZE"))
    await engine.dispose()


async def populate(url: str) -> float:
    """A fresh schema, the users, and the whole ledger; seconds taken."""
    engine = create_engine(url)
    await fresh_schema(engine)
    await engine.dispose()
    start = time.perf_counter()
    joined = datetime(2025, 1, 1, tzinfo=UTC)
    users = [(i, i, "UTC", joined, joined) for i in range(1, USERS + 1)]
    await load(url, "users", ("id", "chat_id", "timezone", "created_at", "updated_at"), users)
    await load(url, "send_ledger", COLUMNS, ledger_rows(OLD_DAYS, kept=True))
    return time.perf_counter() - start


def deps_for(url: str) -> Deps:
    """What the job gets: settings (default retention), engine, units of work, the clock."""
    engine = create_engine(url)
    return Deps(bench_settings(url), engine, create_session_factory(engine), lambda: NOW)


async def writer(deps: Deps, stop: asyncio.Event, latencies: list[float]) -> None:
    """One-row write transactions, 20 ms apart, until stopped; each one's latency in ms."""
    n = 0
    while not stop.is_set():
        n += 1
        start = time.perf_counter()
        async with deps.uow() as uow:
            await uow.session.execute(
                update(User).where(User.id == 1 + n % USERS).values(first_name=f"w{n}")
            )
            await uow.commit()
        latencies.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.02)


async def writes_alone(deps: Deps, seconds: float) -> list[float]:
    """The writer's latencies with nothing else running."""
    stop, latencies = asyncio.Event(), list[float]()
    task = asyncio.create_task(writer(deps, stop, latencies))
    await asyncio.sleep(seconds)
    stop.set()
    await task
    return latencies


async def with_writer(url: str, deps: Deps, batch: int | None) -> dict[str, float]:
    """Prune a WRITER_DAYS backlog with the default rest while one-row writes run alongside."""
    await load(url, "send_ledger", COLUMNS, ledger_rows(WRITER_DAYS, kept=False))
    alone = await writes_alone(deps, 3.0)
    stop, during = asyncio.Event(), list[float]()
    task = asyncio.create_task(writer(deps, stop, during))
    start = time.perf_counter()
    report = await prune_send_ledger(deps, batch=batch)
    seconds = time.perf_counter() - start
    stop.set()
    await task
    assert report.deleted == USERS * WRITER_DAYS, report
    return {
        "seconds": seconds,
        "longest": report.longest_batch * 1000,
        "alone_median": statistics.median(alone),
        "alone_max": max(alone),
        "during_median": statistics.median(during),
        "during_max": max(during),
    }


async def measure(url: str) -> dict[str, float]:
    """All figures for one database."""
    figures: dict[str, float] = {"populate": await populate(url)}
    deps = deps_for(url)
    try:
        start = time.perf_counter()
        report = await prune_send_ledger(deps, rest_ratio=0)
        figures["work"] = time.perf_counter() - start
        assert report.deleted == USERS * OLD_DAYS, report
        figures.update(
            batch=batch_size(deps.settings),
            batches=report.batches,
            longest_batch=report.longest_batch * 1000,
        )
        for key, value in (await with_writer(url, deps, None)).items():
            figures[f"w_{key}"] = value
        if deps.settings.database_kind == "sqlite":
            for key, value in (await with_writer(url, deps, POSTGRES_BATCH)).items():
                figures[f"w5_{key}"] = value

        idle = []
        for _ in range(20):
            start = time.perf_counter()
            assert (await prune_send_ledger(deps)).deleted == 0
            idle.append((time.perf_counter() - start) * 1000)
        figures["idle"] = statistics.median(idle)
        async with deps.engine.begin() as conn:
            await conn.execute(text("DROP INDEX ix_send_ledger_claimed_at"))
        bare = []
        for _ in range(3):
            start = time.perf_counter()
            assert (await prune_send_ledger(deps)).deleted == 0
            bare.append((time.perf_counter() - start) * 1000)
        figures["idle_no_index"] = statistics.median(bare)
    finally:
        await deps.engine.dispose()
    return figures


def _cell(figures: dict[str, float], key: str, fmt: str, second: list[str]) -> str:
    if key not in figures:
        return "—"
    cell = fmt.format(figures[key])
    return f"{cell} / {fmt.format(figures[second[0]])} ms" if second else cell


def report_lines(results: dict[str, dict[str, float]]) -> list[str]:
    """Markdown table rows of the figures."""
    names = list(results)
    rows = [
        ("bulk load: 10,000 users, 680,000 ledger rows", "populate", "{:.1f} s"),
        ("prune 300,000 old rows, no rest (pure work)", "work", "{:.2f} s"),
        ("  rows per batch", "batch", "{:,.0f}"),
        ("  batches", "batches", "{:.0f}"),
        ("  longest batch (one transaction)", "longest_batch", "{:.0f} ms"),
        ("prune 40,000 rows, default rest, a writer alongside", "w_seconds", "{:.2f} s"),
        ("  longest batch", "w_longest", "{:.0f} ms"),
        ("  one-row write, alone: median / worst", "w_alone_median", "{:.1f}", "w_alone_max"),
        ("  one-row write, during: median / worst", "w_during_median", "{:.1f}", "w_during_max"),
        ("same with 5,000-row batches (SQLite only)", "w5_seconds", "{:.2f} s"),
        ("  longest batch", "w5_longest", "{:.0f} ms"),
        ("  one-row write, during: median / worst", "w5_during_median", "{:.1f}", "w5_during_max"),
        ("idle prune (nothing old; 380,000 rows kept), median", "idle", "{:.1f} ms"),
        ("idle prune without the index", "idle_no_index", "{:.0f} ms"),
    ]
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for label, key, fmt, *second in rows:
        cells = " | ".join(_cell(results[n], key, fmt, second) for n in names)
        lines.append(f"| {label} | {cells} |")
    return lines


async def main() -> None:
    """Run on SQLite and (if configured) PostgreSQL, print, and record."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    results = await on_both_backends(measure)
    lines = report_lines(results)
    print("\n".join(lines))
    for name, figures in results.items():
        ratio = figures["idle_no_index"] / figures["idle"]
        print(f"{name}: idle prune {ratio:.0f}x faster with the index")
    if not args.no_record:
        record(
            "Send-ledger pruning",
            "`python benchmarks/ledger_prune.py`: 10,000 users; 300,000 streak rows older than "
            "the 35-day retention, 350,000 kept (35 days), 30,000 old milestones.",
            lines,
        )


if __name__ == "__main__":
    asyncio.run(main())
