"""The buttons of the /skills screens."""

from __future__ import annotations

from typing import Final

from bot.ui.callbacks.schema import CallbackData, Id, Schema, SkillPage

SKILLS: Final = "sk"


class SkillsData(CallbackData, prefix=SKILLS):
    """A button of the /skills screens."""


class SkillsList(SkillsData, key=("l",)):
    """◀ / ▶ through the list, and « Back to skills."""

    page: SkillPage


class SkillsClose(SkillsData, key=("x",)):
    """✖ Close the list."""


class SkillsAdd(SkillsData, key=("add",)):
    """➕ Add skill: ask for its name."""


class SkillButton(SkillsData):
    """A button on one skill's screen: the skill, and the list page to return to."""

    skill_id: Id
    page: SkillPage


class SkillsOpen(SkillButton, key=("o",)):
    """A skill in the list (and Keep on the delete question): its totals and actions."""


class SkillsRename(SkillButton, key=("r",)):
    """✏️ Rename: ask for the new name."""


class SkillsArchive(SkillButton, key=("a",)):
    """🗄 Archive: hide from /log and /quick, keep the history."""


class SkillsUnarchive(SkillButton, key=("ua",)):
    """📤 Unarchive."""


class SkillsDelete(SkillButton, key=("d",)):
    """🗑 Delete: ask first, saying what goes with the skill."""


class SkillsDeleteYes(SkillButton, key=("dy",)):
    """🗑 Delete, confirmed."""


SKILLS_BUTTONS: Final = Schema.of(SkillsData)
