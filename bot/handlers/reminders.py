"""/reminders: inactivity nudge, streak reminder, weekly summary, weekly goals, vacation pause.

The screens are stateless buttons (prefix "rm"): every tap saves at once and redraws the screen
it was pressed on. Typing a time, a goal or a date opens a small conversation (prefix "rmi").
The buttons under a reminder ("⚙️ Reminder settings", "🔕 No more streak reminders") use "rm" too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
from bot.domain.dates import format_date
from bot.domain.errors import DomainError
from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    MAX_UNANSWERED,
    format_minute,
    is_paused,
    parse_goal_minutes,
    parse_pause_until,
    parse_time_of_day,
)
from bot.domain.weeks import WEEKDAY_NAMES
from bot.services.reminder_settings import (
    Enabled,
    InactivityDays,
    PauseFor,
    PauseUntil,
    Reminder,
    Resume,
    Setting,
    SkillNotFound,
    SummaryWeekday,
    TimeOfDay,
    WeeklyGoal,
    change_setting,
    prefs_of,
)
from bot.ui import callbacks as rm
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.keyboards import Button, cancel_button, grid, markup, press
from bot.ui.reminders import STREAK_OFF_DONE, onoff, settings_text
from bot.ui.texts import BUTTON_BACK, NOT_FOUND, esc, minutes, plural
from storage.models import Conversation, Skill, User

log = logging.getLogger(__name__)

PREFIX = rm.REMINDER_BUTTONS.prefix

BUTTON_CLOSE = "✖ Close"
INACTIVITY_TIMES = (9 * 60, 12 * 60, 18 * 60, 20 * 60)
STREAK_TIMES = (18 * 60, 19 * 60, 20 * 60, 21 * 60, 22 * 60)
WEEKLY_TIMES = (9 * 60, 12 * 60, 18 * 60, 20 * 60)
GOAL_CHOICES = (60, 150, 300, 420, 600)
SKILL_GOAL_CHOICES = (30, 60, 120, 180, 300)
PAUSE_CHOICES = (3, 7, 14, 30)
MAX_GOAL_SKILLS = 24
CLOSED = "⏰ Reminder settings saved. /reminders changes them any time."

# Button code -> the reminder it sets, and the screen that shows it.
TOGGLES: dict[str, tuple[Reminder, str]] = {
    "ie": ("inactivity", "i"),
    "se": ("streak", "s"),
    "we": ("weekly", "w"),
}
TIMES: dict[str, tuple[Reminder, str]] = {
    "im": ("inactivity", "i"),
    "sm": ("streak", "s"),
    "wm": ("weekly", "w"),
}
# A typed answer's field -> the screen to show after it (and to go back to).
ANSWER_SCREENS = {"im": "i", "sm": "s", "wm": "w", "g": "g", "p": "p"}
PROMPTS = {
    "im": "At what time should the inactivity nudge come? Send a time like 18:30 or 7pm.",
    "sm": "At what time should the streak reminder come? Send a time like 20:00 or 9pm.",
    "wm": "At what time should the weekly summary come? Send a time like 18:00.",
    "g": "How many minutes a week do you want to practise in all? Send e.g. 150 or 2h 30m "
    "(0 turns the goal off).",
    "sg": "How many minutes a week for <b>{name}</b>? Send e.g. 60 or 1h 30m (0 turns it off).",
    "p": "Pause reminders through which day? Send a date like 2026-12-24 or 24.12, "
    "or a length like 10 days.",
}


def _row(*buttons: Button) -> list[Button]:
    return list(buttons)


def _nav(back: str = "m") -> list[Button]:
    return [press(BUTTON_BACK, rm.ReminderScreen(back)), press(BUTTON_CLOSE, rm.ReminderClose())]


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def _toggle(enabled: bool, field: str) -> Button:
    return (
        press("🔕 Turn off", rm.ReminderToggle(field, on=False))
        if enabled
        else press("🔔 Turn on", rm.ReminderToggle(field, on=True))
    )


def _times(field: str, choices: Sequence[int], current: int) -> list[list[Button]]:
    buttons = [
        press(_mark(format_minute(m), m == current), rm.ReminderTime(field, m)) for m in choices
    ]
    return [*grid(buttons, 3), [press("🕒 Other time…", rm.ReminderAsk(field))]]


def _reminder_screen(
    text: str, toggle: Button, choices: list[list[Button]], times: list[list[Button]]
) -> tuple[str, InlineKeyboardMarkup]:
    """One reminder's screen: on/off, its own choices, its times of day, and « Back."""
    return text, markup([[toggle], *choices, *times, _nav()])


