"""Reminder sweep at 100,000 users: due-user selection and claim, and the achieved send rate.

Run: /work/main/.venv/bin/python benchmarks/reminders.py [--no-record]
SQLite (a file, WAL) always; PostgreSQL too when BENCH_POSTGRES_URL is set (its schema is
reset), e.g. postgresql+asyncpg://practice:practice@127.0.0.1:5432/practice_bench_i7.
Prints the figures and appends them to benchmarks/RESULTS.md (--no-record to skip that).

Figures:
- claim all due: every batch of the sweep's selection + claim (INSERT ... RETURNING, commit)
  until nothing is left, without sending;
- idle sweep selection: the same three statements a minute later, when nothing is due (what
  every sweep costs most of the time);
- send rate: `sweep(limit=300)` through the real Application and pipeline (re-check, render,
  send, settle) against the in-process fake Bot API, measured from the fake's arrival times:
  messages per second over the run, and the most messages in any one-second window, on the
  Sender's clock (when each request started) and on the fake's (when it arrived). The two
  differ only when the process is descheduled in between, which a loaded machine does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from sqlalchemy import delete, text

from benchmarks.common import bench_app, fresh_schema, on_both_backends, record
from bot.app import on_shutdown
from bot.core.runtime import Deps
from bot.domain.reminders import INACTIVITY_DAY_CHOICES
from bot.jobs.reminders import KINDS, claim_batches, sweep
from bot.jobs.sender import Sender
from storage.db import create_engine
from storage.models import SendLedger
from tests.fakebot import FakeBotApi

USERS = 100_000
SENDS = 300
# Sunday evening in Europe, Monday morning in Asia, Sunday afternoon in the Americas.
NOW = datetime(2026, 11, 29, 20, 30, tzinfo=UTC)
ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Africa/Lagos",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "UTC",
)


class Clock:
    """The application's clock, fixed at NOW."""

    def __call__(self) -> datetime:
        return NOW


