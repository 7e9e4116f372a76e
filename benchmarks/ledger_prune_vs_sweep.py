"""Does the send-ledger prune's index slow the reminder sweep? Claims with and without it.

Run: /work/main/.venv/bin/python benchmarks/ledger_prune_vs_sweep.py [postgres-url]
SQLite (a temporary file) without an argument; with one, that PostgreSQL database (its schema
is reset). Uses benchmarks/reminders.py's 100,000 users and its claim_everything (every due
message of the sweep at Sunday 20:30 UTC, claimed in batches without sending), then the idle
selection; the ledger is emptied between rounds, and the index dropped or re-created, in the
order without, with, without, with (the first round also warms the caches). Prints only.

Emptying the ledger leaves PostgreSQL with statistics that say it is empty while each round
fills it: the case in which a plain (kind, period_key) index was picked for the sweep's
per-user lookups and claiming took ~60 s instead of ~11 s.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import reminders  # the benchmark module beside this one
from sqlalchemy import delete, text

from bot.core.runtime import Deps
from storage.models import LEDGER_PRUNE_INDEX_SQL, SendLedger
from tests.fakebot import FakeBotApi

INDEX = "ix_send_ledger_claimed_at"
CREATE = f"CREATE INDEX {INDEX} ON send_ledger (claimed_at) WHERE {LEDGER_PRUNE_INDEX_SQL}"
DROP = f"DROP INDEX {INDEX}"


async def run(url: str) -> None:
    """Four rounds of claim-everything and the idle selection; prints one line each."""
    await reminders.populate(url)
    app = reminders.app_for(url, FakeBotApi())
    await app.initialize()  # type: ignore[attr-defined]
    deps: Deps = app.bot_data["deps"]  # type: ignore[attr-defined]
    try:
        for with_index in (False, True, False, True):
            async with deps.engine.begin() as conn:
                await conn.execute(text(CREATE if with_index else DROP))
            claimed, seconds = await reminders.claim_everything(deps)
            _, idle = await reminders.claim_everything(deps)
            label = "with the index   " if with_index else "without the index"
            print(f"{label}: claimed {claimed:,} in {seconds:.2f} s; idle selection {idle:.3f} s")
            async with deps.uow() as uow:
                await uow.session.execute(delete(SendLedger))
                await uow.commit()
    finally:
        await app.shutdown()  # type: ignore[attr-defined]
        await reminders.on_shutdown(app)  # type: ignore[arg-type]


if __name__ == "__main__":
    if len(sys.argv) > 1:
        asyncio.run(run(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(run(f"sqlite+aiosqlite:///{tmp}/bench.db"))
