"""Skills: add, rename, archive and delete under the naming rules; each entry point commits."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.skills import normalize_skill_name, skill_name_key
from bot.services.practice import UnknownSkill
from storage.models import Skill
from storage.repositories.skills import SkillFootprint
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


async def owned_skill(uow: UnitOfWork, user_id: int, skill_id: int) -> Skill:
    """The user's skill with this id; UnknownSkill for anyone else's or a deleted one."""
    skill = await uow.skills.get(user_id, skill_id)
    if skill is None:
        raise UnknownSkill
    return skill


async def add_skill(uow: UnitOfWork, user_id: int, raw_name: str) -> Skill:
    """Create the skill (see create_skill) and commit."""
    skill = await create_skill(uow, user_id, raw_name)
    await uow.commit()
    return skill


async def rename_owned_skill(
    uow: UnitOfWork, user_id: int, skill_id: int, raw_name: str
) -> tuple[str, str]:
    """Rename the user's skill and commit; returns the old and the new name."""
    skill = await owned_skill(uow, user_id, skill_id)
    old = await rename_skill(uow, user_id, skill, raw_name)
    new = skill.name
    await uow.commit()
    return old, new


async def set_archived(
    uow: UnitOfWork, user_id: int, skill_id: int, archived: bool, now: datetime
) -> Skill:
    """Archive (hide from /log and /quick, keep the history) or unarchive, and commit."""
    skill = await owned_skill(uow, user_id, skill_id)
    await uow.skills.set_archived(skill, now if archived else None)
    await uow.commit()
    return skill


async def delete_footprint(uow: UnitOfWork, user_id: int, skill_id: int) -> SkillFootprint:
    """What deleting the user's skill would take with it."""
    skill = await owned_skill(uow, user_id, skill_id)
    return await uow.skills.footprint(user_id, skill.id)


async def delete_skill(uow: UnitOfWork, user_id: int, skill_id: int) -> str:
    """Delete the user's skill with its sessions and evidence, and commit; returns its name."""
    skill = await owned_skill(uow, user_id, skill_id)
    name = skill.name
    await uow.skills.delete(user_id, skill.id)
    await uow.commit()
    return name
