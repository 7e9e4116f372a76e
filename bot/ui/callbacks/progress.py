"""The buttons of /progress: the skill picker and the progress screen."""

from __future__ import annotations

from typing import Annotated, Final

from bot.ui.callbacks.schema import CallbackData, Id, Int, Schema

PROGRESS: Final = "pg"
# Picker pages hold 10 skills; the cap refuses forged pages no list could have.
Page = Annotated[int, Int(0, 1000)]


class ProgressData(CallbackData, prefix=PROGRESS):
    """A button of the /progress screens."""


class ProgressPage(ProgressData, key=("l",)):
    """◀ / ▶ through the picker, and « Back to skills on a skill's screen."""

    page: Page


class ProgressSkill(ProgressData, key=("s",)):
    """A skill in the picker, and the picker page to come back to."""

    skill_id: Id
    page: Page


class ProgressClose(ProgressData, key=("x",)):
    """✖ Close."""


PROGRESS_BUTTONS: Final = Schema.of(ProgressData)
