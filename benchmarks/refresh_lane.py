"""Timer refreshes against user replies on one send budget: how long a reply waits for its slot.

Run: .venv/bin/python benchmarks/refresh_lane.py

Only the SendBudget is measured (no database, no HTTP): 30 msg/s as in production, replies
arriving at a steady rate, and a refresher that wants to send
as fast as it can (far more than a run's 180 edits, the worst case of 10,000 timers due), in the
same run, one after the other, under two reply loads (10/s for 6 s; 45/s for 2 s, more than
the budget, where refreshes must be shed):
- alone: replies only;
- unbudgeted: refreshes take no slot at all (what the refresh job did, through the delivery bot
  without a rate limiter): replies keep their wait, but together they exceed Telegram's limit;
- reply lane: refreshes take reply slots (what a refresh through the application's bot did);
- spare lane: refreshes take SendBudget.take_spare slots and shed after waiting SPARE_PATIENCE.
Figures: reply wait median / 95th percentile / max (ms), sends started in the busiest second
(Telegram allows about 30), refreshes sent and shed.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.send_budget import SendBudget
from bot.jobs.timer_refresh import SPARE_PATIENCE_SECONDS

RATE = 30.0
# (replies, seconds between them): 10/s for 6 s, then 45/s for 2 s (more than the budget).
LOADS = ((60, 0.1), (90, 1 / 45))
Refresher = Callable[[SendBudget, list[float], asyncio.Event], Awaitable[tuple[int, int]]]


async def _none(budget: SendBudget, sends: list[float], done: asyncio.Event) -> tuple[int, int]:
    return 0, 0


async def _unbudgeted(
    budget: SendBudget, sends: list[float], done: asyncio.Event
) -> tuple[int, int]:
    sent = 0
    while not done.is_set():
        await asyncio.sleep(1 / 100)  # a stub edit's round trip, no slot taken
        sends.append(time.monotonic())
        sent += 1
    return sent, 0


async def _reply_lane(
    budget: SendBudget, sends: list[float], done: asyncio.Event
) -> tuple[int, int]:
    sent = 0
    while not done.is_set():
        await budget.reply_slot()
        sends.append(time.monotonic())
        sent += 1
    return sent, 0


async def _spare_lane(
    budget: SendBudget, sends: list[float], done: asyncio.Event
) -> tuple[int, int]:
    sent = shed = 0
    while not done.is_set():
        deadline = budget.now() + SPARE_PATIENCE_SECONDS
        while not budget.take_spare():
            wait = budget.spare_wait() or 0.001
            if budget.now() + wait > deadline:
                shed += 1  # the job gives the rest of its run back; here: count and go on
                break
            await budget.sleep(wait)
        else:
            sends.append(time.monotonic())
            sent += 1
    return sent, shed


async def scenario(refresher: Refresher, count: int, every: float) -> list[str]:
    """`count` replies, one every `every` s, while `refresher` runs; the figures of one row."""
    budget = SendBudget(RATE)
    sends: list[float] = []
    waits: list[float] = []
    done = asyncio.Event()

    async def reply() -> None:
        asked = time.monotonic()
        await budget.reply_slot()
        sends.append(time.monotonic())
        waits.append(time.monotonic() - asked)

    async def replies() -> None:
        tasks = []
        for _ in range(count):
            tasks.append(asyncio.create_task(reply()))
            await asyncio.sleep(every)
        await asyncio.gather(*tasks)
        done.set()

    (sent, shed), _ = await asyncio.gather(refresher(budget, sends, done), replies())
    waits.sort()
    busiest = max(sum(1 for t in sends if s <= t < s + 1.0) for s in sends)
    ms = [1000 * statistics.median(waits), 1000 * waits[int(0.95 * len(waits))], 1000 * waits[-1]]
    return [f"{ms[0]:.1f} / {ms[1]:.1f} / {ms[2]:.1f}", str(busiest), str(sent), str(shed)]


async def main() -> None:
    """Print the table, one row per scenario, all in this run."""
    rows = [
        ("alone", _none),
        ("unbudgeted (before: the job)", _unbudgeted),
        ("reply lane (before: via the app's bot)", _reply_lane),
        ("spare lane (after)", _spare_lane),
    ]
    print(
        "| replies | refreshes | reply wait ms: median / p95 / max | busiest second | sent | shed |"
    )
    print("|---|---|---|---|---|---|")
    for count, every in LOADS:
        load = f"{count} at {1 / every:.0f}/s"
        for name, refresher in rows:
            print("| " + " | ".join([load, name, *await scenario(refresher, count, every)]) + " |")


if __name__ == "__main__":
    asyncio.run(main())
