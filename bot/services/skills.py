"""Creating and renaming skills under the naming rules."""

from __future__ import annotations

from bot.domain.errors import DomainError
from bot.domain.skills import normalize_skill_name, skill_name_key
from storage.models import Skill
from storage.uow import UnitOfWork

MAX_SKILLS = 200


async def create_skill(uow: UnitOfWork, user_id: int, raw_name: str) -> Skill:
    """Validate the name, refuse duplicates (any case) and add the skill."""
    name = normalize_skill_name(raw_name)
    key = skill_name_key(name)
    existing = await uow.skills.by_name_key(user_id, key)
    if existing is not None:
        state = " (archived — unarchive it in /skills)" if existing.archived else ""
        raise DomainError(
            f"You already have a skill called “{existing.name}”{state}. Pick another name."
        )
    if await uow.skills.count(user_id) >= MAX_SKILLS:
        raise DomainError(
            f"You have {MAX_SKILLS} skills, the most I keep. Delete or rename one in /skills first."
        )
    return await uow.skills.add(user_id, name, key)


async def rename_skill(uow: UnitOfWork, user_id: int, skill: Skill, raw_name: str) -> str:
    """Rename the skill under the same rules; returns the old name."""
    name = normalize_skill_name(raw_name)
    key = skill_name_key(name)
    if name == skill.name:
        raise DomainError(f"It's already called “{name}”. Send a different name, or tap Cancel.")
    existing = await uow.skills.by_name_key(user_id, key)
    if existing is not None and existing.id != skill.id:
        raise DomainError(f"You already have a skill called “{existing.name}”. Pick another name.")
    old = skill.name
    await uow.skills.rename(skill, name, key)
    return old
