"""The practice timer's screens: the live message, the picker, the questions (pure renderers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.domain.dates import format_date
from bot.domain.skills import SkillRef
from bot.ui import callbacks as cb
from bot.ui.cards import BUTTON_START_TIMER
from bot.ui.keyboards import Button, cancel_button, grid, markup, press
from bot.ui.quick_log import short_name
from bot.ui.texts import esc, minutes

BUTTON_PAUSE = "⏸ Pause"
BUTTON_RESUME = "▶️ Resume"
BUTTON_STOP = "⏹ Stop"
BUTTON_DISCARD = "✖ Discard"
BUTTON_KEEP = "Yes, keep going"
BUTTON_STOP_NOW = "Stop now"
BUTTON_SKIP = "Skip"
PICKER_SKILLS = 12
WEEKLY_FOCUSES = 5

NO_SKILLS = (
    "⏱ <b>Timer</b>\nYou have no skills to time yet. Add one with "
    "<code>/addskill Guitar</code> or /skills, then come back."
)
ALREADY_STOPPED = "This timer has already stopped or been discarded. /timer starts a new one."


def local_clock_time(moment: datetime, timezone: str) -> str:
    """'18:40' in the user's zone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


def timer_line(skill_name: str, elapsed_minutes: int, intention: str | None) -> str:
    """'⏱ <b>Guitar</b> · 23 min · scales at 90 bpm'."""
    parts = [f"⏱ <b>{esc(skill_name)}</b>", minutes(elapsed_minutes)]
    if intention:
        parts.append(esc(intention))
    return " · ".join(parts)


def timer_text(
    skill_name: str,
    elapsed_minutes: int,
    intention: str | None,
    *,
    paused: bool,
    next_focus: str | None = None,
    banner: str | None = None,
) -> str:
    """The live message: the timer line, paused or not, and the skill's next focus if given."""
    lines = [timer_line(skill_name, elapsed_minutes, intention)]
    lines.append("⏸ Paused — ▶️ Resume when you're back." if paused else "Running.")
    if next_focus:
        lines.append(next_focus_line(next_focus))
    if banner:
        lines.insert(0, banner)
    return "\n".join(lines)


def next_focus_line(focus: str) -> str:
    """'Last time you said next: …' (shown when a timer or /log for the skill starts)."""
    return f"💭 Last time you said next: <i>{esc(focus)}</i>"


def next_focus_block(focuses: Sequence[tuple[str, str]]) -> str:
    """The weekly summary's "next focus" lines, or '' when no skill has one."""
    if not focuses:
        return ""
    # A few lines at most: the summary must stay well within one message.
    lines = [f"• {esc(name)}: <i>{esc(focus)}</i>" for name, focus in focuses[:WEEKLY_FOCUSES]]
    return "\n\n💭 <b>Next focus</b>\n" + "\n".join(lines)


def timer_keyboard(timer_id: int, *, paused: bool) -> InlineKeyboardMarkup:
    """[⏸ Pause | ▶️ Resume] [⏹ Stop] / [✖ Discard]."""
    toggle = (
        press(BUTTON_RESUME, cb.TimerResume(timer_id))
        if paused
        else press(BUTTON_PAUSE, cb.TimerPause(timer_id))
    )
    return markup(
        [
            [toggle, press(BUTTON_STOP, cb.TimerStop(timer_id))],
            [press(BUTTON_DISCARD, cb.TimerDiscard(timer_id))],
        ]
    )


