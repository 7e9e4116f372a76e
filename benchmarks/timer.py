"""Practice timers at 10,000 running: the refresh job, the guard, and a user's reply meanwhile.

Run: .venv/bin/python benchmarks/timer.py [--no-record]
SQLite (a file, WAL) always; PostgreSQL too when BENCH_POSTGRES_URL is set (its schema is
reset). 10,000 users, a skill and a running timer each (bulk-inserted), every live message due
for a refresh, every timer idle for 2 h 10 min (so the guard has all of them to ask about).

Figures (the edits go to a stub that returns at once, so only our side is measured):
- refresh run: one run of the job at its default budget (RATE_LIMIT_PER_SECOND 30 x share 0.2
  x 30 s = 180 edits): the claim (one UPDATE ... RETURNING) plus rendering 180 messages;
- refresh claim of all 10,000 in one statement, and an idle run (nothing due);
- guard: claiming the question for all 10,000 idle timers (one UPDATE ... RETURNING) and the
  "forgotten" scan when nothing is to stop; then 200 silent stops (each a transaction that
  deletes the timer and saves the session through the one save path), per stop;
- reply latency: a user's `/timer` (through the real Application and the fake Bot API) alone,
  and while refresh runs go on every 0.25 s in the same process (a stress: the job runs once
  every 30 s); median and 95th percentile of 300, in the same run. A reply is never queued
  behind refreshes: they only share the database and the event loop. PTB's rate limiter is
  off for this, or it would pace the replies at 30/s and hide our side of the latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from sqlalchemy import insert, text, update

from benchmarks.common import bench_app, fresh_schema, on_both_backends, record
from bot.app import on_shutdown
from bot.core.runtime import Deps
from bot.jobs.timer_guard import guard_times
from bot.jobs.timer_refresh import refresh_budget, refresh_timers
from bot.services.timer import claim_guard_questions, forgotten_timers, stop_forgotten
from storage.db import create_engine
from storage.models import Skill, Timer, User
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi

TIMERS = 10_000
STOPS = 200
REPLIES = 300
# Seconds between refresh runs during the reply test: the job runs every 30 s, so this is a
# load 120 times the real one.
REFRESH_GAP = 0.25
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
# The user whose replies are timed: no timer of their own is due, so only others' are refreshed.
REPLIER = TIMERS + 1


class Clock:
    """The application's clock, fixed at NOW."""

    def __call__(self) -> datetime:
        return NOW


class StubBot:
    """Accepts every edit at once: the figures are our side only."""

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> bool:
        # A real edit is an HTTP round trip, during which other tasks run.
        await asyncio.sleep(0)
        return True


async def populate(url: str) -> float:
    """A fresh schema with TIMERS users, a skill and a running timer each; seconds taken."""
    engine = create_engine(url)
    await fresh_schema(engine)
    start = time.perf_counter()
    started = NOW - timedelta(hours=3)
    users = [
        {"id": n, "chat_id": n, "first_name": f"U{n}", "timezone": "Europe/Berlin"}
        for n in range(1, TIMERS + 2)
    ]
    skills = [{"id": n, "user_id": n, "name": "Guitar", "name_key": "guitar"} for n in users_ids()]
    timers = [
        {
            "user_id": n,
            "skill_id": n,
            "chat_id": n,
            "message_id": 10,
            "intention": "scales at 90 bpm",
            "started_at": started + timedelta(seconds=n % 600),
            "paused_seconds": 0,
            "last_seen_at": NOW - timedelta(hours=2, minutes=10),
            "refresh_at": started + timedelta(minutes=n % 60),
        }
        for n in range(1, TIMERS + 1)
    ]
    async with engine.begin() as conn:
        for model, rows in ((User, users), (Skill, skills), (Timer, timers)):
            for i in range(0, len(rows), 2000):
                await conn.execute(insert(model), rows[i : i + 2000])
        if engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT setval('skills_id_seq', (SELECT max(id) FROM skills))"))
        await conn.execute(text("ANALYZE"))
    await engine.dispose()
    return time.perf_counter() - start


def users_ids() -> range:
    """Every user id, the replier included."""
    return range(1, TIMERS + 2)


async def timed(step: Any) -> float:
    """Seconds one awaited step took."""
    start = time.perf_counter()
    await step
    return time.perf_counter() - start


async def reset_refreshes(deps: Deps) -> None:
    """Every timer due for a refresh again."""
    async with deps.uow() as uow:
        await uow.session.execute(update(Timer).values(refresh_at=NOW - timedelta(minutes=1)))
        await uow.commit()


async def reply_latencies(user: ChatUser) -> list[float]:
    """Seconds for each of REPLIES `/timer` commands (the picker, read from the database)."""
    seconds = []
    for _ in range(REPLIES):
        start = time.perf_counter()
        await user.send("/timer")
        seconds.append(time.perf_counter() - start)
    return seconds


