"""/reminders: inactivity nudge, streak reminder, weekly summary, weekly goals, vacation pause.

The screens are stateless buttons (prefix "rm"): every tap saves at once and redraws the screen
it was pressed on. Typing a time, a goal or a date opens a small conversation (prefix "rmi").
The buttons under a reminder ("⚙️ Reminder settings", "🔕 No more streak reminders") use "rm" too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.core.runtime import Turn, handler
from bot.domain.dates import format_date
from bot.domain.errors import DomainError
from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    MAX_PAUSE_DAYS,
    MAX_UNANSWERED,
    MAX_WEEKLY_GOAL,
    MINUTES_PER_DAY,
    WEEKDAY_NAMES,
    check_pause_until,
    format_minute,
    is_paused,
    parse_goal_minutes,
    parse_pause_until,
    parse_time_of_day,
)
from bot.jobs.reminder_messages import prefs_of
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.keyboards import Button, back_cancel_row, button, grid, markup
from bot.ui.reminders import SETTINGS_PREFIX, STREAK_OFF_DONE, onoff, settings_text
from bot.ui.texts import BUTTON_BACK, NOT_FOUND, esc, minutes, plural
from storage.models import Conversation, Skill, User

log = logging.getLogger(__name__)

PREFIX = SETTINGS_PREFIX
INPUT_PREFIX = "rmi"
BUTTON_CLOSE = "✖ Close"
INACTIVITY_TIMES = (9 * 60, 12 * 60, 18 * 60, 20 * 60)
STREAK_TIMES = (18 * 60, 19 * 60, 20 * 60, 21 * 60, 22 * 60)
WEEKLY_TIMES = (9 * 60, 12 * 60, 18 * 60, 20 * 60)
GOAL_CHOICES = (60, 150, 300, 420, 600)
SKILL_GOAL_CHOICES = (30, 60, 120, 180, 300)
PAUSE_CHOICES = (3, 7, 14, 30)
MAX_GOAL_SKILLS = 24
CLOSED = "⏰ Reminder settings saved. /reminders changes them any time."

# What a typed answer sets, and the screen to go back to.
TIME_FIELDS = {
    "im": ("inactivity_minute", "i"),
    "sm": ("streak_minute", "s"),
    "wm": ("weekly_minute", "w"),
}
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
    return [button(BUTTON_BACK, PREFIX, back), button(BUTTON_CLOSE, PREFIX, "x")]


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def _toggle(enabled: bool, field: str) -> Button:
    return (
        button("🔕 Turn off", PREFIX, "set", field, 0)
        if enabled
        else button("🔔 Turn on", PREFIX, "set", field, 1)
    )


def _times(field: str, choices: Sequence[int], current: int) -> list[list[Button]]:
    buttons = [
        button(_mark(format_minute(m), m == current), PREFIX, "set", field, m) for m in choices
    ]
    return [*grid(buttons, 3), [button("🕒 Other time…", PREFIX, "ask", field)]]


async def main_screen(turn: Turn) -> tuple[str, InlineKeyboardMarkup]:
    """The overview with one button per setting."""
    user = await turn.load_user()
    skill_goals = await turn.uow.reminders.skill_goals(turn.user_id)
    text = settings_text(
        prefs_of(user), user.weekly_goal_minutes, len(skill_goals), turn.timezone, turn.today
    )
    paused = is_paused(user.paused_until, turn.today)
    rows = [
        _row(button("👋 Inactivity nudge", PREFIX, "i"), button("🔥 Streak reminder", PREFIX, "s")),
        _row(button("📊 Weekly summary", PREFIX, "w"), button("🎯 Weekly goal", PREFIX, "g")),
        _row(
            button("▶️ Resume reminders", PREFIX, "set", "pr", 0)
            if paused
            else button("⏸ Pause (vacation)", PREFIX, "p")
        ),
        _row(button(BUTTON_CLOSE, PREFIX, "x")),
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
        button(_mark(plural(d, "day"), d == user.inactivity_days), PREFIX, "set", "id", d)
        for d in INACTIVITY_DAY_CHOICES
    ]
    rows = [
        [_toggle(user.inactivity_enabled, "ie")],
        *grid(days, 3),
        *_times("im", INACTIVITY_TIMES, user.inactivity_minute),
        _nav(),
    ]
    return text, markup(rows)


def streak_screen(user: User) -> tuple[str, InlineKeyboardMarkup]:
    """On/off and the evening time."""
    text = (
        f"🔥 <b>Streak reminder</b>: {onoff(user.streak_enabled)}\n\n"
        "When you have a streak of 2 days or more and haven't practised yet today, I remind "
        f"you at <b>{format_minute(user.streak_minute)}</b> that it ends at midnight — with "
        "one-tap logging to keep it alive."
    )
    rows = [
        [_toggle(user.streak_enabled, "se")],
        *_times("sm", STREAK_TIMES, user.streak_minute),
        _nav(),
    ]
    return text, markup(rows)


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
        button(_mark(name[:3], i == user.weekly_weekday), PREFIX, "set", "ww", i)
        for i, name in enumerate(WEEKDAY_NAMES)
    ]
    rows = [
        [_toggle(user.weekly_enabled, "we")],
        days[:4],
        days[4:],
        *_times("wm", WEEKLY_TIMES, user.weekly_minute),
        _nav(),
    ]
    return text, markup(rows)


async def goal_screen(turn: Turn) -> tuple[str, InlineKeyboardMarkup]:
    """The overall weekly goal, and a button per skill for its own goal."""
    goal = (await turn.load_user()).weekly_goal_minutes
    skills = await turn.uow.reminders.goal_skills(turn.user_id)
    lines = [
        "🎯 <b>Weekly goal</b>",
        "",
        f"In all: <b>{minutes(goal) if goal else 'none'}</b> a week.",
        "The weekly summary shows a progress bar for each goal.",
    ]
    presets = [button("Off", PREFIX, "set", "g", 0)] + [
        button(_mark(minutes(m), m == goal), PREFIX, "set", "g", m) for m in GOAL_CHOICES
    ]
    rows = [*grid(presets, 3), [button("✏️ Other amount…", PREFIX, "ask", "g")]]
    if skills:
        lines.append("\nPer skill (tap one to set its goal):")
        skill_buttons = [
            button(f"{s.name[:20]}: {_goal_label(s.weekly_goal_minutes)}", PREFIX, "gk", s.id)
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
    presets = [button("Off", PREFIX, "set", "sg", skill.id, 0)] + [
        button(_mark(minutes(m), m == goal), PREFIX, "set", "sg", skill.id, m)
        for m in SKILL_GOAL_CHOICES
    ]
    rows = [
        *grid(presets, 3),
        [button("✏️ Other amount…", PREFIX, "ask", "sg", skill.id)],
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
        button(f"{plural(d, 'day')}" if d < 7 else plural(d // 7, "week"), PREFIX, "set", "p", d)
        for d in PAUSE_CHOICES[:3]
    ] + [button("1 month", PREFIX, "set", "p", PAUSE_CHOICES[3])]
    rows = [*grid(presets, 2), [button("📅 Until a date…", PREFIX, "ask", "p")]]
    if paused:
        rows.append([button("▶️ Resume now", PREFIX, "set", "pr", 0)])
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
    screen = await main_screen(turn)
    await turn.uow.commit()  # a first-time user is registered with the defaults shown
    await turn.reply(*screen)


@handler
async def reminders_button(turn: Turn) -> None:
    """Every button of the settings screens and of the reminders themselves."""
    cb = turn.callback()
    action = cb.action()
    if action in ("m", "i", "s", "w", "g", "p"):
        await turn.show(*await _screen(turn, action))
    elif action == "x":
        await turn.show(CLOSED)
    elif action == "open":
        # Pressed under a reminder: keep it (and its Quick Log buttons) and open a new screen.
        await turn.reply(*await main_screen(turn))
    elif action == "off":
        await _streak_off(turn, cb)
    elif action == "gk":
        skill = await turn.uow.skills.get(turn.user_id, cb.integer(1))
        if skill is None:
            await turn.answer(NOT_FOUND)
            await turn.show(*await goal_screen(turn))
            return
        await turn.show(*skill_goal_screen(skill))
    elif action == "set":
        await _set(turn, cb)
    elif action == "ask":
        await _ask(turn, cb)
    else:
        raise BadCallback(f"reminders action {action!r}")


async def _streak_off(turn: Turn, cb: Callback) -> None:
    if cb.text(1) != "s":
        raise BadCallback("unknown reminder to turn off")
    (await turn.load_user()).streak_enabled = False
    await turn.uow.commit()
    await turn.answer("Streak reminders off")
    await _drop_settings_rows(turn)
    await turn.reply(STREAK_OFF_DONE, markup([[button("🔔 Turn back on", PREFIX, "set", "se", 1)]]))


async def _drop_settings_rows(turn: Turn) -> None:
    """Remove the reminder's own "rm" buttons, keeping its Quick Log rows."""
    query = turn.query
    if query is None or not isinstance(query.message, Message):
        return
    current = query.message.reply_markup
    rows = [
        [b for b in row if not str(b.callback_data or "").startswith(f"{PREFIX}:off")]
        for row in (current.inline_keyboard if current else ())
    ]
    kept: list[list[InlineKeyboardButton]] = [row for row in rows if row]
    try:
        await query.message.edit_reply_markup(InlineKeyboardMarkup(kept) if kept else None)
    except BadRequest:
        # The reminder was deleted, or is too old to edit: the setting is saved all the same.
        log.debug("could not trim the reminder's keyboard")


