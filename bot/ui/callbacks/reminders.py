"""The buttons of the /reminders settings and of the typed-value prompt."""

from __future__ import annotations

from typing import Annotated, Final

from bot.domain.goals import MAX_WEEKLY_MINUTES
from bot.domain.reminders import INACTIVITY_DAY_CHOICES, MAX_PAUSE_DAYS, MINUTES_PER_DAY
from bot.ui.callbacks.schema import CallbackData, Flag, Id, Int, Keyed, Schema, Word

# /reminders: "rm" (stateless settings screens), "rmi" (typed-value prompt)

REMINDERS: Final = "rm"
REMINDER_INPUT: Final = "rmi"
SCREENS: Final = ("m", "i", "s", "w", "g", "p")  # main, inactivity, streak, weekly, goal, pause
TOGGLES: Final = ("ie", "se", "we")  # inactivity, streak, weekly summary on/off
TIMES: Final = ("im", "sm", "wm")  # their times of day
ASKABLE: Final = (*TIMES, "g", "p")  # typed values other than a skill's goal


class ReminderData(CallbackData, prefix=REMINDERS):
    """A reminder settings button, or one under a reminder."""


class ReminderScreen(ReminderData, Keyed, key=()):
    """Open one settings screen."""

    screen: Annotated[str, Word(SCREENS)]


class ReminderClose(ReminderData, key=("x",)):
    """✖ Close the settings."""


class ReminderOpen(ReminderData, key=("open",)):
    """⚙️ Reminder settings under a reminder: a new settings message below it."""


class ReminderStreakOff(ReminderData, key=("off", "s")):
    """🔕 No more streak reminders, under a streak reminder."""


class ReminderSkillGoalScreen(ReminderData, key=("gk",)):
    """One skill's weekly goal screen."""

    skill_id: Id


class ReminderToggle(ReminderData, Keyed, key=("set",)):
    """Turn a reminder on or off."""

    setting: Annotated[str, Word(TOGGLES)]
    on: Annotated[bool, Flag()]


class ReminderInactivityDays(ReminderData, key=("set", "id")):
    """After how many days without practice the nudge comes."""

    days: Annotated[int, Int(1, 7, choices=INACTIVITY_DAY_CHOICES)]


class ReminderTime(ReminderData, Keyed, key=("set",)):
    """A reminder's time of day, in minutes after midnight."""

    setting: Annotated[str, Word(TIMES)]
    minute: Annotated[int, Int(0, MINUTES_PER_DAY - 1)]


class ReminderWeekday(ReminderData, key=("set", "ww")):
    """The weekly summary's weekday (0 Monday)."""

    weekday: Annotated[int, Int(0, 6)]


class ReminderWeeklyGoal(ReminderData, key=("set", "g")):
    """The overall weekly goal in minutes (0: none)."""

    minutes: Annotated[int, Int(0, MAX_WEEKLY_MINUTES)]


class ReminderSkillGoal(ReminderData, key=("set", "sg")):
    """A skill's weekly goal in minutes (0: none)."""

    skill_id: Id
    minutes: Annotated[int, Int(0, MAX_WEEKLY_MINUTES)]


class ReminderPause(ReminderData, key=("set", "p")):
    """Pause every reminder for some days, today included."""

    days: Annotated[int, Int(1, MAX_PAUSE_DAYS)]


class ReminderResume(ReminderData, key=("set", "pr", "0")):
    """▶️ Resume reminders now."""


class ReminderAsk(ReminderData, Keyed, key=("ask",)):
    """Ask for a typed time, overall goal or pause date."""

    setting: Annotated[str, Word(ASKABLE)]


class ReminderAskSkillGoal(ReminderData, key=("ask", "sg")):
    """Ask for a skill's typed weekly goal."""

    skill_id: Id


REMINDER_BUTTONS: Final = Schema.of(ReminderData)


class ReminderInputData(CallbackData, prefix=REMINDER_INPUT):
    """A button of the typed-value prompt."""


class ReminderInputBack(ReminderInputData, key=("back",)):
    """« Back to the screen the prompt came from."""


REMINDER_INPUT_BUTTONS: Final = Schema.of(ReminderInputData)
