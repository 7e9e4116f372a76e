"""Practice aggregates for progress, stats and streaks: SQL GROUP BY over bounded date ranges.

Nothing here returns session rows. Totals come back one row per skill, daily figures one row per
(date, skill) inside a window the caller bounds, and streaks as *islands* of consecutive dates.
All-time totals and streak runs are read from skill_totals and streak_runs, which database
triggers keep in step with every write (migration 0009), so a user with 20,000 sessions costs
a few rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, select

from bot.domain.analytics import DayTotal
from bot.domain.skills import SkillRef
from storage.models import ALL_SKILLS_SERIES, PracticeLog, Skill, SkillTotal, StreakRun
from storage.repositories.base import Repository
from storage.sql_functions import day_number

# Skill id reported for islands of the user's overall streak (any skill counts).
ALL_SKILLS = ALL_SKILLS_SERIES


@dataclass(frozen=True, slots=True)
class SkillTotalsRow:
    """One skill with its all-time practice totals (zeros and None when never practised)."""

    skill_id: int
    name: str
    archived: bool
    sessions: int
    minutes: int
    first_practiced: date | None
    last_practiced: date | None


@dataclass(frozen=True, slots=True)
class Island:
    """A run of consecutive practice dates of one skill (or ALL_SKILLS)."""

    skill_id: int
    start: date
    end: date
    length: int


@dataclass(frozen=True, slots=True)
class PracticeDays:
    """The number of distinct practice dates, and the first and last one."""

    count: int
    first: date | None
    last: date | None


class AnalyticsRepository(Repository):
    """Read-only aggregates of one user's practice logs; every query filters by user_id."""

    async def skills(self, user_id: int) -> list[SkillRef]:
        """The user's skills (no practice totals: cheap), in creation order."""
        rows = await self._session.execute(
            select(Skill.id, Skill.name, Skill.archived_at.is_not(None))
            .where(Skill.user_id == user_id)
            .order_by(Skill.created_at, Skill.id)
        )
        return [SkillRef(int(sid), name, bool(archived)) for sid, name, archived in rows.all()]

    async def has_practice(self, user_id: int) -> bool:
        """Whether the user ever logged a session."""
        found = await self._session.scalar(select(exists().where(PracticeLog.user_id == user_id)))
        return bool(found)

    async def skill_totals(self, user_id: int, skill_id: int | None = None) -> list[SkillTotalsRow]:
        """All-time sessions, minutes and first/last date per skill (one skill if given)."""
        query = (
            select(
                Skill.id,
                Skill.name,
                Skill.archived_at.is_not(None),
                SkillTotal.sessions,
                SkillTotal.minutes,
                SkillTotal.first_day,
                SkillTotal.last_day,
            )
            .outerjoin(SkillTotal, SkillTotal.skill_id == Skill.id)
            .where(Skill.user_id == user_id)
            .order_by(Skill.created_at, Skill.id)
        )
        if skill_id is not None:
            query = query.where(Skill.id == skill_id)
        rows = (await self._session.execute(query)).all()
        return [
            SkillTotalsRow(
                skill_id=int(sid),
                name=name,
                archived=bool(archived),
                sessions=int(sessions or 0),
                minutes=int(minutes or 0),
                first_practiced=first,
                last_practiced=last,
            )
            for sid, name, archived, sessions, minutes, first, last in rows
        ]

    async def practice_days(self, user_id: int) -> PracticeDays:
        """How many distinct days the user practised on, and the first and last of them."""
        # The overall series' stored runs cover exactly the distinct dates: one row per run.
        days = day_number(StreakRun.last_day) - day_number(StreakRun.first_day) + 1
        count, first, last = (
            await self._session.execute(
                select(
                    func.sum(days), func.min(StreakRun.first_day), func.max(StreakRun.last_day)
                ).where(StreakRun.user_id == user_id, StreakRun.skill_id == ALL_SKILLS)
            )
        ).one()
        return PracticeDays(int(count or 0), first, last)

    async def last_practiced_before(self, user_id: int, skill_id: int, before: date) -> date | None:
        """The skill's latest practice date strictly before `before` (an index seek)."""
        value: date | None = await self._session.scalar(
            select(func.max(PracticeLog.practiced_on)).where(
                PracticeLog.user_id == user_id,
                PracticeLog.skill_id == skill_id,
                PracticeLog.practiced_on < before,
            )
        )
        return value

    async def daily_totals(
        self, user_id: int, start: date, end: date | None, skill_id: int | None = None
    ) -> list[DayTotal]:
        """Minutes and sessions per (date, skill) from start to end inclusive, oldest first."""
        query = (
            select(
                PracticeLog.practiced_on,
                PracticeLog.skill_id,
                func.sum(PracticeLog.duration_minutes),
                func.count(),
            )
            .where(PracticeLog.user_id == user_id, *_between(start, end))
            .group_by(PracticeLog.practiced_on, PracticeLog.skill_id)
            .order_by(PracticeLog.practiced_on, PracticeLog.skill_id)
        )
        if skill_id is not None:
            query = query.where(PracticeLog.skill_id == skill_id)
        rows = (await self._session.execute(query)).all()
        return [DayTotal(day, int(sid), int(m), int(n)) for day, sid, m, n in rows]

    async def practice_dates(
        self, user_id: int, start: date, end: date, skill_id: int | None = None
    ) -> list[date]:
        """Distinct practice dates from start to end inclusive, oldest first."""
        query = (
            select(PracticeLog.practiced_on)
            .distinct()
            .where(PracticeLog.user_id == user_id, *_between(start, end))
            .order_by(PracticeLog.practiced_on)
        )
        if skill_id is not None:
            query = query.where(PracticeLog.skill_id == skill_id)
        return list((await self._session.scalars(query)).all())

    async def streak_islands(self, user_id: int, today: date) -> list[Island]:
        """For the overall streak (skill_id ALL_SKILLS) and each skill's: the runs that matter.

        Those are the two longest runs and the latest one, which is all a streak needs (see
        bot.domain.streaks.streak_from_runs): the latest run is the current streak if it
        reaches yesterday, the longest is the record, and the second longest is the record to
        beat while the current run is the longest. Dates after `today` are left out. The
        runs are stored (streak_runs, kept by every write), so this reads one row per run,
        never the sessions, and at most three rows per skill (and three overall) come back.
        """
        # Runs are kept per write in streak_runs (see migration 0009); a run reaching past
        # `today` (a user whose zone moved west) is cut at today.
        last = case((StreakRun.last_day > today, today), else_=StreakRun.last_day)
        islands = (
            select(
                StreakRun.skill_id.label("skill_id"),
                StreakRun.first_day.label("start"),
                last.label("end"),
                (day_number(last) - day_number(StreakRun.first_day) + 1).label("length"),
            )
            .where(StreakRun.user_id == user_id, StreakRun.first_day <= today)
            .subquery("islands")
        )
        ranked = select(
            islands,
            func.row_number()
            .over(
                partition_by=islands.c.skill_id,
                order_by=(islands.c.length.desc(), islands.c.end.desc()),
            )
            .label("by_length"),
            func.row_number()
            .over(partition_by=islands.c.skill_id, order_by=islands.c.end.desc())
            .label("by_recency"),
        ).subquery("ranked")
        query: Select[Any] = (
            select(ranked.c.skill_id, ranked.c.start, ranked.c.end, ranked.c.length)
            .where((ranked.c.by_length <= 2) | (ranked.c.by_recency == 1))
            .order_by(ranked.c.skill_id, ranked.c.end)
        )
        rows = (await self._session.execute(query)).all()
        return [Island(int(sid), start, end, int(n)) for sid, start, end, n in rows]


def _between(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(PracticeLog.practiced_on >= start)
    if end is not None:
        conditions.append(PracticeLog.practiced_on <= end)
    return conditions