async def _set(turn: Turn, cb: Callback) -> None:
    """Save one setting from a button, then redraw its screen."""
    user, field = await turn.load_user(), cb.text(1)
    screen = "m"
    if field in ("ie", "se", "we"):
        value = bool(cb.integer(2, high=1))
        screen = field[0] if field != "ie" else "i"
        setattr(
            user,
            {"ie": "inactivity_enabled", "se": "streak_enabled", "we": "weekly_enabled"}[field],
            value,
        )
    elif field == "id":
        days = cb.integer(2, low=1, high=7)
        if days not in INACTIVITY_DAY_CHOICES:
            raise BadCallback("inactivity days not offered")
        user.inactivity_days, screen = days, "i"
    elif field in TIME_FIELDS:
        column, screen = TIME_FIELDS[field]
        setattr(user, column, cb.integer(2, high=MINUTES_PER_DAY - 1))
    elif field == "ww":
        user.weekly_weekday, screen = cb.integer(2, high=6), "w"
    elif field == "g":
        user.weekly_goal_minutes, screen = cb.integer(2, high=MAX_WEEKLY_GOAL) or None, "g"
    elif field == "sg":
        skill = await turn.uow.skills.get(turn.user_id, cb.integer(2))
        if skill is None:
            await turn.answer(NOT_FOUND)
            await turn.show(*await goal_screen(turn))
            return
        skill.weekly_goal_minutes = cb.integer(3, high=MAX_WEEKLY_GOAL) or None
        await turn.uow.commit()
        await turn.answer("Saved")
        await turn.show(*skill_goal_screen(skill))
        return
    elif field == "p":
        days = cb.integer(2, low=1, high=MAX_PAUSE_DAYS)
        user.paused_until, screen = turn.today + timedelta(days=days - 1), "p"
    elif field == "pr":
        user.paused_until, screen = None, "m"
    else:
        raise BadCallback(f"unknown reminder setting {field!r}")
    await turn.uow.commit()
    await turn.answer("Saved")
    await turn.show(*await _screen(turn, screen))


