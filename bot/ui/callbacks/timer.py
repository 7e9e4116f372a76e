"""The buttons of the practice timer: the picker, the live message, the guard's question, and
the two short conversations (switching timers, the next focus after Stop)."""

from __future__ import annotations

from typing import Final

from bot.ui.callbacks.schema import CallbackData, Id, Schema

# Outside conversations: "tm" (bot/handlers/timer.py, timer_button)
TIMER: Final = "tm"
# Conversation steps: "tw" switching (TimerSwitchFlow), "tn" the next focus (NextFocusFlow)
TIMER_SWITCH: Final = "tw"
TIMER_NEXT: Final = "tn"


class TimerData(CallbackData, prefix=TIMER):
    """A timer button."""


class TimerPick(TimerData, key=("p",)):
    """▶️ Start timer (on /quick, reminders): the skill picker."""


class TimerOfSkill(TimerData):
    """A button that starts a timer: the skill it times."""

    skill_id: Id


class TimerStart(TimerOfSkill, key=("s",)):
    """A skill in the picker: start its timer in the picker's message."""


class TimerAgain(TimerOfSkill, key=("a",)):
    """▶️ Start timer on a saved-session card: a timer for its skill, in a new message."""


class TimerAction(TimerData):
    """A button on a live timer or its guard's question: the timer it acts on."""

    timer_id: Id


class TimerPause(TimerAction, key=("pa",)):
    """⏸ Pause."""


class TimerResume(TimerAction, key=("re",)):
    """▶️ Resume."""


class TimerStop(TimerAction, key=("st",)):
    """⏹ Stop (also the guard's Stop now): save the session."""


class TimerStopAtLastSeen(TimerAction, key=("sl",)):
    """The guard's "Stop at 18:40": save up to when the user was last there."""


class TimerKeep(TimerAction, key=("k",)):
    """The guard's "Yes, keep going"."""


class TimerDiscard(TimerAction, key=("d",)):
    """✖ Discard: asks first."""


class TimerDiscardYes(TimerAction, key=("dy",)):
    """Yes, discard: throw the timer away unsaved."""


class TimerShow(TimerAction, key=("v",)):
    """« Back (from the discard question): the live timer again."""


class TimerClose(TimerData, key=("x",)):
    """✖ Close the picker."""


TIMER_BUTTONS: Final = Schema.of(TimerData)


class TimerSwitchData(CallbackData, prefix=TIMER_SWITCH):
    """A button of the 'a timer is already running' question."""


class TimerSwitchGo(TimerSwitchData, key=("go",)):
    """Stop (and save) the running timer, then start the new one."""


class TimerSwitchStop(TimerSwitchData, key=("stop",)):
    """Stop (and save) the running timer only."""


TIMER_SWITCH_BUTTONS: Final = Schema.of(TimerSwitchData)


class TimerNextData(CallbackData, prefix=TIMER_NEXT):
    """A button of the 'what's next?' question."""


class TimerNextSkip(TimerNextData, key=("skip",)):
    """Skip the reflection."""


TIMER_NEXT_BUTTONS: Final = Schema.of(TimerNextData)
