"""Benchmark: /stats, /progress, /streak, /today, /history at 200 and 20,000 sessions.

Both users are served in the same run by the real Application on the fake Bot API, so the
ratio of the two medians shows how handling time grows with a user's history. One line
`ratio <backend> <command> <x.xx> (target <= N)` per command with a target ends each backend's
report: at most 3, and at most 2 for /history.

    /work/main/.venv/bin/python benchmarks/stats.py                # SQLite (temporary file)
    /work/main/.venv/bin/python benchmarks/stats.py --postgres URL # PostgreSQL too

On PostgreSQL the schema is migrated if needed; the two benchmark users are removed before
and after (ON DELETE CASCADE takes their skills and sessions).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, insert, text

from benchmarks.common import bench_app, remove_users
from bot.domain.reports import StatsPeriod
from bot.services.coach import coach_report
from bot.services.insights import skill_progress, stats_report, streak_report
from bot.services.today import today_plan
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from storage.models import PracticeLog, Skill, User
from storage.uow import UnitOfWork
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
SKILLS = ("Guitar", "Spanish", "SQL", "Drawing")
LIGHT, HEAVY = 910_001, 910_002
USERS = {LIGHT: 200, HEAVY: 20_000}
# The heavy user has ten years of history; the light one the last 200 days.
HISTORY_DAYS = {LIGHT: 200, HEAVY: 3650}
COMMANDS = (
    "/stats",
    "/stats month",
    "/stats all",
    "/progress Guitar",
    "/streak",
    "/today",
    "/history",
)
# Heavy/light ratio of the medians each command must stay within.
TARGETS = {
    "/streak": 3.0,
    "/stats all": 3.0,
    "/stats": 3.0,
    "/progress Guitar": 3.0,
    "/today": 3.0,
    "/history": 2.0,
}
CHARTS = ("📊 Weekly chart", "🗓 Calendar")
REPEATS = 15
# Per command and user: (median ms, best ms).
Results = dict[str, dict[int, tuple[float, float]]]
CHART_REPEATS = 5
WARMUP = 2


async def seed(url: str) -> None:
    """Migrate, remove old benchmark users, and bulk-insert both users' sessions."""
    engine = create_engine(url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        await uow.session.execute(delete(User).where(User.id.in_(list(USERS))))
        for user_id, count in USERS.items():
            uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
            await uow.session.flush()
            skill_ids = []
            for name in SKILLS:
                # Weekly goals, so the goal streaks and /today's goal reasons are computed too.
                skill = Skill(
                    user_id=user_id,
                    name=name,
                    name_key=name.casefold(),
                    weekly_goal_sessions=3,
                    weekly_goal_minutes=120,
                )
                uow.session.add(skill)
                await uow.session.flush()
                skill_ids.append(skill.id)
            span = HISTORY_DAYS[user_id]
            rows = [
                {
                    "user_id": user_id,
                    "skill_id": skill_ids[i % len(skill_ids)],
                    # Spread evenly, newest first, with a few days off here and there.
                    "practiced_on": TODAY - timedelta(days=(i * span) // count),
                    "duration_minutes": 15 + (i * 7) % 90,
                    "description": "Benchmark practice session",
                }
                for i in range(count)
            ]
            # Multi-row INSERTs, as an import writes them (transfer.add_logs): PostgreSQL's
            # statement triggers then maintain the derived tables once per batch.
            await uow.session.execute(insert(PracticeLog).returning(PracticeLog.id), rows)
        await uow.commit()
    if engine.dialect.name == "postgresql":
        # Autovacuum would do this soon after in a live database; without it the planner
        # still believes the table is empty.
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE practice_logs"))
            await connection.commit()
    await engine.dispose()


async def timed(action: object) -> float:
    """Milliseconds one awaited action took."""
    start = time.perf_counter()
    await action  # type: ignore[misc]
    return (time.perf_counter() - start) * 1000


async def measure(url: str) -> Results:
    """Median milliseconds per command and user."""
    api = FakeBotApi()
    app = bench_app(url, api, lambda: NOW, default_timezone="UTC")
    await app.initialize()
    users = {uid: ChatUser(app, api, user_id=uid, first_name=f"Bench{uid}") for uid in USERS}
    results: Results = {}
    try:
        for command in (*COMMANDS, *CHARTS):
            samples: dict[int, list[float]] = {uid: [] for uid in USERS}
            repeats = CHART_REPEATS if command in CHARTS else REPEATS
            # Alternate the two users so a busy machine slows both alike.
            for attempt in range(WARMUP + repeats):
                for uid, user in users.items():
                    if command in CHARTS:
                        await user.send("/stats")
                        took = await timed(user.tap(command))
                    else:
                        took = await timed(user.send(command))
                    if attempt >= WARMUP:
                        samples[uid].append(took)
            results[command] = {uid: _summary(found) for uid, found in samples.items()}
            api.clear()
    finally:
        await app.shutdown()
    return results


async def measure_services(url: str) -> Results:
    """Median milliseconds of the data loading alone (queries + domain, no Telegram, no PNG)."""
    engine = create_engine(url)
    factory = create_session_factory(engine)
    results: Results = {}
    jobs = {
        "data: stats week": lambda uow, uid: stats_report(uow, uid, TODAY, StatsPeriod.WEEK),
        "data: stats all": lambda uow, uid: stats_report(uow, uid, TODAY, StatsPeriod.ALL),
        "data: progress": _progress_data,
        "data: streak": lambda uow, uid: streak_report(uow, uid, TODAY),
        # What /streak adds on top of streak_report: freezes, goal streaks, habit strength.
        "data: streak coaching": lambda uow, uid: coach_report(uow, uid, TODAY),
        "data: today": lambda uow, uid: today_plan(uow, uid, TODAY),
    }
    try:
        for name, job in jobs.items():
            samples: dict[int, list[float]] = {uid: [] for uid in USERS}
            for attempt in range(WARMUP + REPEATS):
                for uid in USERS:
                    async with UnitOfWork(factory) as uow:
                        took = await timed(job(uow, uid))
                    if attempt >= WARMUP:
                        samples[uid].append(took)
            results[name] = {uid: _summary(found) for uid, found in samples.items()}
    finally:
        await engine.dispose()
    return results


async def _progress_data(uow: UnitOfWork, uid: int) -> object:
    skill = next(s for s in await uow.analytics.skills(uid) if s.name == "Guitar")
    return await skill_progress(uow, uid, skill, TODAY)


def _summary(samples: list[float]) -> tuple[float, float]:
    """(median, best): on a shared machine the best run is the one least disturbed."""
    return statistics.median(samples), min(samples)


def report(backend: str, results: Results) -> list[str]:
    """A Markdown table of medians, best runs and heavy/light ratios."""
    lines = [
        f"{backend}: ms over {REPEATS} runs ({CHART_REPEATS} for charts), users alternating",
        "",
        "| command | 200: median | 20,000: median | ratio | 200: best | 20,000: best | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for command, by_user in results.items():
        (light, light_best), (heavy, heavy_best) = by_user[LIGHT], by_user[HEAVY]
        label = f"tap {command}" if command in CHARTS else command
        label = label if label.startswith("data:") else f"`{label}`"
        lines.append(
            f"| {label} | {light:.1f} | {heavy:.1f} | {heavy / light:.2f} "
            f"| {light_best:.1f} | {heavy_best:.1f} | {heavy_best / light_best:.2f} |"
        )
    return lines


async def run(backend: str, url: str) -> None:
    """Seed, measure and print one backend."""
    started = time.perf_counter()
    await seed(url)
    seeded = time.perf_counter() - started
    try:
        results = await measure(url)
        results.update(await measure_services(url))
    finally:
        if backend == "PostgreSQL":
            await remove_users(url, USERS)
    print(f"\nSeeded {sum(USERS.values()):,} sessions in {seeded:.1f} s")
    print("\n".join(report(backend, results)))
    print()
    for command, target in TARGETS.items():
        (light, _), (heavy, _) = results[command][LIGHT], results[command][HEAVY]
        verdict = "ok" if heavy / light <= target else "OVER"
        print(f"ratio {backend} {command} {heavy / light:.2f} (target <= {target:g}) {verdict}")


def main() -> None:
    """Parse arguments and run the benchmark on SQLite (and PostgreSQL if given)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="also run on this PostgreSQL URL (asyncpg)")
    args = parser.parse_args()
    print(f"Benchmark of /stats, /progress, /streak and /today on {date.today():%Y-%m-%d}")
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"))
    if args.postgres:
        asyncio.run(run("PostgreSQL", args.postgres))


if __name__ == "__main__":
    main()
