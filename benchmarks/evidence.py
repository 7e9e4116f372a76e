"""Benchmark: evidence screens and attaching for a light and a heavy user, in the same run.

The light user has 1 skill, 50 sessions and 100 pieces of evidence; the heavy one 10 skills,
5,000 sessions and 20,000 pieces (2,000 of them on the skill whose list is shown). Both are
served by the real Application on the fake Bot API; the ratio heavy/light of the median handling
time shows how cost grows with history.

    /work/main/.venv/bin/python benchmarks/evidence.py                # SQLite (temporary file)
    /work/main/.venv/bin/python benchmarks/evidence.py --postgres URL # PostgreSQL too

On PostgreSQL the schema is migrated if needed; the two benchmark users are removed before and
after (ON DELETE CASCADE takes their skills, sessions and evidence).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
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
from bot.ui.evidence import PAGE_SIZE, page_count
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from storage.models import Evidence, PracticeLog, Skill, User
from storage.uow import UnitOfWork
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
LIGHT, HEAVY = 920_001, 920_002
SESSIONS = {LIGHT: 50, HEAVY: 5_000}
EVIDENCE = {LIGHT: 100, HEAVY: 20_000}
SKILLS = {LIGHT: 1, HEAVY: 10}
REPEATS = 15
WARMUP = 2
ALBUMS = itertools.count()  # a new media_group_id for every album sent


async def seed(url: str) -> dict[int, int]:
    """Migrate, remove old benchmark users, bulk-insert sessions and evidence; skill id per user."""
    engine = create_engine(url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    skills: dict[int, int] = {}
    async with UnitOfWork(factory) as uow:
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
            skills[user_id] = skill_ids[0]
            await uow.session.execute(
                insert(PracticeLog),
                [
                    {
                        "user_id": user_id,
                        "skill_id": skill_ids[i % len(skill_ids)],
                        "practiced_on": TODAY - timedelta(days=i // 3),
                        "duration_minutes": 30,
                        "description": "Benchmark practice session",
                    }
                    for i in range(count)
                ],
            )
            logs = (
                await uow.session.execute(
                    select(PracticeLog.id, PracticeLog.skill_id).where(
                        PracticeLog.user_id == user_id
                    )
                )
            ).all()
            rows = []
            for i in range(EVIDENCE[user_id]):
                log_id, skill_id = logs[i % len(logs)]
                rows.append(
                    {
                        "user_id": user_id,
                        "skill_id": skill_id,
                        # Every tenth piece is about the skill as a whole.
                        "practice_log_id": None if i % 10 == 0 else log_id,
                        "kind": "link" if i % 2 else "note",
                        "url": f"https://example.com/article/{i}" if i % 2 else None,
                        "note": None if i % 2 else f"Takeaway number {i}: " + "x" * 200,
                        "created_at": NOW - timedelta(minutes=i),
                    }
                )
            for start in range(0, len(rows), 5000):
                await uow.session.execute(insert(Evidence), rows[start : start + 5000])
        await uow.commit()
    if engine.dialect.name == "postgresql":
        # Fresh statistics, as autovacuum would have them after a bulk load.
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    await engine.dispose()
    return skills


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    """Median milliseconds of REPEATS runs after WARMUP runs."""
    for _ in range(WARMUP):
        await action()
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def measure(url: str, label: str) -> list[str]:
    """Run every scenario for both users; return report lines."""
    skills = await seed(url)
    api = FakeBotApi(clock=NOW.timestamp)
    app = bench_app(url, api, lambda: NOW, default_timezone="UTC")
    await app.initialize()
    results: dict[str, dict[int, float]] = {}
    try:
        for user_id in SESSIONS:
            user = ChatUser(app, api, user_id=user_id, first_name="Bench")
            skill = skills[user_id]
            last = page_count(EVIDENCE[user_id] // SKILLS[user_id], PAGE_SIZE) - 1

            async def link_and_attach(user: ChatUser = user) -> None:
                # Ask where (recent sessions + skills), then attach with the duplicate check.
                await user.send("Worth re-reading: https://react.dev/learn/escape-hatches")
                await user.tap("React · today · 30 min")

            async def album_and_attach(user: ChatUser = user) -> None:
                # Three updates of one album: one prompt (then edited), one tap.
                album = f"bench-{next(ALBUMS)}"
                for _ in range(3):
                    await user.send_photo(media_group_id=album)
                await user.tap("📚 React (skill)")

            async def voice_and_attach(user: ChatUser = user) -> None:
                await user.send_voice(duration=30)
                await user.tap("📚 React (skill)")

            async def log_while_waiting(user: ChatUser = user) -> None:
                # A photo waits for a place; /log saves and offers to attach it.
                await user.send_photo()
                await user.send("/log react 5m benchmark session while a photo waits")
                await user.tap("✖ Cancel")

            async def log_then_photo(user: ChatUser = user) -> None:
                # The same two messages with nothing waiting at /log time.
                await user.send("/log react 5m benchmark session, nothing waiting")
                await user.send_photo()
                await user.tap("✖ Cancel")

            scenarios: dict[str, Callable[[], Awaitable[object]]] = {
                "/evidence React (page 1)": lambda user=user: user.send("/evidence React"),
                "last page of the list": lambda user=user, skill=skill, last=last: user.tap_data(
                    f"ev:l:{skill}:{last}"
                ),
                "/evidence (skill picker)": lambda user=user: user.send("/evidence"),
                "send a link + attach": link_and_attach,
                "album of 3 photos + attach": album_and_attach,
                "voice message + attach": voice_and_attach,
                "photo captioned /log": lambda user=user: user.send_photo(
                    caption="/log react 5m benchmark session with a screenshot"
                ),
                "/log, nothing waiting (+photo)": log_then_photo,
                "/log while a photo waits": log_while_waiting,
            }
            for name, action in scenarios.items():
                results.setdefault(name, {})[user_id] = await timed(action)
    finally:
        await app.shutdown()
        await app.bot_data["deps"].engine.dispose()
        await remove_users(url, SESSIONS)
    lines = [
        f"{label}: light = {SESSIONS[LIGHT]} sessions / {EVIDENCE[LIGHT]} evidence "
        f"({EVIDENCE[LIGHT] // SKILLS[LIGHT]} on React), heavy = {SESSIONS[HEAVY]:,} sessions / "
        f"{EVIDENCE[HEAVY]:,} evidence ({EVIDENCE[HEAVY] // SKILLS[HEAVY]:,} on React); "
        f"median of {REPEATS}, ms",
        f"  {'scenario':<28} {'light':>8} {'heavy':>8} {'ratio':>6}",
    ]
    for name, by_user in results.items():
        light, heavy = by_user[LIGHT], by_user[HEAVY]
        lines.append(f"  {name:<28} {light:8.1f} {heavy:8.1f} {heavy / light:6.2f}")
    return lines


async def main() -> None:
    """Run on SQLite, and on PostgreSQL when a URL is given."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL URL (postgresql+asyncpg://...)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        lines = await measure(url, "SQLite")
    if args.postgres:
        lines += await measure(args.postgres, "PostgreSQL")
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
