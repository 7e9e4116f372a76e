"""Evidence waiting for a target: one batch row per user, locked while it changes.

Pictures of one album arrive as separate updates, possibly at the same moment on different
instances; every change takes the row's lock (SELECT ... FOR UPDATE on PostgreSQL; on SQLite
every write transaction already holds the database's write lock), so no piece is lost and the
first update of an album is the only one that sends a prompt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import EvidenceBatch
from storage.repositories.base import Repository


class EvidenceBatchRepository(Repository):
    """Reads and writes a user's pending evidence batch; every query is scoped by the owner."""

    async def locked(self, user_id: int, now: datetime) -> EvidenceBatch:
        """The user's batch row (created empty if missing), locked until the transaction ends."""
        dialect = sqlite if self._session.get_bind().dialect.name == "sqlite" else postgresql
        await self._session.execute(
            dialect.insert(EvidenceBatch)
            .values(user_id=user_id, items=[], updated_at=now)
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        batch = await self._session.scalar(
            select(EvidenceBatch)
            .where(EvidenceBatch.user_id == user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if batch is None:  # inserted just above, in this transaction
            raise RuntimeError("the evidence batch row vanished mid-transaction")
        return batch

    async def get(self, user_id: int) -> EvidenceBatch | None:
        """The user's batch, if there is one (not locked: for showing, not changing)."""
        return await self._session.get(EvidenceBatch, user_id, populate_existing=True)

    async def delete(self, user_id: int) -> None:
        """Forget the user's batch."""
        await self._session.execute(delete(EvidenceBatch).where(EvidenceBatch.user_id == user_id))
