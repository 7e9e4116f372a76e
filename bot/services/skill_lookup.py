"""Which of the user's skills a typed name means."""

from __future__ import annotations

from bot.domain.skills import SkillSummary, skill_name_key
from storage.uow import UnitOfWork


async def skills_matching(uow: UnitOfWork, user_id: int, typed: str) -> list[SkillSummary]:
    """Active skills the name means: the one with that exact name, else every one it begins.

    One result is a match; none or several are for the caller to ask about. Reads only.
    """
    summaries = await uow.skills.summaries(user_id, include_archived=False)
    key = skill_name_key(typed)
    exact = [s for s in summaries if skill_name_key(s.name) == key]
    return exact or [s for s in summaries if skill_name_key(s.name).startswith(key)]
