"""Skill name rules."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.domain.errors import DomainError

MAX_SKILL_NAME = 64
_SPACES = re.compile(r"\s+")


def normalize_skill_name(raw: str) -> str:
    """Trim and collapse whitespace, then check the 1-64 character rule."""
    name = _SPACES.sub(" ", raw).strip()
    if not name:
        raise DomainError("A skill needs a name, for example “React” or “Guitar”.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise DomainError("Skill names can't contain control or invisible formatting characters.")
    if name.startswith("/"):
        raise DomainError("Skill names can't start with “/”: that's how commands start.")
    if len(name) > MAX_SKILL_NAME:
        raise DomainError(
            f"That name is {len(name)} characters long; skill names can be at most "
            f"{MAX_SKILL_NAME}. Try a shorter one."
        )
    return name


def skill_name_key(name: str) -> str:
    """The case-insensitive identity of a skill name (two names clash when keys are equal)."""
    return unicodedata.normalize("NFKC", name).casefold()


@dataclass(frozen=True, slots=True)
class SkillRef:
    """A skill's id and name, and whether it is archived."""

    skill_id: int
    name: str
    archived: bool = False


@dataclass(frozen=True, slots=True)
class SkillSummary:
    """A skill with its practice totals."""

    id: int
    name: str
    archived: bool
    sessions: int
    total_minutes: int
    last_practiced: date | None
