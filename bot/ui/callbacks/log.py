"""The buttons of the /log steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Final

from bot.domain.reminders import MINUTES_PER_DAY
from bot.ui.callbacks.schema import CallbackData, Id, Int, Schema

# /log steps: "lg" (handled by LogFlow at the conversation's current step)

LOG: Final = "lg"


@dataclass(frozen=True)
class LogData(CallbackData):
    """A button of a /log step."""

    PREFIX: ClassVar[str] = LOG


@dataclass(frozen=True)
class LogBack(LogData):
    """« Back to the previous step."""

    KEY: ClassVar[tuple[str, ...]] = ("back",)


@dataclass(frozen=True)
class LogPickSkill(LogData):
    """A skill button at the skill step."""

    KEY: ClassVar[tuple[str, ...]] = ("sk",)
    skill_id: Id


@dataclass(frozen=True)
class LogSkillPage(LogData):
    """◀ / ▶ through the skill buttons."""

    KEY: ClassVar[tuple[str, ...]] = ("pg",)
    page: Annotated[int, Int(0, 1000)]


@dataclass(frozen=True)
class LogNewSkill(LogData):
    """➕ New skill: type its name."""

    KEY: ClassVar[tuple[str, ...]] = ("new",)


@dataclass(frozen=True)
class LogDuration(LogData):
    """A preset duration."""

    KEY: ClassVar[tuple[str, ...]] = ("d",)
    minutes: Annotated[int, Int(1, MINUTES_PER_DAY)]


@dataclass(frozen=True)
class LogDay(LogData):
    """Today (0) or Yesterday (1)."""

    KEY: ClassVar[tuple[str, ...]] = ("t",)
    days_back: Annotated[int, Int(0, 1)]


@dataclass(frozen=True)
class LogKeepDescription(LogData):
    """Keep the description the one-message /log gave."""

    KEY: ClassVar[tuple[str, ...]] = ("keep",)


@dataclass(frozen=True)
class LogRate(LogData):
    """A 1-5 rating for the difficulty or confidence step."""

    KEY: ClassVar[tuple[str, ...]] = ("r",)
    rating: Annotated[int, Int(1, 5)]


@dataclass(frozen=True)
class LogSkipRating(LogData):
    """Skip the rating step."""

    KEY: ClassVar[tuple[str, ...]] = ("skip",)


@dataclass(frozen=True)
class LogUnarchive(LogData):
    """Unarchive the chosen skill and go on."""

    KEY: ClassVar[tuple[str, ...]] = ("ua",)


@dataclass(frozen=True)
class LogPickAnother(LogData):
    """Leave the archived skill and pick another."""

    KEY: ClassVar[tuple[str, ...]] = ("pick",)


LOG_BUTTONS: Final = Schema[LogData](
    LOG,
    LogBack,
    LogPickSkill,
    LogSkillPage,
    LogNewSkill,
    LogDuration,
    LogDay,
    LogKeepDescription,
    LogRate,
    LogSkipRating,
    LogUnarchive,
    LogPickAnother,
)
