"""A user's whole account: what it holds, for the erase-everything confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, select

from storage.models import Evidence, PracticeLog, Skill
from storage.repositories.base import Repository


@dataclass(frozen=True, slots=True)
class AccountFootprint:
    """How many rows of each kind a user owns."""

    skills: int
    sessions: int
    evidence: int


class AccountRepository(Repository):
    """Reads across all of one user's data."""

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
