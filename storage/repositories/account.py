"""A user's whole account: what it holds, for the erase-everything confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Evidence, PracticeLog, Skill


@dataclass(frozen=True, slots=True)
class AccountFootprint:
    """How many rows of each kind a user owns."""

    skills: int
    sessions: int
    evidence: int


class AccountRepository:
    """Reads across all of one user's data."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def footprint(self, user_id: int) -> AccountFootprint:
        """Counts of the user's skills, practice sessions and evidence, in one query."""

        def count(model: type[Skill] | type[PracticeLog] | type[Evidence]) -> ScalarSelect[int]:
            return (
                select(func.count())
                .select_from(model)
                .where(model.user_id == user_id)
                .scalar_subquery()
            )

        row = (
            await self._session.execute(select(count(Skill), count(PracticeLog), count(Evidence)))
        ).one()
        return AccountFootprint(skills=int(row[0]), sessions=int(row[1]), evidence=int(row[2]))
