"""Inputs of the coaching rules: the overall runs of consecutive practice dates, recent first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from storage.models import PracticeLog
from storage.repositories.base import Repository
from storage.sql_functions import day_number, month_start


class CoachRepository(Repository):
    """Aggregates the freeze, weekly-goal and /today rules read; every query filters by user."""

    async def overall_runs(self, user_id: int, since: date, today: date) -> list[tuple[date, date]]:
        """Runs of consecutive practice dates (any skill) between since and today, oldest first.

        A gaps-and-islands query over the distinct dates of a bounded window: one row per run.
        """
        days = (
            select(PracticeLog.practiced_on.label("day"))
            .where(
                PracticeLog.user_id == user_id,
                PracticeLog.practiced_on >= since,
                PracticeLog.practiced_on <= today,
            )
            .distinct()
            .subquery("days")
        )
        keyed = select(
            days.c.day,
            (day_number(days.c.day) - func.row_number().over(order_by=days.c.day)).label("run"),
        ).subquery("keyed")
        query = (
            select(func.min(keyed.c.day), func.max(keyed.c.day))
            .group_by(keyed.c.run)
            .order_by(func.min(keyed.c.day))
        )
        return [(first, last) for first, last in (await self._session.execute(query)).all()]

    async def recent_confidence(self, user_id: int, since: date) -> dict[int, float]:
        """Mean confidence rating per skill over the sessions since `since` that have one."""
        query = (
            select(PracticeLog.skill_id, func.avg(PracticeLog.confidence))
            .where(
                PracticeLog.user_id == user_id,
                PracticeLog.practiced_on >= since,
                PracticeLog.confidence.is_not(None),
            )
            .group_by(PracticeLog.skill_id)
        )
        rows = (await self._session.execute(query)).all()
        return {int(skill_id): float(mean) for skill_id, mean in rows}

    async def monthly_minutes(self, user_id: int, today: date) -> list[tuple[date, int, int]]:
        """(month start, skill id, minutes) for every month and skill up to today."""
        month = month_start(PracticeLog.practiced_on)
        query = (
            select(month, PracticeLog.skill_id, func.sum(PracticeLog.duration_minutes))
            .where(PracticeLog.user_id == user_id, PracticeLog.practiced_on <= today)
            .group_by(month, PracticeLog.skill_id)
            .order_by(month, PracticeLog.skill_id)
        )
        rows = (await self._session.execute(query)).all()
        return [(m, int(sid), int(total)) for m, sid, total in rows]
