"""Pruning the send ledger: delete, a bounded batch at a time, rows that can no longer matter.

Which rows those are, and why deleting them is safe, is argued in bot/jobs/ledger_prune.py;
this module only runs the statement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.sqltypes import NullType

from storage.models import LEDGER_PRUNE_INDEX_SQL, SendLedger
from storage.repositories.base import Repository


class among(FunctionElement[Any]):
    """among(column, scalar subquery): the column's value is one of the subquery's rows."""

    type = NullType()  # not Boolean: SQLite would compare the whole test to 1
    inherit_cache = True
    name = "among"


@compiles(among, "sqlite")
def _among_sqlite(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, query = element.clauses
    return f"{compiler.process(column, **kw)} IN {compiler.process(query, **kw)}"


@compiles(among, "postgresql")
def _among_postgresql(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    # ARRAY(subquery) runs the subquery once and then looks rows up by primary key. IN
    # (subquery) becomes a hash join over a scan of the whole table whenever the statistics
    # promise many old rows: 80 ms a batch at 680,000 rows, growing with the table.
    column, query = element.clauses
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(query, **kw)})"


class LedgerPruneRepository(Repository):
    """Deletes old rows of the periodic kinds from send_ledger."""

    async def delete_batch(self, before_period: str, claimed_before: datetime, limit: int) -> int:
        """Delete up to `limit` periodic rows claimed before `claimed_before` whose period_key
        is before `before_period`, oldest claim first; returns how many.

        Only the periodic kinds (storage.models.LEDGER_PERIODIC_KINDS) are ever candidates:
        milestones and any kind not listed there stay. One statement: the ids come from the
        partial index on claimed_at, in its order (no sort), and the rows go by primary key; no
        id passes through Python (a round trip of 5,000 ids held the event loop for ~150 ms).
        On PostgreSQL the batch is locked with SKIP LOCKED: instances pruning at once take
        different rows and never wait on each other or on an account deletion's cascade.
        SQLite ignores the clause (its one writer already excludes the others).
        """
        doomed = (
            select(SendLedger.id)
            .where(
                text(LEDGER_PRUNE_INDEX_SQL),  # the index's condition, word for word: it is used
                SendLedger.claimed_at < claimed_before,
                SendLedger.period_key < before_period,
            )
            .order_by(SendLedger.claimed_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            delete(SendLedger)
            .where(among(SendLedger.id, doomed.scalar_subquery()))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