async def main_screen(turn: Turn) -> tuple[str, InlineKeyboardMarkup]:
    """The overview with one button per setting."""
    user = await turn.load_user()
    found = await turn.uow.goals.user_goals(turn.user_id)
    skill_goals = [g for g in found.skills if g.goals.weekly_goal_minutes is not None]
    text = settings_text(
        prefs_of(user), user.weekly_goal_minutes, len(skill_goals), turn.timezone, turn.today
    )
    paused = is_paused(user.paused_until, turn.today)
    rows = [
        _row(
            press("👋 Inactivity nudge", rm.ReminderScreen("i")),
            press("🔥 Streak reminder", rm.ReminderScreen("s")),
        ),
        _row(
            press("📊 Weekly summary", rm.ReminderScreen("w")),
            press("🎯 Weekly goal", rm.ReminderScreen("g")),
        ),
        _row(
            press("▶️ Resume reminders", rm.ReminderResume())
            if paused
            else press("⏸ Pause (vacation)", rm.ReminderScreen("p"))
        ),
        _row(press(BUTTON_CLOSE, rm.ReminderClose())),
    ]
    return text, markup(rows)


def inactivity_screen(user: User) -> tuple[str, InlineKeyboardMarkup]:
    """On/off, after how many days, and at what time."""
    text = (
        f"👋 <b>Inactivity nudge</b>: {onoff(user.inactivity_enabled)}\n\n"
        f"When you haven't practised for <b>{plural(user.inactivity_days, 'day')}</b>, I send a "
        f"nudge at <b>{format_minute(user.inactivity_minute)}</b> with one-tap logging. After "
        f"{MAX_UNANSWERED} nudges in a row without a session I stop until you log again."
    )
    days = [
        press(_mark(plural(d, "day"), d == user.inactivity_days), rm.ReminderInactivityDays(d))
        for d in INACTIVITY_DAY_CHOICES
    ]
    return _reminder_screen(
        text,
        _toggle(user.inactivity_enabled, "ie"),
        grid(days, 3),
        _times("im", INACTIVITY_TIMES, user.inactivity_minute),
    )


def streak_screen(user: User) -> tuple[str, InlineKeyboardMarkup]:
    """On/off and the evening time."""
    text = (
        f"🔥 <b>Streak reminder</b>: {onoff(user.streak_enabled)}\n\n"
        "When you have a streak of 2 days or more and haven't practised yet today, I remind "
        f"you at <b>{format_minute(user.streak_minute)}</b> that it ends at midnight — with "
        "one-tap logging to keep it alive."
    )
    return _reminder_screen(
        text,
        _toggle(user.streak_enabled, "se"),
        [],
        _times("sm", STREAK_TIMES, user.streak_minute),
    )


def weekly_screen(user: User) -> tuple[str, InlineKeyboardMarkup]:
    """On/off, weekday and time."""
    text = (
        f"📊 <b>Weekly summary</b>: {onoff(user.weekly_enabled)}\n\n"
        f"Every <b>{WEEKDAY_NAMES[user.weekly_weekday]}</b> at "
        f"<b>{format_minute(user.weekly_minute)}</b>: your last 7 days against the 7 before, "
        "per skill, your streak and goal, progress, evidence added, and a chart. Sent when "
        "you practised in the last two weeks."
    )
    days = [
        press(_mark(name[:3], i == user.weekly_weekday), rm.ReminderWeekday(i))
        for i, name in enumerate(WEEKDAY_NAMES)
    ]
    return _reminder_screen(
        text,
        _toggle(user.weekly_enabled, "we"),
        [days[:4], days[4:]],
        _times("wm", WEEKLY_TIMES, user.weekly_minute),
    )


