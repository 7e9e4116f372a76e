"""What durable intake costs per update: Quick Log presses with and without the update inbox.

All sides feed the same real Application (bot.app.build_application, with its updater, so
with the inbox) a Quick Log save press, as tests/fakebot delivers it, through the same update
processor:
- without: the update goes straight to the processor (what PTB did before the inbox), and no
  handler records it applied;
- unmarked: delivered as polling delivers it: the getUpdates batch (here of one update, the
  worst case: a busy bot's batches hold many) stored as received (one committed INSERT into
  update_inbox, which is when Telegram would be told; Inbox.store_received, what the
  getUpdates connection calls), then parsed and put on the Updater's queue, and the processor
  records it done after the handlers; that UPDATE rides along with the next update's INSERT,
  so one extra transaction per update. The save's transaction does not record the update
  applied (the inbox before the applied mark);
- with: as unmarked, with the handlers told about the inbox, so a conversation step would
  record its update applied inside the step's commit. A Quick Log save makes no step and a
  save is not marked (its key makes a replay save once), so this side checks that the save
  path pays nothing for the mark.
Interleaved in short rounds on one SQLite file (and PostgreSQL with BENCH_POSTGRES_URL), the
ratios taken per round and the medians reported. The rate limiter is off, as in quick_log.py.

Run: .venv/bin/python benchmarks/inbox.py [--rounds 8] [--batch 100]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update

from benchmarks.common import Figures, bench_app, migrate, on_both_backends, record
from benchmarks.quick_log import NOW, Tapper
from bot.app import on_shutdown
from bot.core.inbox import InboxQueue
from bot.core.runtime import BotApp, Deps
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi


class InboxTapper(Tapper):
    """Quick Log presses delivered with or without the inbox in front of the processor."""

    def __init__(self, app: BotApp, api: FakeBotApi, users: int) -> None:
        super().__init__(app, api, users)
        assert app.updater is not None
        assert isinstance(app.updater.update_queue, InboxQueue)
        self.intake = app.updater.update_queue
        self.processor = app.update_processor
        self.mark_done = getattr(self.processor, "after", None)
        self.deps: Deps = app.bot_data["deps"]
        self.inbox = self.deps.inbox
        self.mode = "with"

    async def tap(self, chat: ChatUser, data: str) -> None:
        """One press: stored and marked done when durable, else straight to the processor."""
        received = self.pressed(chat, data)
        durable = self.mode != "without"
        self.processor.after = self.mark_done if durable else None  # type: ignore[attr-defined]
        # Without the inbox in Deps, handlers record nothing applied (as before that mark).
        self.deps.inbox = self.inbox if self.mode == "with" else None
        if durable:
            # As polling delivers it: getUpdates' batch (here of one) stored as received,
            # then parsed, then put on the Updater's queue.
            assert self.inbox is not None
            await self.inbox.store_received([received])
        update = Update.de_json(received, self.app.bot)
        if durable:
            await self.intake.put(update)
            update = self.app.update_queue.get_nowait()
        await self.processor.process_update(update, self.app.process_update(update))


MODES = ("with", "unmarked", "without")


async def rates(tapper: InboxTapper, mode: str, count: int) -> float:
    """Presses per second, `count` of them, in `mode` (see MODES and the module docstring)."""
    tapper.mode = mode
    start = time.perf_counter()
    for _ in range(count):
        await tapper.press()
    return count / (time.perf_counter() - start)


async def measure(url: str, rounds: int, batch: int, users: int) -> Figures:
    """Median presses/s with and without the inbox, and the median per-round ratio."""
    await migrate(url)
    api = FakeBotApi()
    app = bench_app(url, api, lambda: NOW, with_updater=True)
    await app.initialize()
    try:
        tapper = InboxTapper(app, api, users)
        await tapper.setup()
        for mode in MODES:  # warm-up
            await rates(tapper, mode, 30)
        seen: dict[str, list[float]] = {mode: [] for mode in MODES}
        for _ in range(rounds):
            for mode in MODES:
                seen[mode].append(await rates(tapper, mode, batch))
    finally:
        await app.shutdown()
        await on_shutdown(app)
    pairs = list(zip(seen["with"], seen["unmarked"], seen["without"], strict=True))
    return {
        "with": statistics.median(seen["with"]),
        "unmarked": statistics.median(seen["unmarked"]),
        "without": statistics.median(seen["without"]),
        "mark_ratio": statistics.median(w / u for w, u, _ in pairs),
        "mark_ms": statistics.median(1000 / w - 1000 / u for w, u, _ in pairs),
        "ratio": statistics.median(w / o for w, _, o in pairs),
        "extra_ms": statistics.median(1000 / w - 1000 / o for w, _, o in pairs),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args()
    if args.rounds * args.batch * len(MODES) + 30 * len(MODES) > args.users * 40:
        parser.error("too many presses for the day cap: raise --users")

    async def one(url: str) -> Figures:
        return await measure(url, args.rounds, args.batch, args.users)

    results = await on_both_backends(one)
    lines = [
        "| Backend | with inbox (presses/s) | unmarked | without | with/unmarked "
        "| applied mark per update | with/without | extra per update |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, f in results.items():
        lines.append(
            f"| {backend} | {f['with']:.0f} | {f['unmarked']:.0f} | {f['without']:.0f} "
            f"| {f['mark_ratio']:.2f} | {f['mark_ms']:.2f} ms | {f['ratio']:.2f} "
            f"| {f['extra_ms']:.2f} ms |"
        )
    print("\n".join(lines))
    if args.record:
        record(
            "Durable intake: Quick Log presses with and without the update inbox",
            f"`benchmarks/inbox.py`, {args.rounds} rounds of {args.batch} presses each way, "
            "interleaved; rate limiter off. *Unmarked*: the update is stored (one committed "
            "INSERT, which also records the previous updates done) before it is handled; "
            "*with*: the same, with the handlers told about the inbox (a step, none here, would "
            "record its update applied in its commit); "
            "*without*: straight to the same update processor. Ratios: medians of the "
            "per-round ratios.",
            lines,
        )


if __name__ == "__main__":
    asyncio.run(main())
