"""Pruning the send ledger: delete, a bounded batch at a time, rows that can no longer matter.

Which rows those are, and why deleting them is safe, is argued in bot/reminders/ledger_prune.py;
this module only runs the statement.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SendLedger
from storage.repositories.reminders import INACTIVITY, STREAK, WEEKLY

# Kinds keyed by the local date they belong to, read only while that date is current.
# Anything else (milestones, any kind added later) is never pruned unless listed here.
PERIODIC_KINDS = (INACTIVITY, STREAK, WEEKLY)


class LedgerPruneRepository:
    """Deletes old rows of the periodic kinds from send_ledger."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def delete_batch(self, before_period: str, claimed_before: datetime, limit: int) -> int:
        """Delete up to `limit` periodic rows with period_key < before_period and claimed_at
        < claimed_before; returns how many.

        The candidates are one range per kind of the (kind, period_key) index, so a batch costs
        the same however many rows are kept. On PostgreSQL they are locked with SKIP LOCKED:
        instances pruning at once take different rows and never wait on each other or on an
        account deletion's cascade; SQLite ignores the clause (it has one writer at a time).
        """
        doomed = (
            select(SendLedger.id)
            .where(
                SendLedger.kind.in_(PERIODIC_KINDS),
                SendLedger.period_key < before_period,
                SendLedger.claimed_at < claimed_before,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            delete(SendLedger)
            .where(SendLedger.id.in_(doomed))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