async def measure(url: str) -> dict[str, float]:
    """All figures for one database."""
    figures: dict[str, float] = {"populate": await populate(url)}
    api = FakeBotApi()
    app = bench_app(url, api, Clock())
    await app.initialize()
    stub: Any = StubBot()
    try:
        deps: Deps = app.bot_data["deps"]
        figures["budget"] = refresh_budget(deps)
        await reset_refreshes(deps)
        start = time.perf_counter()
        report = await refresh_timers(deps, stub)
        figures["refresh_run"] = time.perf_counter() - start
        figures["refresh_edited"] = report.edited
        await reset_refreshes(deps)
        start = time.perf_counter()
        report = await refresh_timers(deps, stub, budget=TIMERS)
        figures["refresh_all"] = time.perf_counter() - start
        figures["refresh_all_claimed"] = report.claimed
        start = time.perf_counter()
        report = await refresh_timers(deps, stub)
        figures["refresh_idle"] = time.perf_counter() - start

        times = guard_times(deps)
        async with deps.uow() as uow:
            start = time.perf_counter()
            asked = await claim_guard_questions(uow, times, limit=TIMERS)
            figures["guard_ask_all"] = time.perf_counter() - start
            figures["guard_asked"] = len(asked)
        async with deps.uow() as uow:
            start = time.perf_counter()
            idle = await forgotten_timers(uow, times)
            figures["guard_scan_idle"] = time.perf_counter() - start
            assert idle == []
        later = guard_times(deps)
        later = type(later)(NOW + timedelta(hours=1), later.idle, later.answer)
        async with deps.uow() as uow:
            due = await forgotten_timers(uow, later, limit=STOPS)
        start = time.perf_counter()
        for candidate in due:
            async with deps.uow() as uow:
                await stop_forgotten(uow, candidate, later)
        figures["guard_stop_each_ms"] = (time.perf_counter() - start) / len(due) * 1000

        user = ChatUser(app, api, user_id=REPLIER, first_name="Replier")
        await user.send("/timer")  # registers and warms up
        alone = await reply_latencies(user)
        await reset_refreshes(deps)
        busy = True

        async def refreshing() -> int:
            runs = 0
            while busy:  # 10,000 due: far more runs' worth than the replies take
                await refresh_timers(deps, stub)
                runs += 1
                await asyncio.sleep(REFRESH_GAP)
            return runs

        background = asyncio.create_task(refreshing())
        loaded = await reply_latencies(user)
        busy = False
        figures["refresh_runs_meanwhile"] = await background
        figures["reply_alone_ms"] = statistics.median(alone) * 1000
        figures["reply_loaded_ms"] = statistics.median(loaded) * 1000
        figures["reply_ratio"] = figures["reply_loaded_ms"] / figures["reply_alone_ms"]
        figures["reply_alone_p95_ms"] = p95(alone) * 1000
        figures["reply_loaded_p95_ms"] = p95(loaded) * 1000
    finally:
        await app.shutdown()
        await on_shutdown(app)
    return figures


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1]


def report_lines(results: dict[str, dict[str, float]]) -> list[str]:
    """The results as a Markdown table."""
    lines = [
        "| backend | refresh run (180 edits) | claim all 10,000 | idle run | guard: ask 10,000 |"
        " guard idle scan | silent stop, each | /timer reply: alone / refreshes every 0.25 s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in results.items():
        lines.append(
            f"| {name} | {f['refresh_run'] * 1000:.0f} ms ({f['refresh_edited']:.0f}) "
            f"| {f['refresh_all'] * 1000:.0f} ms | {f['refresh_idle'] * 1000:.1f} ms "
            f"| {f['guard_ask_all'] * 1000:.0f} ms | {f['guard_scan_idle'] * 1000:.1f} ms "
            f"| {f['guard_stop_each_ms']:.1f} ms | median {f['reply_alone_ms']:.1f} / "
            f"{f['reply_loaded_ms']:.1f} ms ({f['reply_ratio']:.2f}x), p95 "
            f"{f['reply_alone_p95_ms']:.1f} / {f['reply_loaded_p95_ms']:.1f} ms "
            f"({f['refresh_runs_meanwhile']:.0f} refresh runs meanwhile) |"
        )
    return lines


async def main() -> None:
    """Run on SQLite and (if configured) PostgreSQL, print, and record."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    results = await on_both_backends(measure)
    lines = report_lines(results)
    print("\n".join(lines))
    if not args.no_record:
        record(
            "Practice timers: refresh job, guard and replies at 10,000 running",
            f"{TIMERS:,} users with a running timer each (bulk-inserted), all due for a "
            "refresh and idle for 2 h 10 min; edits go to a stub (our side only); "
            "`python benchmarks/timer.py`.",
            lines,
        )


if __name__ == "__main__":
    asyncio.run(main())