def picker_screen(
    skills: Sequence[SkillRef], heading: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """Which skill to time: the most practised first."""
    text = (heading + "\n" if heading else "") + (
        "⏱ <b>Start a timer</b> — which skill?\n"
        "Tip: <code>/timer guitar scales at 90 bpm</code> starts it with an intention."
    )
    buttons = [
        press(short_name(skill.name, 30), cb.TimerStart(skill.skill_id))
        for skill in skills[:PICKER_SKILLS]
    ]
    rows = grid(buttons, 2)
    rows.append([press("✖ Close", cb.TimerClose())])
    return text, markup(rows)


def start_timer_button(skill_id: int | None = None) -> Button:
    """▶️ Start timer: for this skill, or the picker."""
    data = cb.TimerAgain(skill_id) if skill_id is not None else cb.TimerPick()
    return press(BUTTON_START_TIMER, data)


def discard_question(
    skill_name: str, elapsed_minutes: int, timer_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Are you sure? Nothing is saved."""
    text = (
        f"Discard the {esc(skill_name)} timer ({minutes(elapsed_minutes)})? Nothing will be saved."
    )
    return text, markup(
        [
            [
                press("✖ Yes, discard", cb.TimerDiscardYes(timer_id)),
                press("« Back", cb.TimerShow(timer_id)),
            ]
        ]
    )


def discarded_text(skill_name: str) -> str:
    """After Discard."""
    return f"✖ Discarded the {esc(skill_name)} timer. Nothing was saved. /timer starts a new one."


def switch_question(
    running_name: str, elapsed_minutes: int, new_name: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A timer is running: stop it, or stop it and start the new one."""
    text = (
        f"Your <b>{esc(running_name)}</b> timer is running ({minutes(elapsed_minutes)}). "
        "One timer at a time — what should I do?"
    )
    return text, markup(
        [
            [press(f"⏹ Stop {short_name(running_name, 20)}", cb.TimerSwitchStop())],
            [
                press(
                    f"🔀 Save it, start {short_name(new_name, 20)}",
                    cb.TimerSwitchGo(),
                )
            ],
            [cancel_button()],
        ]
    )


def stopped_line(skill_name: str, measured: int, intention: str | None) -> str:
    """What the live message becomes once stopped."""
    return f"⏹ {timer_line(skill_name, measured, intention)} — stopped."


def capped_line(measured: int, saved: int | None, day: date, today: date) -> str:
    """Why fewer minutes (or none) were saved than measured."""
    when = esc(format_date(day, today))
    if saved is None:
        return (
            f"⚠️ The timer measured {minutes(measured)}, but {when} (the day it started) already "
            "has 24 h logged, so nothing was saved."
        )
    return (
        f"⚠️ The timer measured {minutes(measured)}. A session is saved on the day it started "
        f"({when}), and a day holds at most 24 h, so I saved {minutes(saved)}."
    )


def next_focus_question(skill_name: str) -> tuple[str, InlineKeyboardMarkup]:
    """The reflection after Stop."""
    text = (
        f"💭 What's next for <b>{esc(skill_name)}</b>? One line I'll show you when you next "
        "start it (e.g. “left-hand legato at 100 bpm”), or tap Skip."
    )
    return text, markup([[press(BUTTON_SKIP, cb.TimerNextSkip())]])


def guard_question(
    skill_name: str, elapsed_minutes: int, last_seen: str, timer_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The forgotten-timer guard's question."""
    text = (
        f"⏱ Still practising <b>{esc(skill_name)}</b>? The timer shows "
        f"{minutes(elapsed_minutes)}; I last heard from you at {last_seen}."
    )
    return text, markup(
        [
            [press(BUTTON_KEEP, cb.TimerKeep(timer_id))],
            [
                press(f"Stop at {last_seen}", cb.TimerStopAtLastSeen(timer_id)),
                press(BUTTON_STOP_NOW, cb.TimerStop(timer_id)),
            ],
        ]
    )


def guard_stopped_text(skill_name: str, saved: int | None, last_seen: str) -> str:
    """The guard stopped a timer nobody answered for."""
    if saved is None:
        return (
            f"⏹ I stopped your <b>{esc(skill_name)}</b> timer: no answer since {last_seen}. "
            "Nothing was saved (that day is already full)."
        )
    return (
        f"⏹ I stopped your <b>{esc(skill_name)}</b> timer at {last_seen}, the last time I heard "
        f"from you, and saved {minutes(saved)}. Wrong? Fix it in /history."
    )
