"""The buttons of the /reminders settings and of the typed-value prompt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Final

from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    MAX_PAUSE_DAYS,
    MAX_WEEKLY_GOAL,
    MINUTES_PER_DAY,
)
from bot.ui.callbacks.schema import CallbackData, Flag, Id, Int, Keyed, Schema, Word

# /reminders: "rm" (stateless settings screens), "rmi" (typed-value prompt)

REMINDERS: Final = "rm"
REMINDER_INPUT: Final = "rmi"
SCREENS: Final = ("m", "i", "s", "w", "g", "p")  # main, inactivity, streak, weekly, goal, pause
TOGGLES: Final = ("ie", "se", "we")  # inactivity, streak, weekly summary on/off
TIMES: Final = ("im", "sm", "wm")  # their times of day
ASKABLE: Final = (*TIMES, "g", "p")  # typed values other than a skill's goal


@dataclass(frozen=True)
class ReminderData(CallbackData):
    """A reminder settings button, or one under a reminder."""

    PREFIX: ClassVar[str] = REMINDERS


@dataclass(frozen=True)
class ReminderScreen(ReminderData, Keyed):
    """Open one settings screen."""

    screen: Annotated[str, Word(SCREENS)]


@dataclass(frozen=True)
class ReminderClose(ReminderData):
    """✖ Close the settings."""

    KEY: ClassVar[tuple[str, ...]] = ("x",)


@dataclass(frozen=True)
class ReminderOpen(ReminderData):
    """⚙️ Reminder settings under a reminder: a new settings message below it."""

    KEY: ClassVar[tuple[str, ...]] = ("open",)


@dataclass(frozen=True)
class ReminderStreakOff(ReminderData):
    """🔕 No more streak reminders, under a streak reminder."""

    KEY: ClassVar[tuple[str, ...]] = ("off", "s")


@dataclass(frozen=True)
class ReminderSkillGoalScreen(ReminderData):
    """One skill's weekly goal screen."""

    KEY: ClassVar[tuple[str, ...]] = ("gk",)
    skill_id: Id


@dataclass(frozen=True)
class ReminderToggle(ReminderData, Keyed):
    """Turn a reminder on or off."""

    KEY: ClassVar[tuple[str, ...]] = ("set",)
    setting: Annotated[str, Word(TOGGLES)]
    on: Annotated[bool, Flag()]


@dataclass(frozen=True)
class ReminderInactivityDays(ReminderData):
    """After how many days without practice the nudge comes."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "id")
    days: Annotated[int, Int(1, 7, choices=INACTIVITY_DAY_CHOICES)]


@dataclass(frozen=True)
class ReminderTime(ReminderData, Keyed):
    """A reminder's time of day, in minutes after midnight."""

    KEY: ClassVar[tuple[str, ...]] = ("set",)
    setting: Annotated[str, Word(TIMES)]
    minute: Annotated[int, Int(0, MINUTES_PER_DAY - 1)]


@dataclass(frozen=True)
class ReminderWeekday(ReminderData):
    """The weekly summary's weekday (0 Monday)."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "ww")
    weekday: Annotated[int, Int(0, 6)]


@dataclass(frozen=True)
class ReminderWeeklyGoal(ReminderData):
    """The overall weekly goal in minutes (0: none)."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "g")
    minutes: Annotated[int, Int(0, MAX_WEEKLY_GOAL)]


@dataclass(frozen=True)
class ReminderSkillGoal(ReminderData):
    """A skill's weekly goal in minutes (0: none)."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "sg")
    skill_id: Id
    minutes: Annotated[int, Int(0, MAX_WEEKLY_GOAL)]


@dataclass(frozen=True)
class ReminderPause(ReminderData):
    """Pause every reminder for some days, today included."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "p")
    days: Annotated[int, Int(1, MAX_PAUSE_DAYS)]


@dataclass(frozen=True)
class ReminderResume(ReminderData):
    """▶️ Resume reminders now."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "pr", "0")


@dataclass(frozen=True)
class ReminderAsk(ReminderData, Keyed):
    """Ask for a typed time, overall goal or pause date."""

    KEY: ClassVar[tuple[str, ...]] = ("ask",)
    setting: Annotated[str, Word(ASKABLE)]


@dataclass(frozen=True)
class ReminderAskSkillGoal(ReminderData):
    """Ask for a skill's typed weekly goal."""

    KEY: ClassVar[tuple[str, ...]] = ("ask", "sg")
    skill_id: Id


REMINDER_BUTTONS: Final = Schema[ReminderData](
    REMINDERS,
    ReminderScreen,
    ReminderClose,
    ReminderOpen,
    ReminderStreakOff,
    ReminderSkillGoalScreen,
    ReminderToggle,
    ReminderInactivityDays,
    ReminderTime,
    ReminderWeekday,
    ReminderWeeklyGoal,
    ReminderSkillGoal,
    ReminderPause,
    ReminderResume,
    ReminderAsk,
    ReminderAskSkillGoal,
)


@dataclass(frozen=True)
class ReminderInputData(CallbackData):
    """A button of the typed-value prompt."""

    PREFIX: ClassVar[str] = REMINDER_INPUT


@dataclass(frozen=True)
class ReminderInputBack(ReminderInputData):
    """« Back to the screen the prompt came from."""

    KEY: ClassVar[tuple[str, ...]] = ("back",)


REMINDER_INPUT_BUTTONS: Final = Schema[ReminderInputData](REMINDER_INPUT, ReminderInputBack)