async def goal_screen(turn: Turn) -> tuple[str, InlineKeyboardMarkup]:
    """The overall weekly goal, and a button per skill for its own goal."""
    found = await turn.uow.goals.user_goals(turn.user_id)
    goal, skills = found.overall.weekly_goal_minutes, found.skills
    lines = [
        "🎯 <b>Weekly goal</b>",
        "",
        f"In all: <b>{minutes(goal) if goal else 'none'}</b> a week.",
        "The weekly summary shows a progress bar for each goal.",
    ]
    presets = [press("Off", rm.ReminderWeeklyGoal(0))] + [
        press(_mark(minutes(m), m == goal), rm.ReminderWeeklyGoal(m)) for m in GOAL_CHOICES
    ]
    rows = [*grid(presets, 3), [press("✏️ Other amount…", rm.ReminderAsk("g"))]]
    if skills:
        lines.append("\nPer skill (tap one to set its goal):")
        skill_buttons = [
            press(
                f"{s.name[:20]}: {_goal_label(s.goals.weekly_goal_minutes)}",
                rm.ReminderSkillGoalScreen(s.skill_id),
            )
            for s in skills[:MAX_GOAL_SKILLS]
        ]
        rows += grid(skill_buttons, 2)
        if len(skills) > MAX_GOAL_SKILLS:
            lines.append(f"(showing {MAX_GOAL_SKILLS} of {len(skills)} skills)")
    rows.append(_nav())
    return "\n".join(lines), markup(rows)


def _goal_label(goal: int | None) -> str:
    return minutes(goal) if goal else "—"


def skill_goal_screen(skill: Skill) -> tuple[str, InlineKeyboardMarkup]:
    """One skill's weekly goal."""
    goal = skill.weekly_goal_minutes
    text = f"🎯 <b>{esc(skill.name)}</b>: <b>{minutes(goal) if goal else 'no goal'}</b> a week."
    presets = [press("Off", rm.ReminderSkillGoal(skill.id, 0))] + [
        press(_mark(minutes(m), m == goal), rm.ReminderSkillGoal(skill.id, m))
        for m in SKILL_GOAL_CHOICES
    ]
    rows = [
        *grid(presets, 3),
        [press("✏️ Other amount…", rm.ReminderAskSkillGoal(skill.id))],
        _nav("g"),
    ]
    return text, markup(rows)


