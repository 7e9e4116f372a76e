"""The buttons of /goals: the overview, one skill's (or the overall) goals, the week start."""

from __future__ import annotations

from typing import Annotated, Final

from bot.domain.goals import MAX_WEEKLY_MINUTES, GoalKind
from bot.ui.callbacks.schema import CallbackData, Id, Int, Schema, Word

GOALS: Final = "gl"
# Skill id 0 stands for the overall goals (skill ids start at 1).
OVERALL: Final = 0
# Week start 7 stands for "as my time zone's region does".
BY_REGION: Final = 7
KIND_CODES: Final = {
    "m": GoalKind.MINUTES_WEEK,
    "s": GoalKind.SESSIONS_WEEK,
    "d": GoalKind.DAYS_WEEK,
    "n": GoalKind.DAILY_MINUTES,
}
CODE_OF_KIND: Final = {kind: code for code, kind in KIND_CODES.items()}


class GoalsData(CallbackData, prefix=GOALS):
    """A button of the /goals screens."""


class GoalsHome(GoalsData, key=("h",)):
    """« Back to the overview."""


class GoalsOfSkillData(GoalsData):
    """A button about one skill's goals (OVERALL: the overall goals): the skill."""

    skill_id: Id


class GoalsOf(GoalsOfSkillData, key=("g",)):
    """One skill's goals (OVERALL: the overall goals)."""


class GoalsSet(GoalsOfSkillData, key=("s",)):
    """Set one goal of a skill (or overall) to a target; target 0 removes it."""

    kind_code: Annotated[str, Word(tuple(KIND_CODES))]
    target: Annotated[int, Int(0, MAX_WEEKLY_MINUTES)]

    @property
    def kind(self) -> GoalKind:
        """The goal kind as the domain names it."""
        return KIND_CODES[self.kind_code]


class GoalsClear(GoalsOfSkillData, key=("c",)):
    """🗑 Remove every goal of a skill (or the overall ones)."""


class GoalsWeek(GoalsData, key=("w",)):
    """📅 The week start picker."""


class GoalsWeekSet(GoalsData, key=("ws",)):
    """Start weeks on this weekday (0 = Monday ... 6 = Sunday; BY_REGION: by time zone)."""

    weekday: Annotated[int, Int(0, BY_REGION)]


class GoalsClose(GoalsData, key=("x",)):
    """✖ Close."""


GOALS_BUTTONS: Final = Schema.of(GoalsData)
