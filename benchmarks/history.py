"""Benchmark: one /history page for a user with 200 sessions and one with 20,000, in one run.

Both users are served by the real Application (bot.app.build_application) on the fake Bot API:
PTB update parsing and dispatch, the handler wrapper's user lookup, the page (keyset query,
evidence counts, the filter's totals), and the sendMessage / editMessageText + answer calls.
Light: 3 skills, 200 sessions over 100 days. Heavy: 10 skills, 20,000 sessions over about five
years. Every fifth session has a piece of evidence. Measurements of the two users alternate, in
rounds, so a busy machine affects both alike; the ratio heavy/light of the medians is the
figure (target: under 2).

    /work/main/.venv/bin/python benchmarks/history.py                # SQLite (temporary file)
    /work/main/.venv/bin/python benchmarks/history.py --postgres URL # PostgreSQL too

On PostgreSQL the schema is migrated if needed; the two benchmark users are removed before and
after (ON DELETE CASCADE takes their skills, sessions and evidence).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, insert, select, text

from benchmarks.common import bench_app, remove_users
from bot.app import on_shutdown
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from storage.models import Evidence, PracticeLog, Skill, User
from storage.uow import UnitOfWork
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
LIGHT, HEAVY = 940_001, 940_002
SESSIONS = {LIGHT: 200, HEAVY: 20_000}
SKILLS = {LIGHT: 3, HEAVY: 10}
PER_DAY = {LIGHT: 2, HEAVY: 11}
ROUNDS = 15
WARMUP = 2

Action = Callable[[], Awaitable[object]]


async def seed(url: str) -> dict[int, dict[str, int]]:
    """Migrate, replace the benchmark users, bulk-insert their history; ids the scenarios use."""
    engine = create_engine(url)
    await upgrade_to_head(engine)
    marks: dict[int, dict[str, int]] = {}
    async with UnitOfWork(create_session_factory(engine)) as uow:
        await uow.session.execute(delete(User).where(User.id.in_(list(SESSIONS))))
        for user_id, count in SESSIONS.items():
            uow.session.add(User(id=user_id, chat_id=user_id, timezone="UTC"))
            await uow.session.flush()
            skill_ids = []
            for n in range(SKILLS[user_id]):
                name = "React" if n == 0 else f"Skill {n}"
                skill = Skill(user_id=user_id, name=name, name_key=name.casefold())
                uow.session.add(skill)
                await uow.session.flush()
                skill_ids.append(skill.id)
            rows = [
                {
                    "user_id": user_id,
                    "skill_id": skill_ids[i % len(skill_ids)],
                    "practiced_on": TODAY - timedelta(days=i // PER_DAY[user_id]),
                    "duration_minutes": 30 + i % 60,
                    "description": f"Benchmark practice session number {i} with some detail",
                    "difficulty": 1 + i % 5,
                    "confidence": None if i % 3 else 1 + i % 5,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(count)
            ]
            for start in range(0, len(rows), 5000):
                await uow.session.execute(insert(PracticeLog), rows[start : start + 5000])
            logs = (
                await uow.session.execute(
                    select(PracticeLog.id, PracticeLog.skill_id, PracticeLog.practiced_on)
                    .where(PracticeLog.user_id == user_id)
                    .order_by(PracticeLog.practiced_on.desc(), PracticeLog.id.desc())
                )
            ).all()
            evidence = [
                {
                    "user_id": user_id,
                    "skill_id": skill_id,
                    "practice_log_id": log_id,
                    "kind": "link",
                    "url": f"https://example.com/article/{log_id}",
                    "created_at": NOW,
                }
                for log_id, skill_id, _ in logs[::5]
            ]
            for start in range(0, len(evidence), 5000):
                await uow.session.execute(insert(Evidence), evidence[start : start + 5000])
            middle_id, _, middle_day = logs[len(logs) // 2]
            marks[user_id] = {
                "skill": skill_ids[0],
                "middle_id": middle_id,
                "middle_day": middle_day.toordinal(),
                "newest": logs[0][0],
            }
        await uow.commit()
    if engine.dialect.name == "postgresql":
        # Statistics and visibility map as autovacuum would leave them after a bulk load.
        async with engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE practice_logs"))
            await auto.execute(text("VACUUM ANALYZE evidence"))
    await engine.dispose()
    return marks


def scenarios(user: ChatUser, marks: dict[str, int]) -> dict[str, Action]:
    """What one user does; every action is one update through the Application."""
    skill, middle = marks["skill"], f"{marks['middle_day']}:{marks['middle_id']}"
    return {
        "/history (newest page)": lambda: user.send("/history"),
        "Older ▶ from the middle": lambda: user.tap_data(f"hs:p:o:{middle}:0:a"),
        "◀ Newer from the middle": lambda: user.tap_data(f"hs:p:n:{middle}:0:a"),
        "React only, middle page": lambda: user.tap_data(f"hs:p:o:{middle}:{skill}:a"),
        "/history react last 30 days": lambda: user.send("/history react last 30 days"),
        "session detail": lambda: user.tap_data(f"hs:v:{marks['newest']}:0:0:0:a"),
    }


async def timed(action: Action) -> float:
    """Milliseconds one action takes."""
    start = time.perf_counter()
    await action()
    return (time.perf_counter() - start) * 1000


async def measure(url: str, label: str) -> list[str]:
    """Run every scenario for both users, alternating; return report lines."""
    marks = await seed(url)
    api = FakeBotApi(clock=NOW.timestamp)
    app = bench_app(url, api, lambda: NOW, default_timezone="UTC")
    await app.initialize()
    samples: dict[str, dict[int, list[float]]] = {}
    try:
        users = {uid: ChatUser(app, api, user_id=uid, first_name="Bench") for uid in SESSIONS}
        plans = {uid: scenarios(user, marks[uid]) for uid, user in users.items()}
        for user in users.values():  # each user needs a message for presses to land on
            await user.send("/history")
        for round_ in range(WARMUP + ROUNDS):
            for name in plans[LIGHT]:
                for uid in SESSIONS:
                    took = await timed(plans[uid][name])
                    if round_ >= WARMUP:
                        samples.setdefault(name, {}).setdefault(uid, []).append(took)
        failed = [c for c in api.calls if "went wrong" in str(c.params)]
        if failed:
            raise RuntimeError(f"{len(failed)} updates failed")
    finally:
        await app.shutdown()
        await on_shutdown(app)
        await remove_users(url, SESSIONS)
    lines = [
        f"{label}: light = {SESSIONS[LIGHT]} sessions, heavy = {SESSIONS[HEAVY]:,} sessions; "
        f"median of {ROUNDS} alternating rounds, ms",
        f"  {'scenario':<30} {'light':>7} {'heavy':>7} {'ratio':>6}",
    ]
    for name, by_user in samples.items():
        light, heavy = statistics.median(by_user[LIGHT]), statistics.median(by_user[HEAVY])
        lines.append(f"  {name:<30} {light:7.1f} {heavy:7.1f} {heavy / light:6.2f}")
    return lines


async def main() -> None:
    """Run on SQLite, and on PostgreSQL when a URL is given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL (postgresql+asyncpg://...)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        lines = await measure(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "SQLite")
    if args.postgres:
        lines += await measure(args.postgres, "PostgreSQL")
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {load:.1f}")
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
