"""Goals and the week start: the goal columns of users and skills, and their writes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from bot.domain.goals import GoalKind, GoalSet
from storage.models import Skill, User
from storage.repositories.base import Repository

_GOAL_COLUMNS = tuple(kind.value for kind in GoalKind)


@dataclass(frozen=True, slots=True)
class SkillGoals:
    """One unarchived skill with its goals."""

    skill_id: int
    name: str
    goals: GoalSet


@dataclass(frozen=True, slots=True)
class UserGoals:
    """The user's overall goals, chosen week start (None: by time zone) and per-skill goals."""

    overall: GoalSet
    week_start: int | None
    timezone: str
    skills: list[SkillGoals]


def _goal_set(row: object) -> GoalSet:
    return GoalSet(*(getattr(row, column) for column in _GOAL_COLUMNS))


class GoalRepository(Repository):
    """Reads and writes goals; every statement is scoped to one user."""

    async def week_start(self, user_id: int) -> int | None:
        """The week start the user chose, or None (their region's then applies)."""
        value: int | None = await self._session.scalar(
            select(User.week_start).where(User.id == user_id)
        )
        return value

    async def overall_goals(self, user_id: int) -> tuple[GoalSet, int | None, str]:
        """The user's overall goals, chosen week start and time zone (one row, no skills)."""
        row = (
            await self._session.execute(
                select(
                    User.week_start, User.timezone, *(getattr(User, c) for c in _GOAL_COLUMNS)
                ).where(User.id == user_id)
            )
        ).one()
        return _goal_set(row), row.week_start, row.timezone

    async def user_goals(self, user_id: int, skill_id: int | None = None) -> UserGoals:
        """Overall goals and week start, and each unarchived skill's goals (one if given)."""
        overall, week_start, timezone = await self.overall_goals(user_id)
        query = (
            select(Skill.id, Skill.name, *(getattr(Skill, c) for c in _GOAL_COLUMNS))
            .where(Skill.user_id == user_id, Skill.archived_at.is_(None))
            .order_by(Skill.name_key, Skill.id)
        )
        if skill_id is not None:
            query = query.where(Skill.id == skill_id)
        skills = (await self._session.execute(query)).all()
        return UserGoals(
            overall=overall,
            week_start=week_start,
            timezone=timezone,
            skills=[SkillGoals(int(row.id), row.name, _goal_set(row)) for row in skills],
        )

    async def set_goal(
        self, user_id: int, skill_id: int | None, kind: GoalKind, target: int | None
    ) -> bool:
        """Set (or with None remove) one goal of a skill, or the overall one; False if not found."""
        if skill_id is None:
            statement = update(User).where(User.id == user_id)
        else:
            statement = update(Skill).where(
                Skill.user_id == user_id, Skill.id == skill_id, Skill.archived_at.is_(None)
            )
        result = await self._session.execute(statement.values({kind.value: target}))
        return bool(getattr(result, "rowcount", 0))

    async def clear_goals(self, user_id: int, skill_id: int | None) -> bool:
        """Remove every goal of a skill, or every overall goal."""
        if skill_id is None:
            statement = update(User).where(User.id == user_id)
        else:
            statement = update(Skill).where(Skill.user_id == user_id, Skill.id == skill_id)
        result = await self._session.execute(statement.values(dict.fromkeys(_GOAL_COLUMNS)))
        return bool(getattr(result, "rowcount", 0))

    async def set_week_start(self, user_id: int, week_start: int | None) -> None:
        """Choose the first day of the user's week (None: back to their region's)."""
        await self._session.execute(
            update(User).where(User.id == user_id).values(week_start=week_start)
        )
