"""History reads: keyset pages of one user's sessions under a filter, the filter's totals, and
one session with its skill name and evidence count.

Pages are keyset pages on (practiced_on, id), newest first, read through the index
(user_id, practiced_on, id) or, with a skill filter, (skill_id, practiced_on, id): a page costs
the same however long the history is, and sessions added between two presses neither repeat
nor hide rows on the next page (OFFSET paging would shift them). The user's index also carries
duration_minutes, so the totals of a filter without a skill are read from the index alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.history import Cursor, HistoryFilter, HistoryTotals, SessionRow
from storage.models import Evidence, PracticeLog, Skill
from storage.repositories.base import Repository, select_sessions_with_skill


def _position() -> ColumnElement[Any]:
    """A row's place in the order, as a row value: (practiced_on, id)."""
    return tuple_(PracticeLog.practiced_on, PracticeLog.id)


def _at(cursor: Cursor) -> ColumnElement[Any]:
    return tuple_(cursor.practiced_on, cursor.id)


def _matching(user_id: int, where: HistoryFilter, dialect: str) -> list[ColumnElement[bool]]:
    """The filter as conditions on practice_logs, always scoped to the owner."""
    if where.skill_id is not None and dialect == "sqlite":
        # `user_id + 0` still keeps other users' rows out, but cannot use an index, so the
        # planner reads the (skill_id, practiced_on, id) index (SQLite has no statistics to
        # prefer it over the user's index and would scan all of the user's sessions).
        # PostgreSQL has statistics, and the expression would only spoil its row estimate.
        conditions = [(PracticeLog.user_id + 0) == user_id, PracticeLog.skill_id == where.skill_id]
    elif where.skill_id is not None:
        conditions = [PracticeLog.user_id == user_id, PracticeLog.skill_id == where.skill_id]
    else:
        conditions = [PracticeLog.user_id == user_id]
    if where.start is not None:
        conditions.append(PracticeLog.practiced_on >= where.start)
    if where.end is not None:
        conditions.append(PracticeLog.practiced_on <= where.end)
    return conditions


def _rows_query(user_id: int, where: HistoryFilter, dialect: str) -> Select[*tuple[Any, ...]]:
    # The skill is joined on its id and the bound owner, not on practice_logs.user_id: an
    # equality between the two columns would let SQLite reach practice_logs through the user's
    # index again, defeating `user_id + 0` under a skill filter.
    return (
        select_sessions_with_skill()
        .join(Skill, and_(Skill.id == PracticeLog.skill_id, Skill.user_id == user_id))
        .where(*_matching(user_id, where, dialect))
    )


class HistoryRepository(Repository):
    """Read-only queries behind /history; every one is scoped to the owner's user id."""

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def older(
        self,
        user_id: int,
        where: HistoryFilter,
        cursor: Cursor | None,
        limit: int,
        *,
        inclusive: bool = False,
    ) -> list[SessionRow]:
        """Up to `limit` rows older than the cursor (or from the newest), newest first."""
        query = _rows_query(user_id, where, self._dialect)
        if cursor is not None:
            query = query.where(
                _position() <= _at(cursor) if inclusive else _position() < _at(cursor)
            )
        query = query.order_by(PracticeLog.practiced_on.desc(), PracticeLog.id.desc())
        return await self._with_evidence(user_id, await self._fetch(query.limit(limit)))

    async def newer(
        self, user_id: int, where: HistoryFilter, cursor: Cursor, limit: int
    ) -> list[SessionRow]:
        """Up to `limit` rows just newer than the cursor, newest first."""
        query = (
            _rows_query(user_id, where, self._dialect)
            .where(_position() > _at(cursor))
            .order_by(PracticeLog.practiced_on.asc(), PracticeLog.id.asc())
            .limit(limit)
        )
        return await self._with_evidence(user_id, list(reversed(await self._fetch(query))))

    async def has_newer(self, user_id: int, where: HistoryFilter, cursor: Cursor) -> bool:
        """Whether any row of the filter comes before the cursor in newest-first order."""
        return await self._exists(user_id, where, _position() > _at(cursor))

    async def has_older(self, user_id: int, where: HistoryFilter, cursor: Cursor) -> bool:
        """Whether any row of the filter comes after the cursor in newest-first order."""
        return await self._exists(user_id, where, _position() < _at(cursor))

    async def totals(self, user_id: int, where: HistoryFilter) -> HistoryTotals:
        """Sessions and minutes the whole filter matches, in one aggregate query."""
        row = (
            await self._session.execute(
                select(
                    func.count(), func.coalesce(func.sum(PracticeLog.duration_minutes), 0)
                ).where(*_matching(user_id, where, self._dialect))
            )
        ).one()
        return HistoryTotals(int(row[0]), int(row[1]))

    async def row(self, user_id: int, log_id: int) -> SessionRow | None:
        """One of the user's sessions with its skill name and evidence count, or None."""
        query = _rows_query(user_id, HistoryFilter(), self._dialect).where(PracticeLog.id == log_id)
        rows = await self._with_evidence(user_id, await self._fetch(query))
        return rows[0] if rows else None

    async def evidence_counts(self, user_id: int, log_ids: Sequence[int]) -> dict[int, int]:
        """Pieces of evidence per session, for the given sessions only (one GROUP BY)."""
        if not log_ids:
            return {}
        rows = await self._session.execute(
            select(Evidence.practice_log_id, func.count())
            # `user_id + 0`: read through ix_evidence_practice_log_id (see storage.repositories
            # .evidence._of_session) while still scoping to the owner.
            .where(Evidence.practice_log_id.in_(list(log_ids)), (Evidence.user_id + 0) == user_id)
            .group_by(Evidence.practice_log_id)
        )
        return {int(log_id): int(count) for log_id, count in rows.all() if log_id is not None}

    async def _fetch(self, query: Select[*tuple[Any, ...]]) -> list[SessionRow]:
        return [SessionRow(*row) for row in (await self._session.execute(query)).all()]

    async def _with_evidence(self, user_id: int, rows: list[SessionRow]) -> list[SessionRow]:
        counts = await self.evidence_counts(user_id, [row.id for row in rows])
        return [replace(row, evidence=counts.get(row.id, 0)) for row in rows]

    async def _exists(
        self, user_id: int, where: HistoryFilter, condition: ColumnElement[bool]
    ) -> bool:
        found = await self._session.scalar(
            select(PracticeLog.id)
            .where(*_matching(user_id, where, self._dialect), condition)
            .limit(1)
        )
        return found is not None
