"""Keep the send ledger from growing forever: delete the rows nothing can read any more.

What is deleted: rows of the periodic kinds (inactivity, streak, weekly: storage.models'
LEDGER_PERIODIC_KINDS) whose period_key, a local date (ISO text, so text order is date order), is
before the UTC date LEDGER_RETENTION_DAYS ago, *and* whose claimed_at is older than that too,
whatever their status.

Why that is safe: a periodic row is read in exactly these places, and each looks only at the
user's *current* local date, which in any time zone (UTC-12 to UTC+14) is yesterday, today or
tomorrow in UTC:

- the due selection (claim_due's "done" test) and the stale-claim takeover: period_key equal to
  the zone's local today;
- the rival checks (_rival_row, in the selection and in the send-time check): the same key, and
  the send-time check drops a claim whose period is over before it gets there;
- ledger_state and settle, by id, for a claim being delivered: a delivery runs minutes after its
  claim (a few flood-control pauses at most), never days. A row claimed weeks ago is in nobody's
  hands; and if it were, its deletion would make the send-time check refuse to send, not resend.

So even a row left "claimed" by a crashed process is final once its date is over: the takeover
needs the period to be current, and dates do not come back. Deleting a row whose date is gone
can never make the sweep claim that message again. The retention (35 days by default, 7 at
least) is a margin and a support trail, not a requirement; the claimed_at test keeps any row a
process touched recently, even one whose key looks old.

Never deleted: every other kind. Milestone rows ("claim a one-off event ... True only for the
first caller ever") are what stops a streak's milestone being celebrated twice, however old;
and a kind added later stays until someone lists it as periodic.

Batches: each batch is its own short transaction, its rows found through a partial index on
claimed_at that holds only the periodic rows, so a big backlog never holds SQLite's write lock
for long; between batches the prune rests as long as the batch took, so other writers get at
least half the time. A row costs about the same at any batch size (it leaves three b-trees, the
unique index scattered by user), so SQLite, whose one write lock every other writer waits for,
takes 1,000 rows a batch (50-80 ms measured, benchmarks/ledger_prune.py); PostgreSQL, which
locks only the rows it deletes, takes 5,000.
Several instances may prune at once: the delete is idempotent, and on PostgreSQL the batches skip
rows another instance has locked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, timedelta

from bot.config import Settings
from bot.core.runtime import BotContext, Deps
from bot.domain.reminders import period_key

log = logging.getLogger(__name__)

SQLITE_BATCH = 1_000
POSTGRES_BATCH = 5_000
# Seconds of rest per second of work between batches (1.0: at most half the time holding locks).
REST_RATIO = 1.0


@dataclass
class PruneReport:
    """What one prune did: rows deleted, batches run, and the longest batch in seconds."""

    deleted: int = 0
    batches: int = 0
    longest_batch: float = 0.0


def batch_size(settings: Settings) -> int:
    """Rows deleted per transaction on this backend."""
    return POSTGRES_BATCH if settings.database_kind == "postgresql" else SQLITE_BATCH


async def prune_send_ledger(
    deps: Deps, *, batch: int | None = None, rest_ratio: float = REST_RATIO
) -> PruneReport:
    """Delete old rows of the periodic kinds, a batch per transaction, until none is left."""
    batch = batch or batch_size(deps.settings)
    cutoff = deps.clock().astimezone(UTC) - timedelta(days=deps.settings.ledger_retention_days)
    before_period = period_key(cutoff.date())
    report = PruneReport()
    while True:
        started = time.perf_counter()
        async with deps.uow() as uow:
            deleted = await uow.ledger_prune.delete_batch(before_period, cutoff, batch)
            await uow.commit()
        spent = time.perf_counter() - started
        report.deleted += deleted
        report.batches += 1
        report.longest_batch = max(report.longest_batch, spent)
        # Fewer than a full batch: nothing is left (or another instance is taking the rest).
        if deleted < batch:
            return report
        await asyncio.sleep(spent * rest_ratio)


async def ledger_prune_job(context: BotContext) -> None:
    """Job callback: one prune of the send ledger."""
    report = await prune_send_ledger(context.deps)
    if report.deleted:
        log.info(
            "send ledger: pruned %s rows in %s batches (longest %.2f s)",
            report.deleted,
            report.batches,
            report.longest_batch,
        )
