"""Quick Log throughput, end to end, next to plain one-row inserts through the same stack.

Quick Log: a button press (a callback_query update, as Telegram would deliver it) goes through
the real Application built by bot.app.build_application on a fresh SQLite file: PTB's update
parsing and dispatch, the handler wrapper's user lookup, the save (one INSERT ... SELECT that
checks ownership, archived skill, the day cap and the idempotency token, and returns what the
card's streak line needs), commit, then editMessageText + answerCallbackQuery to the in-process
fake Bot API (tests/fakebot/).
Plain (the denominator of quick_log_ratio): `async with engine.begin(): INSERT one row` into a
table of its own with no foreign keys, indexes or checks, in its own SQLite file, through a
separate engine set up as the application's engine was before any tuning (plain_engine below:
the same PRAGMAs, WAL, BEGIN IMMEDIATE through SQLAlchemy, SQLAlchemy async + aiosqlite, the
pool's defaults). Nothing done to the application's engine or tables speeds it up, so the ratio
moves only when a press gets cheaper.
Raw (the earlier comparison, kept as a second line): one practice_logs row, with its foreign
keys and indexes, on the application's own engine.
Empty press: the Quick Log "Close" button, i.e. everything a press costs except the save.
With the inbox (an extra line, not the ratio): the same presses on a second Application built
with its updater, so each update is first stored in update_inbox as polling stores it (its
getUpdates batch, here of one, as received) and later marked done (benchmarks/inbox.py's
InboxTapper), on its own SQLite file, in the same rounds.

All three run in the same process, interleaved in short rounds; the ratio is taken per round
(neighbouring measurements) and the median reported, so a busy machine skews it least.
Two ways of interleaving are reported, because they disagree by about 20%:
- batches: 150 presses, then 150 plain inserts, 150 raw inserts, then 150 empty presses. A
  tight loop of identical inserts runs with the CPU's caches and branch predictors warm for
  exactly that code, which flatters the insert rates.
- pairs: one press, then one raw insert, each timed alone; the two then run under the same
  conditions, as a raw insert inside a running bot would.
The AIORateLimiter is disabled (build_application(rate_limit=False)): it throttles by design
(30 messages/s overall), so with it the benchmark would only measure the limiter.

Run: /work/main/.venv/bin/python benchmarks/quick_log.py [--rounds 8] [--batch 150]
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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from telegram import Update

from benchmarks.common import bench_app, migrate
from bot.app import on_shutdown
from bot.core.runtime import BotApp, Deps
from bot.ui.callbacks import QuickClose, QuickSave
from bot.ui.quick_log import QUICK_MINUTES, new_nonce
from storage.db import SQLITE_BUSY_TIMEOUT_MS
from storage.models import PracticeLog, User
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RAW_USER = 1
FIRST_USER = 100_000


class Tapper:
    """Many users pressing Quick Log buttons on their /quick message, round robin.

    A press is fed the way Telegram delivers it: an update's JSON (with the pressed message)
    parsed by Update.de_json and given to Application.process_update. Each press carries a new
    nonce (as a new /quick keyboard would), so each saves a session; durations rotate 15/30/60
    so consecutive edits of one message differ, and a user stays under the 24-hour day cap for
    about 40 presses.
    """

    def __init__(self, app: BotApp, api: FakeBotApi, users: int) -> None:
        self.app, self.api = app, api
        self.chats = [ChatUser(app, api, FIRST_USER + i, f"U{i}") for i in range(users)]
        self.grids: dict[int, int] = {}
        self.skills: dict[int, int] = {}
        self.presses = 0
        self.serial = 0

    async def setup(self) -> None:
        deps: Deps = self.app.bot_data["deps"]
        async with deps.uow() as uow:
            for chat in self.chats:
                uow.session.add(User(id=chat.user_id, chat_id=chat.user_id, timezone="UTC"))
            await uow.session.flush()
            for chat in self.chats:
                skill = await uow.skills.add(chat.user_id, "React", "react")
                self.skills[chat.user_id] = skill.id
            await uow.commit()
        for chat in self.chats:
            await chat.send("/quick")
            self.grids[chat.user_id] = chat.last_message()["message_id"]

    def pressed(self, chat: ChatUser, data: str) -> dict[str, Any]:
        """The callback_query update, as Telegram sends it, for `data` on the user's /quick."""
        self.serial += 1
        query_id = f"b{self.serial}"
        self.api.register_callback_query(query_id, chat.user_id)
        return {
            "update_id": self.api.next_update_id(),
            "callback_query": {
                "id": query_id,
                "from": chat.user,
                "message": self.api.find_message(chat.user_id, self.grids[chat.user_id]),
                "chat_instance": f"ci{chat.user_id}",
                "data": data,
            },
        }

    async def tap(self, chat: ChatUser, data: str) -> None:
        """Deliver one callback_query update for `data` pressed on the user's /quick message."""
        await self.app.process_update(Update.de_json(self.pressed(chat, data), self.app.bot))

    async def press(self) -> None:
        """A Quick Log save press."""
        chat = self.chats[self.presses % len(self.chats)]
        minutes = QUICK_MINUTES[(self.presses // len(self.chats)) % len(QUICK_MINUTES)]
        self.presses += 1
        skill = self.skills[chat.user_id]
        await self.tap(chat, QuickSave(skill, minutes, new_nonce()).encode())

    async def empty_press(self) -> None:
        """The Close button: the same wrapper, user lookup, edit and answer, but no save."""
        chat = self.chats[self.serial % len(self.chats)]
        await self.tap(chat, QuickClose().encode())


PLAIN = Table(
    "plain_inserts",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer),
    Column("skill_id", Integer),
    Column("practiced_on", Date),
    Column("duration_minutes", Integer),
    Column("description", String),
    Column("created_at", DateTime),
)


def plain_engine(url: str) -> AsyncEngine:
    """SQLAlchemy async + aiosqlite with the application's PRAGMAs, and nothing else tuned."""
    engine = create_async_engine(url, hide_parameters=True)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


async def plain_insert(engine: AsyncEngine) -> None:
    """One transaction inserting one row into a table with nothing but a primary key."""
    async with engine.begin() as conn:
        await conn.execute(
            insert(PLAIN).values(
                user_id=RAW_USER,
                skill_id=1,
                practiced_on=date(2026, 11, 25),
                duration_minutes=30,
                description="Quick practice: 30 min of React",
                created_at=NOW,
            )
        )


async def raw_insert(deps: Deps, skill_id: int) -> None:
    """One transaction inserting one row, the way SQLAlchemy async does it at its simplest."""
    async with deps.engine.begin() as conn:
        await conn.execute(
            insert(PracticeLog).values(
                user_id=RAW_USER,
                skill_id=skill_id,
                practiced_on=date(2026, 11, 25),
                duration_minutes=30,
                description="Quick practice: 30 min of React",
                source="chat",
                created_at=NOW,
                updated_at=NOW,
            )
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)  # at least 5: the ratio is a median
    parser.add_argument("--batch", type=int, default=150)
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds must be at least 5")
    presses = args.rounds * (args.batch + args.batch // 2) + 50
    if presses > args.users * 40:
        parser.error("too many presses for the day cap: raise --users")

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await migrate(url)
        api = FakeBotApi()
        app = bench_app(url, api, lambda: NOW)
        await app.initialize()
        deps: Deps = app.bot_data["deps"]
        async with deps.uow() as uow:
            uow.session.add(User(id=RAW_USER, chat_id=RAW_USER, timezone="UTC"))
            await uow.session.flush()
            raw_skill = (await uow.skills.add(RAW_USER, "Raw", "raw")).id
            await uow.commit()
        tapper = Tapper(app, api, args.users)
        await tapper.setup()
        plain = plain_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'plain.db'}")
        async with plain.begin() as conn:
            await conn.run_sync(PLAIN.metadata.create_all)
        inbox_app, inbox_tapper = await inbox_setup(
            f"sqlite+aiosqlite:///{Path(tmp) / 'inbox.db'}", args.users
        )

        async def raw() -> None:
            await raw_insert(deps, raw_skill)

        async def plain_step() -> None:
            await plain_insert(plain)

        await timed(50, tapper.press)  # warm-up: caches, connection pool, statement cache
        await timed(50, plain_step)
        await timed(50, raw)
        await timed(50, tapper.empty_press)
        await timed(50, inbox_tapper.press)
        quick_rates, plain_rates, raw_rates, empty_rates, paired = [], [], [], [], []
        inbox_rates: list[float] = []
        for _ in range(args.rounds):
            quick_rates.append(await timed(args.batch, tapper.press))
            plain_rates.append(await timed(args.batch, plain_step))
            raw_rates.append(await timed(args.batch, raw))
            empty_rates.append(await timed(args.batch, tapper.empty_press))
            paired.append(await alternated(args.batch // 2, tapper.press, raw))
            inbox_rates.append(await timed(args.batch, inbox_tapper.press))

        async with deps.uow() as uow:
            saved = await uow.session.scalar(
                select(func.count()).select_from(PracticeLog).where(PracticeLog.source == "quick")
            )
        answered = sum(1 for a in api.callback_answers.values() if a.get("text") == "Saved")
        await app.shutdown()
        await on_shutdown(app)
        await inbox_app.shutdown()
        await on_shutdown(inbox_app)
        await plain.dispose()

    quick, raw_rate = statistics.median(quick_rates), statistics.median(raw_rates)
    plain_rate = statistics.median(plain_rates)
    plain_ratio = statistics.median(q / p for q, p in zip(quick_rates, plain_rates, strict=True))
    empty = statistics.median(empty_rates)
    ratio = statistics.median(q / r for q, r in zip(quick_rates, raw_rates, strict=True))
    empty_ratio = statistics.median(e / r for e, r in zip(empty_rates, raw_rates, strict=True))
    pair_quick = statistics.median(q for q, _ in paired)
    pair_raw = statistics.median(r for _, r in paired)
    pair_ratio = statistics.median(q / r for q, r in paired)
    load = " -> ".join(f"{a:.1f}" for a in (load_before, os.getloadavg()[0]))
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load average {load}")
    print(f"SQLite file, {args.rounds} rounds, rate limiter off")
    print(f"users pressing: {args.users}; quick sessions saved: {saved} of {tapper.presses}")
    print(f"Batches of {args.batch}, per round:")
    print("  quick log presses/s:", " ".join(f"{r:.0f}" for r in quick_rates))
    print("  plain insert tx/s:  ", " ".join(f"{r:.0f}" for r in plain_rates))
    print("  raw insert tx/s:    ", " ".join(f"{r:.0f}" for r in raw_rates))
    print("  empty presses/s:    ", " ".join(f"{r:.0f}" for r in empty_rates))
    print(f"{args.batch // 2} pairs (a press, then a raw insert, each timed alone), per round:")
    print("  quick log presses/s:", " ".join(f"{q:.0f}" for q, _ in paired))
    print("  raw insert tx/s:    ", " ".join(f"{r:.0f}" for _, r in paired))
    print("Medians (ratios: median of the per-round ratios):")
    print(
        f"  plain:   Quick Log {quick:.0f}/s, plain insert {plain_rate:.0f} tx/s on its own "
        f"engine and table, ratio {plain_ratio:.2f} (target >= 0.5)"
    )
    print(
        f"  raw:     Quick Log {quick:.0f}/s, practice_logs insert {raw_rate:.0f} tx/s on the "
        f"app's engine, ratio {ratio:.2f} (batches)"
    )
    print(
        f"  pairs:   Quick Log {pair_quick:.0f}/s, raw {pair_raw:.0f} tx/s, ratio {pair_ratio:.2f}"
    )
    print(
        f"  empty press (Close: user lookup, edit, answer): {empty:.0f}/s, ratio {empty_ratio:.2f} "
        "(batches): what any button costs before its own work"
    )
    inbox_rate = statistics.median(inbox_rates)
    inbox_ratio = statistics.median(i / p for i, p in zip(inbox_rates, plain_rates, strict=True))
    print(
        f"  inbox:   Quick Log with the update inbox {inbox_rate:.0f}/s, ratio to plain "
        f"{inbox_ratio:.2f} (each update also stored before and marked done after)"
    )
    print(f"quick_log_ratio={plain_ratio:.2f}")
    if saved != tapper.presses or answered != tapper.presses:
        print(f"PROBLEM: {saved} saved and {answered} answered for {tapper.presses} presses")
        sys.exit(1)


async def inbox_setup(url: str, users: int) -> tuple[BotApp, Tapper]:
    """A second Application, with its updater's inbox, and users ready to press on it."""
    from benchmarks.inbox import InboxTapper  # it builds on this module's Tapper

    await migrate(url)
    api = FakeBotApi()
    app = bench_app(url, api, lambda: NOW, with_updater=True)
    await app.initialize()
    tapper = InboxTapper(app, api, users)
    await tapper.setup()
    return app, tapper


async def alternated(
    count: int, first: Callable[[], Awaitable[None]], second: Callable[[], Awaitable[None]]
) -> tuple[float, float]:
    """Run first, second, first, second... count times each; return each one's rate per second."""
    spent = [0.0, 0.0]
    for _ in range(count):
        for i, step in enumerate((first, second)):
            start = time.perf_counter()
            await step()
            spent[i] += time.perf_counter() - start
    return count / spent[0], count / spent[1]


async def timed(count: int, step: Callable[[], Awaitable[None]]) -> float:
    """Run `step` count times; return how many per second."""
    start = time.perf_counter()
    for _ in range(count):
        await step()
    return count / (time.perf_counter() - start)


if __name__ == "__main__":
    asyncio.run(main())
