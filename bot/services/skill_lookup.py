"""Which of the user's skills a typed name means."""

from __future__ import annotations

from bot.domain.skill_match import closest_skills, fold
from bot.domain.skills import SkillSummary
from storage.uow import UnitOfWork


async def skills_matching(uow: UnitOfWork, user_id: int, typed: str) -> list[SkillSummary]:
    """Active skills the name means: exact name, else every one it begins, else near misses.

    Case and accents never matter; a typo or two is forgiven ("guitr"). One result is a match;
    none or several are for the caller to ask about. Reads only.
    """
    summaries = await uow.skills.summaries(user_id, include_archived=False)
    key = fold(" ".join(typed.split()))
    exact = [s for s in summaries if fold(s.name) == key]
    if exact:
        return exact
    started = [s for s in summaries if fold(s.name).startswith(key)]
    if started:
        return started
    near = set(closest_skills(key, [(s.id, s.name) for s in summaries]))
    return [s for s in summaries if s.id in near]