async def populate(url: str) -> float:
    """A fresh schema with USERS users, a skill each, and recent sessions; seconds taken."""
    engine = create_engine(url)
    await fresh_schema(engine)
    rng = random.Random(10)
    today = NOW.date()
    joined = datetime(2026, 9, 1, tzinfo=UTC)
    start = time.perf_counter()
    users, skills, logs = [], [], []
    for user_id in range(1, USERS + 1):
        every = rng.choice(INACTIVITY_DAY_CHOICES)
        users.append(
            {
                "id": user_id,
                "chat_id": user_id,
                "first_name": f"User {user_id}",
                "timezone": ZONES[user_id % len(ZONES)],
                "created_at": joined,
                "updated_at": joined,
                "inactivity_days": every,
                "inactivity_minute": rng.choice((17 * 60, 18 * 60, 19 * 60, 21 * 60)),
                "streak_minute": rng.choice((19 * 60, 20 * 60, 21 * 60, 22 * 60)),
                "weekly_minute": rng.choice((9 * 60, 18 * 60, 20 * 60)),
            }
        )
        skills.append(
            {
                "id": user_id,
                "user_id": user_id,
                "name": "Guitar",
                "name_key": "guitar",
                "created_at": joined,
                "updated_at": joined,
            }
        )
        pattern = user_id % 10
        if pattern <= 2:  # a streak that ends tonight
            days = [today - timedelta(days=1), today - timedelta(days=2), today - timedelta(days=3)]
        elif pattern <= 5:  # inactive for a while
            days = [today - timedelta(days=every * rng.choice((1, 2, 3, 4)))]
        elif pattern <= 8:  # practised today
            days = [today, today - timedelta(days=2)]
        else:  # never logged
            days = []
        for day in days:
            logs.append(
                {
                    "user_id": user_id,
                    "skill_id": user_id,
                    "practiced_on": day,
                    "duration_minutes": 30,
                    "description": "Scales and a new song",
                    "source": "chat",
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
    tables = (("users", users), ("skills", skills), ("practice_logs", logs))
    if engine.dialect.name == "postgresql":
        # COPY: the bulk load is set-up, not what is measured.
        async with engine.begin() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            for table, rows in tables:
                columns = list(rows[0])
                records = [tuple(row[c] for c in columns) for row in rows]
                await raw.copy_records_to_table(table, records=records, columns=columns)
            await conn.execute(text("SELECT setval('skills_id_seq', (SELECT max(id) FROM skills))"))
    else:
        await engine.dispose()
        path = url.removeprefix("sqlite+aiosqlite:///")
        await asyncio.to_thread(_sqlite_load, path, tables)
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    await engine.dispose()
    return time.perf_counter() - start


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_load(path: str, tables: tuple[tuple[str, list[dict[str, object]]], ...]) -> None:
    """Plain sqlite3 executemany in one transaction (stored as SQLAlchemy would store them)."""
    con = sqlite3.connect(path)
    with con:
        for table, rows in tables:
            columns = list(rows[0])
            marks = ", ".join("?" for _ in columns)
            con.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                ([_sqlite_value(row[c]) for c in columns] for row in rows),
            )
    con.close()


def app_for(url: str, api: FakeBotApi) -> object:
    """The real Application on the fake Bot API, with the clock at NOW."""
    return bench_app(url, api, Clock(), rate_limit=True)


async def claim_everything(deps: Deps) -> tuple[int, float]:
    """Claim every due message (no sending); how many and seconds taken."""
    start = time.perf_counter()
    claimed = 0
    for kind in KINDS:
        async for claims in claim_batches(deps, kind):
            claimed += len(claims)
    return claimed, time.perf_counter() - start


def window_max(stamps: list[float]) -> int:
    """Most arrivals in any one-second window [t, t + 1)."""
    best, low = 0, 0
    for high, t in enumerate(stamps):
        while stamps[low] <= t - 1.0:
            low += 1
        best = max(best, high - low + 1)
    return best


class RecordingSender(Sender):
    """The production Sender, also noting when each attempt started (dispatch side)."""

    def __init__(self) -> None:
        super().__init__()
        self.starts: list[float] = []

    async def _turn(self, chat_id: int) -> float:
        previous = await super()._turn(chat_id)
        self.starts.append(time.monotonic())
        return previous


async def measure(url: str) -> dict[str, float]:
    """All figures for one database."""
    figures: dict[str, float] = {"populate": await populate(url)}
    api = FakeBotApi()
    app = app_for(url, api)
    await app.initialize()  # type: ignore[attr-defined]
    try:
        deps: Deps = app.bot_data["deps"]  # type: ignore[attr-defined]
        figures["claimed"], figures["claim_all"] = await claim_everything(deps)
        figures["idle_claimed"], figures["idle_sweep"] = await claim_everything(deps)
        async with deps.uow() as uow:
            await uow.session.execute(delete(SendLedger))
            await uow.commit()
        start = time.perf_counter()
        sender = RecordingSender()
        report = await sweep(deps, app.bot, sender=sender, limit=SENDS)  # type: ignore[attr-defined]
        figures["sweep_seconds"] = time.perf_counter() - start
        figures["sent"] = report.count("sent")
        stamps = sorted(call.at_monotonic for call in api.sent("sendMessage") if call.ok)
        figures["rate"] = (len(stamps) - 1) / (stamps[-1] - stamps[0])
        figures["window_max"] = window_max(stamps)
        figures["dispatch_window_max"] = window_max(sender.starts)
    finally:
        await app.shutdown()  # type: ignore[attr-defined]
        await on_shutdown(app)  # type: ignore[arg-type]
    return figures


def report_lines(results: dict[str, dict[str, float]]) -> list[str]:
    """Markdown table rows of the figures."""
    names = list(results)
    rows = [
        ("bulk insert 100,000 users, skills and sessions", "populate", "{:.1f} s"),
        ("due messages claimed in the sweep", "claimed", "{:,.0f}"),
        ("selection + claim of all of them", "claim_all", "{:.2f} s"),
        ("sweep selection when nothing is due (3 kinds)", "idle_sweep", "{:.3f} s"),
        (f"send {SENDS} reminders through the pipeline", "sweep_seconds", "{:.1f} s"),
        ("achieved send rate (cap 30/s)", "rate", "{:.2f} msg/s"),
        ("most started in any 1 s window (Sender's clock)", "dispatch_window_max", "{:.0f}"),
        ("most arrived in any 1 s window (fake API's clock)", "window_max", "{:.0f}"),
    ]
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for label, key, fmt in rows:
        cells = " | ".join(fmt.format(results[n][key]) for n in names)
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
        share = figures["rate"] / 30 * 100
        print(f"{name}: {figures['rate']:.2f} msg/s = {share:.1f}% of 30/s")
    if not args.no_record:
        record(
            "#7 Reminder sweep",
            f"{USERS:,} users in {len(ZONES)} time zones (bulk-inserted), a skill each, "
            "~120,000 sessions; the sweep runs at Sunday 20:30 UTC; "
            "`python benchmarks/reminders.py`.",
            lines,
        )


if __name__ == "__main__":
    asyncio.run(main())
