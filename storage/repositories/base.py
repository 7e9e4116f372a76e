"""What every repository shares: the unit of work's session and a few owner-scoped statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Base, Evidence, PracticeLog, Skill


def select_sessions_with_skill() -> Select[
    int, int, str, date, int, str, int | None, int | None, datetime, datetime
]:
    """A session with its skill's name, in the field order of SessionRow.

    Join Skill to it; both rows are built positionally from these columns.
    """
    return select(
        PracticeLog.id,
        PracticeLog.skill_id,
        Skill.name,
        PracticeLog.practiced_on,
        PracticeLog.duration_minutes,
        PracticeLog.description,
        PracticeLog.difficulty,
        PracticeLog.confidence,
        PracticeLog.created_at,
        PracticeLog.updated_at,
    )


class Repository:
    """Queries run on the unit of work's session, so they commit or roll back together."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _count(self, model: type[Base], *where: ColumnElement[bool]) -> int:
        """How many rows of `model` match `where` (the caller scopes it to the owner)."""
        count = await self._session.scalar(select(func.count()).select_from(model).where(*where))
        return int(count or 0)

    async def _delete_owned(
        self, model: type[Evidence] | type[PracticeLog] | type[Skill], row_id: int, user_id: int
    ) -> bool:
        """Delete the user's row with this id; False if it was not there (or not theirs)."""
        result = await self._session.execute(
            delete(model).where(model.id == row_id, model.user_id == user_id)
        )
        return bool(getattr(result, "rowcount", 0))


def oldest_expired(
    key: InstrumentedAttribute[Any],
    expires_at: InstrumentedAttribute[datetime],
    now: datetime,
    limit: int,
) -> ScalarSelect[Any]:
    """Keys of up to `limit` rows expired by `now`, soonest expiry first: one sweep's batch."""
    return select(key).where(expires_at <= now).order_by(expires_at).limit(limit).scalar_subquery()