async def _ask(turn: Turn, cb: Callback) -> None:
    """Turn the screen into a prompt and wait for a typed time, goal or date."""
    field = cb.text(1)
    data: dict[str, int | str] = {"field": field}
    prompt = PROMPTS.get(field)
    if prompt is None:
        raise BadCallback(f"nothing to ask for {field!r}")
    if field == "sg":
        skill = await turn.uow.skills.get(turn.user_id, cb.integer(2))
        if skill is None:
            await turn.answer(NOT_FOUND)
            await turn.show(*await goal_screen(turn))
            return
        data["skill_id"] = skill.id
        prompt = prompt.format(name=esc(skill.name))
    message_id = await turn.show(prompt, markup([back_cancel_row(INPUT_PREFIX)]))
    await turn.begin(ReminderInputFlow.name, field, data, message_id=message_id)
    await turn.uow.commit()


class ReminderInputFlow:
    """A typed time, weekly goal or pause date for /reminders."""

    name = "reminders"
    prefix = INPUT_PREFIX
    title = "the reminder settings"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """Parse and save the typed value, or say what is wrong and ask again."""
        field = conv.state
        if not turn.text:
            await turn.reply("Please send it as text, or tap « Back.")
            return
        try:
            screen = await self._save(turn, conv, field, turn.text)
        except DomainError as exc:
            await turn.reply(f"{esc(exc)}\nNothing was changed; try again or tap « Back.")
            return
        await turn.finish()
        await turn.uow.commit()
        text, keyboard = screen
        await turn.reply("✅ Saved.\n\n" + text, keyboard)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """« Back: return to the screen the prompt came from."""
        if callback.action() != "back":
            raise BadCallback(f"reminder input action {callback.action()!r}")
        await turn.finish()
        await turn.uow.commit()
        await turn.show(*await self._back_screen(turn, conv))

    async def _save(
        self, turn: Turn, conv: Conversation, field: str, text: str
    ) -> tuple[str, InlineKeyboardMarkup]:
        user = await turn.load_user()
        if field in TIME_FIELDS:
            column, screen = TIME_FIELDS[field]
            setattr(user, column, parse_time_of_day(text))
            return await _screen(turn, screen)
        if field == "g":
            user.weekly_goal_minutes = parse_goal_minutes(text) or None
            return await goal_screen(turn)
        if field == "sg":
            skill = await turn.uow.skills.get(turn.user_id, int(conv.data.get("skill_id", 0)))
            if skill is None:
                raise DomainError(NOT_FOUND)
            skill.weekly_goal_minutes = parse_goal_minutes(text) or None
            return skill_goal_screen(skill)
        if field == "p":
            user.paused_until = check_pause_until(parse_pause_until(text, turn.today), turn.today)
            return pause_screen(turn, user)
        raise BadCallback(f"unknown reminder input {field!r}")

    async def _back_screen(
        self, turn: Turn, conv: Conversation
    ) -> tuple[str, InlineKeyboardMarkup]:
        field = conv.state
        if field == "sg":
            skill = await turn.uow.skills.get(turn.user_id, int(conv.data.get("skill_id", 0)))
            if skill is not None:
                return skill_goal_screen(skill)
            return await goal_screen(turn)
        screen = TIME_FIELDS[field][1] if field in TIME_FIELDS else field
        return await _screen(turn, screen)
