"""The update inbox: store an update once, claim pending ones, mark them done, prune old ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxUpdate


class InboxRepository:
    """Bot-level bookkeeping of incoming updates (no user's data: nothing to scope)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store(self, update_id: int, user_id: int | None, payload: str, now: datetime) -> bool:
        """Insert the update, claimed by the caller; False if it was stored before."""
        values = {
            "update_id": update_id,
            "user_id": user_id,
            "payload": payload,
            "received_at": now,
            "claimed_at": now,
        }
        insert = (
            postgresql.insert(InboxUpdate)
            if self._session.get_bind().dialect.name == "postgresql"
            else sqlite.insert(InboxUpdate)
        )
        statement = (
            insert.values(**values)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(InboxUpdate.update_id)
        )
        return (await self._session.scalar(statement)) is not None

    async def claim_pending(
        self, stale_before: datetime, now: datetime, limit: int
    ) -> list[tuple[int, str, bool]]:
        """Take pending updates last claimed before `stale_before`, oldest first.

        Each as (id, payload, stepped): stepped when a conversation step of it had committed.

        On PostgreSQL rows another instance is claiming right now are skipped, never waited for.
        """
        pending = (
            select(InboxUpdate.update_id)
            .where(InboxUpdate.done_at.is_(None), InboxUpdate.claimed_at < stale_before)
            .order_by(InboxUpdate.update_id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            pending = pending.with_for_update(skip_locked=True)
        ids = list((await self._session.scalars(pending)).all())
        if not ids:
            return []
        claimed = await self._session.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.update_id.in_(ids),
                InboxUpdate.done_at.is_(None),
                InboxUpdate.claimed_at < stale_before,
            )
            .values(claimed_at=now)
            .returning(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.step_applied_at)
        )
        return sorted((int(row[0]), str(row[1]), row[2] is not None) for row in claimed.all())

    async def mark_step_applied(self, update_id: int, now: datetime) -> None:
        """Record that a conversation step of this update landed (inside the step's transaction)."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id == update_id, InboxUpdate.step_applied_at.is_(None))
            .values(step_applied_at=now)
            .execution_options(synchronize_session=False)
        )

    async def mark_done(self, update_ids: Sequence[int], now: datetime) -> None:
        """Record that these updates have been handled."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id.in_(update_ids), InboxUpdate.done_at.is_(None))
            .values(done_at=now)
        )

    async def touch(self, update_ids: Sequence[int], now: datetime) -> None:
        """Renew the claim on updates still being handled (the lease's heartbeat)."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id.in_(update_ids), InboxUpdate.done_at.is_(None))
            .values(claimed_at=now)
        )

    async def prune_done(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` updates handled before `before`; how many went."""
        oldest = (
            select(InboxUpdate.update_id)
            .where(InboxUpdate.done_at < before)
            .order_by(InboxUpdate.done_at)
            .limit(limit)
        )
        result = await self._session.execute(
            delete(InboxUpdate).where(InboxUpdate.update_id.in_(oldest.scalar_subquery()))
        )
        return int(getattr(result, "rowcount", 0) or 0)