def pause_screen(turn: Turn, user: User) -> tuple[str, InlineKeyboardMarkup]:
    """Pause everything for a while (vacation), or resume."""
    until = user.paused_until
    paused = is_paused(until, turn.today)
    status = (
        f"Paused through <b>{esc(format_date(until, turn.today))}</b>."
        if until is not None and paused
        else "Not paused."
    )
    text = (
        f"⏸ <b>Pause</b>\n\n{status}\nWhile paused I send no nudges, streak reminders or "
        "summaries; inactivity counts again from the day after the pause."
    )
    presets = [
        press(f"{plural(d, 'day')}" if d < 7 else plural(d // 7, "week"), rm.ReminderPause(d))
        for d in PAUSE_CHOICES[:3]
    ] + [press("1 month", rm.ReminderPause(PAUSE_CHOICES[3]))]
    rows = [*grid(presets, 2), [press("📅 Until a date…", rm.ReminderAsk("p"))]]
    if paused:
        rows.append([press("▶️ Resume now", rm.ReminderResume())])
    rows.append(_nav())
    return text, markup(rows)


async def _screen(turn: Turn, name: str) -> tuple[str, InlineKeyboardMarkup]:
    if name == "i":
        return inactivity_screen(await turn.load_user())
    if name == "s":
        return streak_screen(await turn.load_user())
    if name == "w":
        return weekly_screen(await turn.load_user())
    if name == "g":
        return await goal_screen(turn)
    if name == "p":
        return pause_screen(turn, await turn.load_user())
    return await main_screen(turn)


@handler
async def reminders_command(turn: Turn) -> None:
    """/reminders: the settings overview."""
    # reply() commits first: a first-time user is registered with the defaults shown.
    await turn.reply(*await main_screen(turn))


# ----- steps: one per kind of "rm" button -----


async def _show_screen(turn: Turn, pressed: rm.ReminderScreen) -> None:
    """Show the settings screen the button names."""
    await turn.show(*await _screen(turn, pressed.screen))


async def _close(turn: Turn, pressed: rm.ReminderClose) -> None:
    """Close the settings."""
    await turn.show(CLOSED)


async def _open_below(turn: Turn, pressed: rm.ReminderOpen) -> None:
    """Under a reminder: keep it (and its Quick Log buttons) and open a new settings screen."""
    await turn.reply(*await main_screen(turn))


async def _streak_off(turn: Turn, pressed: rm.ReminderStreakOff) -> None:
    """Under a streak reminder: turn streak reminders off, offering to turn them back on."""
    await change_setting(turn.uow, turn.user_id, Enabled("streak", on=False), turn.today)
    await turn.answer("Streak reminders off")
    await _drop_settings_rows(turn)
    again = press("🔔 Turn back on", rm.ReminderToggle("se", on=True))
    await turn.reply(STREAK_OFF_DONE, markup([[again]]))


async def _drop_settings_rows(turn: Turn) -> None:
    """Remove the reminder's own "turn off" button, keeping its Quick Log rows."""
    query = turn.query
    if query is None or not isinstance(query.message, Message):
        return
    current = query.message.reply_markup
    off = rm.ReminderStreakOff().encode()
    rows = [
        [b for b in row if b.callback_data != off]
        for row in (current.inline_keyboard if current else ())
    ]
    kept: list[list[InlineKeyboardButton]] = [row for row in rows if row]
    try:
        await query.message.edit_reply_markup(InlineKeyboardMarkup(kept) if kept else None)
    except BadRequest:
        # The reminder was deleted, or is too old to edit: the setting is saved all the same.
        log.debug("could not trim the reminder's keyboard")


async def _show_skill_goal(turn: Turn, pressed: rm.ReminderSkillGoalScreen) -> None:
    """One skill's goal screen (the goal screen again if the skill is not the presser's)."""
    skill = await turn.uow.skills.get(turn.user_id, pressed.skill_id)
    if skill is None:
        await _skill_gone(turn)
        return
    await turn.show(*skill_goal_screen(skill))


async def _skill_gone(turn: Turn) -> None:
    await turn.answer(NOT_FOUND)
    await turn.show(*await goal_screen(turn))


async def _save(turn: Turn, setting: Setting, screen: str) -> None:
    """Save a setting (the service commits), then redraw the screen it was set on."""
    await change_setting(turn.uow, turn.user_id, setting, turn.today)
    await turn.answer("Saved")
    await turn.show(*await _screen(turn, screen))


async def _set_toggle(turn: Turn, pressed: rm.ReminderToggle) -> None:
    """Turn a reminder on or off."""
    reminder, screen = TOGGLES[pressed.setting]
    await _save(turn, Enabled(reminder, pressed.on), screen)


async def _set_inactivity_days(turn: Turn, pressed: rm.ReminderInactivityDays) -> None:
    """Nudge after this many quiet days."""
    await _save(turn, InactivityDays(pressed.days), "i")


async def _set_time(turn: Turn, pressed: rm.ReminderTime) -> None:
    """A reminder's time of day."""
    reminder, screen = TIMES[pressed.setting]
    await _save(turn, TimeOfDay(reminder, pressed.minute), screen)


async def _set_weekday(turn: Turn, pressed: rm.ReminderWeekday) -> None:
    """The weekly summary's weekday."""
    await _save(turn, SummaryWeekday(pressed.weekday), "w")


async def _set_weekly_goal(turn: Turn, pressed: rm.ReminderWeeklyGoal) -> None:
    """The overall weekly goal (0: none)."""
    await _save(turn, WeeklyGoal(pressed.minutes), "g")


async def _set_pause(turn: Turn, pressed: rm.ReminderPause) -> None:
    """Pause every reminder for some days."""
    await _save(turn, PauseFor(pressed.days), "p")


async def _resume(turn: Turn, pressed: rm.ReminderResume) -> None:
    """End the pause now."""
    await _save(turn, Resume(), "m")


async def _set_skill_goal(turn: Turn, pressed: rm.ReminderSkillGoal) -> None:
    """A skill's weekly goal; the skill id is re-checked against the presser."""
    try:
        skill = await change_setting(
            turn.uow, turn.user_id, WeeklyGoal(pressed.minutes, pressed.skill_id), turn.today
        )
    except SkillNotFound:
        await _skill_gone(turn)
        return
    assert skill is not None  # a skill's goal returns its skill
    await turn.answer("Saved")
    await turn.show(*skill_goal_screen(skill))


async def _ask(turn: Turn, pressed: rm.ReminderAsk) -> None:
    """Turn the screen into a prompt and wait for a typed time, goal or date."""
    await _prompt(turn, pressed.setting, PROMPTS[pressed.setting], {"field": pressed.setting})


async def _ask_skill_goal(turn: Turn, pressed: rm.ReminderAskSkillGoal) -> None:
    """Ask for a skill's weekly goal; the skill id is re-checked against the presser."""
    skill = await turn.uow.skills.get(turn.user_id, pressed.skill_id)
    if skill is None:
        await _skill_gone(turn)
        return
    prompt = PROMPTS["sg"].format(name=esc(skill.name))
    await _prompt(turn, "sg", prompt, {"field": "sg", "skill_id": skill.id})


async def _prompt(turn: Turn, field: str, prompt: str, data: dict[str, int | str]) -> None:
    back_row = [press(BUTTON_BACK, rm.ReminderInputBack()), cancel_button()]
    message_id = await turn.show(prompt, markup([back_row]))
    await turn.begin(ReminderInputFlow.name, field, data, message_id=message_id)


# Every button of the settings screens and of the reminders themselves.
BUTTONS = StepTable[Turn](
    _show_screen,
    _close,
    _open_below,
    _streak_off,
    _show_skill_goal,
    _set_toggle,
    _set_inactivity_days,
    _set_time,
    _set_weekday,
    _set_weekly_goal,
    _set_skill_goal,
    _set_pause,
    _resume,
    _ask,
    _ask_skill_goal,
)
reminders_button = button_handler(rm.REMINDER_BUTTONS, BUTTONS)


# ----- the typed-value prompt -----


def _typed_setting(field: str, conv: Conversation, text: str, today: date) -> Setting:
    """Read a typed answer into the setting it changes (DomainError if it isn't one)."""
    if field in TIMES:
        return TimeOfDay(TIMES[field][0], parse_time_of_day(text))
    if field == "g":
        return WeeklyGoal(parse_goal_minutes(text))
    if field == "sg":
        return WeeklyGoal(parse_goal_minutes(text), int(conv.data.get("skill_id", 0)))
    if field == "p":
        return PauseUntil(parse_pause_until(text, today))
    raise BadCallback(f"unknown reminder input {field!r}")


class ReminderInputFlow:
    """A typed time, weekly goal or pause date for /reminders."""

    name = "reminders"
    prefix = rm.REMINDER_INPUT
    title = "the reminder settings"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """Parse and save the typed value, or say what is wrong and ask again."""
        field = conv.state
        if not turn.text:
            await turn.reply("Please send it as text, or tap « Back.")
            return
        try:
            setting = _typed_setting(field, conv, turn.text, turn.today)
            # Closed in the same commit as the setting; a refusal rolls both back.
            await turn.finish()
            skill = await change_setting(turn.uow, turn.user_id, setting, turn.today)
        except DomainError as exc:
            await turn.uow.rollback()
            problem = NOT_FOUND if isinstance(exc, SkillNotFound) else str(exc)
            await turn.reply(f"{esc(problem)}\nNothing was changed; try again or tap « Back.")
            return
        if skill is not None:
            text, keyboard = skill_goal_screen(skill)
        else:
            text, keyboard = await _screen(turn, ANSWER_SCREENS[field])
        await turn.reply("✅ Saved.\n\n" + text, keyboard)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """« Back: return to the screen the prompt came from."""
        rm.REMINDER_INPUT_BUTTONS.parse(callback)  # « Back is its only button
        await turn.finish()
        await turn.show(*await self._back_screen(turn, conv))

    async def _back_screen(
        self, turn: Turn, conv: Conversation
    ) -> tuple[str, InlineKeyboardMarkup]:
        field = conv.state
        if field == "sg":
            skill = await turn.uow.skills.get(turn.user_id, int(conv.data.get("skill_id", 0)))
            if skill is not None:
                return skill_goal_screen(skill)
            return await goal_screen(turn)
        return await _screen(turn, ANSWER_SCREENS.get(field, field))
