"""The buttons of the /log steps."""

from __future__ import annotations

from typing import Annotated, Final

from bot.domain.reminders import MINUTES_PER_DAY
from bot.ui.callbacks.schema import CallbackData, Id, Int, Schema, SkillPage

# /log steps: "lg" (handled by LogFlow at the conversation's current step)

LOG: Final = "lg"


class LogData(CallbackData, prefix=LOG):
    """A button of a /log step."""


class LogBack(LogData, key=("back",)):
    """« Back to the previous step."""


class LogPickSkill(LogData, key=("sk",)):
    """A skill button at the skill step."""

    skill_id: Id


class LogSkillPage(LogData, key=("pg",)):
    """◀ / ▶ through the skill buttons."""

    page: SkillPage


class LogNewSkill(LogData, key=("new",)):
    """➕ New skill: type its name."""


class LogCreateTyped(LogData, key=("cn",)):
    """➕ Create <the name typed>: a new skill from the word the user typed (kept server-side)."""


class LogDuration(LogData, key=("d",)):
    """A preset duration."""

    minutes: Annotated[int, Int(1, MINUTES_PER_DAY)]


class LogDay(LogData, key=("t",)):
    """Today (0) or Yesterday (1)."""

    days_back: Annotated[int, Int(0, 1)]


class LogDateOption(LogData, key=("do",)):
    """One of the dates offered for a typo'd or ambiguous date; its day is kept server-side."""

    slot: Annotated[int, Int(0, 3)]


class LogKeepDescription(LogData, key=("keep",)):
    """Keep the description the one-message /log gave."""


class LogSkipDescription(LogData, key=("nod",)):
    """Skip the description: store the automatic one Quick Log uses."""


class LogRateIt(LogData, key=("rate",)):
    """⭐ Rate it: go on to the two optional ratings."""


class LogRate(LogData, key=("r",)):
    """A 1-5 rating for the difficulty or confidence step."""

    rating: Annotated[int, Int(1, 5)]


class LogSkipRating(LogData, key=("skip",)):
    """Skip the rating step."""


class LogUnarchive(LogData, key=("ua",)):
    """Unarchive the chosen skill and go on."""


class LogPickAnother(LogData, key=("pick",)):
    """Leave the archived skill and pick another."""


# The saved-session card's "➕ Log another": its prefix alone, no fields.
LOG_ANOTHER: Final = "lgn"


class LogAnother(CallbackData, prefix=LOG_ANOTHER):
    """➕ Log another: start /log again."""


# "Did you mean /log?" and a plain message's "Log it": log what the replied-to message said.
LOG_FROM_MESSAGE: Final = "lgm"


class LogFromMessage(CallbackData, prefix=LOG_FROM_MESSAGE):
    """📝 Log it: read the user's message this one replies to as a /log."""


LOG_BUTTONS: Final = Schema.of(LogData)
