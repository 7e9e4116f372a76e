"""Skills: the things a user practises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain.skills import SkillSummary
from storage.models import Evidence, PracticeLog, Skill, SkillTotal
from storage.repositories.base import Repository


@dataclass(frozen=True, slots=True)
class SkillFootprint:
    """What deleting a skill would take with it."""

    sessions: int
    evidence: int


class SkillRepository(Repository):
    """Reads and writes a user's skills."""

    async def get(self, user_id: int, skill_id: int) -> Skill | None:
        """The user's skill with this id, or None (also when it belongs to someone else)."""
        result = await self._session.execute(
            select(Skill).where(Skill.id == skill_id, Skill.user_id == user_id)
        )
        return result.scalar_one_or_none()

    async def by_name_key(self, user_id: int, name_key: str) -> Skill | None:
        """The user's skill whose casefolded name equals name_key."""
        result = await self._session.execute(
            select(Skill).where(Skill.user_id == user_id, Skill.name_key == name_key)
        )
        return result.scalar_one_or_none()

    async def add(self, user_id: int, name: str, name_key: str) -> Skill:
        """Create a skill (the caller has validated and checked the name is free)."""
        skill = Skill(user_id=user_id, name=name, name_key=name_key)
        self._session.add(skill)
        await self._session.flush()
        return skill

    async def count(self, user_id: int) -> int:
        """How many skills the user has, archived included."""
        return await self._count(Skill, Skill.user_id == user_id)

    async def summaries(self, user_id: int, *, include_archived: bool = True) -> list[SkillSummary]:
        """The user's skills with session count, minutes and last date, most recent first."""
        # skill_totals is kept by every write (migration 0009): no pass over the sessions.
        query = (
            select(Skill, SkillTotal.sessions, SkillTotal.minutes, SkillTotal.last_day)
            .outerjoin(SkillTotal, SkillTotal.skill_id == Skill.id)
            .where(Skill.user_id == user_id)
        )
        if not include_archived:
            query = query.where(Skill.archived_at.is_(None))
        query = query.order_by(
            Skill.archived_at.is_not(None),
            SkillTotal.last_day.is_(None),
            SkillTotal.last_day.desc(),
            Skill.created_at.desc(),
            Skill.id.desc(),
        )
        rows = (await self._session.execute(query)).all()
        return [
            SkillSummary(
                id=skill.id,
                name=skill.name,
                archived=skill.archived,
                sessions=int(sessions or 0),
                total_minutes=int(minutes or 0),
                last_practiced=last,
            )
            for skill, sessions, minutes, last in rows
        ]

    async def rename(self, skill: Skill, name: str, name_key: str) -> None:
        """Give the skill a new (validated, free) name."""
        skill.name, skill.name_key = name, name_key
        await self._session.flush()

    async def set_archived(self, skill: Skill, archived_at: datetime | None) -> None:
        """Archive (with a time) or unarchive (None) the skill."""
        skill.archived_at = archived_at
        await self._session.flush()

    async def footprint(self, user_id: int, skill_id: int) -> SkillFootprint:
        """How many sessions and evidence items belong to the skill."""
        sessions = await self._count(
            PracticeLog, PracticeLog.user_id == user_id, PracticeLog.skill_id == skill_id
        )
        evidence = await self._count(
            Evidence, Evidence.user_id == user_id, Evidence.skill_id == skill_id
        )
        return SkillFootprint(sessions=sessions, evidence=evidence)

    async def delete(self, user_id: int, skill_id: int) -> bool:
        """Delete the skill with its sessions and evidence; False if it was not there."""
        return await self._delete_owned(Skill, skill_id, user_id)
