"""The buttons of /progress: the skill picker and the progress screen."""

from __future__ import annotations

from typing import Final

from bot.ui.callbacks.schema import CallbackData, Id, Schema, SkillPage

PROGRESS: Final = "pg"


class ProgressData(CallbackData, prefix=PROGRESS):
    """A button of the /progress screens."""


class ProgressPage(ProgressData, key=("l",)):
    """◀ / ▶ through the picker, and « Back to skills on a skill's screen."""

    page: SkillPage


class ProgressSkill(ProgressData, key=("s",)):
    """A skill in the picker, and the picker page to come back to."""

    skill_id: Id
    page: SkillPage


class ProgressClose(ProgressData, key=("x",)):
    """✖ Close."""


PROGRESS_BUTTONS: Final = Schema.of(ProgressData)
