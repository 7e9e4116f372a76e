"""/goals screens and the goal lines other screens show (card, /stats, /streak, summary)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.domain.goal_lines import goal_line, status_text, target_text
from bot.domain.goals import GoalKind, GoalSet, GoalStatus
from bot.domain.weeks import WEEKDAY_NAMES, default_week_start, week_label
from bot.ui import callbacks as gl
from bot.ui.keyboards import Button, grid, markup, press
from bot.ui.texts import esc, minutes

# Preset targets offered as buttons, per kind; anything else can be typed with /goals.
PRESETS: Final = {
    GoalKind.SESSIONS_WEEK: (2, 3, 4, 5, 7),
    GoalKind.DAYS_WEEK: (2, 3, 4, 5, 7),
    GoalKind.MINUTES_WEEK: (60, 120, 180, 300, 600),
    GoalKind.DAILY_MINUTES: (10, 15, 20, 30, 60),
}
KIND_TITLES: Final = {
    GoalKind.SESSIONS_WEEK: "Sessions a week",
    GoalKind.DAYS_WEEK: "Days a week",
    GoalKind.MINUTES_WEEK: "Time a week",
    GoalKind.DAILY_MINUTES: "Daily minimum",
}
WEEK_START_CHOICES: Final = (0, 6, 5)
SKILLS_ON_OVERVIEW: Final = 12


def week_start_phrase(week_start: int, chosen: bool) -> str:
    """'weeks start on Monday' (with 'as usual in your time zone' when not chosen)."""
    phrase = f"weeks start on {WEEKDAY_NAMES[week_start]}"
    return phrase if chosen else phrase + " (as usual in your time zone)"


def overview_text(
    first: date,
    last: date,
    week_start: int,
    chosen: bool,
    lines: Sequence[tuple[str | None, Sequence[GoalStatus]]],
) -> str:
    """The /goals overview: this week, then each goal's progress."""
    out = [
        "🎯 <b>Your goals</b>",
        f"This week: {week_label(first, last)} — {week_start_phrase(week_start, chosen)}.",
        "",
    ]
    if lines:
        out += [goal_line(name, statuses) for name, statuses in lines]
    else:
        out.append("No goals yet. Pick a skill below, or type one in a message:")
        out.append("<code>/goals react 4x week</code> · <code>/goals 20 min a day</code>")
    out += ["", "Tap a skill to set its goals; “All skills” counts everything together."]
    return "\n".join(out)


def overview_keyboard(skills: Sequence[tuple[int, str]], week_start: int) -> InlineKeyboardMarkup:
    """A button per skill, All skills, the week start, and Close."""
    buttons: list[Button] = [
        press(name[:24], gl.GoalsOf(skill_id)) for skill_id, name in skills[:SKILLS_ON_OVERVIEW]
    ]
    rows = grid(buttons, 2)
    rows.append([press("🌐 All skills", gl.GoalsOf(gl.OVERALL))])
    rows.append(
        [
            press(f"📅 Week starts: {WEEKDAY_NAMES[week_start]}", gl.GoalsWeek()),
            press("✖ Close", gl.GoalsClose()),
        ]
    )
    return markup(rows)


def skill_goals_text(name: str | None, goals: GoalSet, statuses: Sequence[GoalStatus]) -> str:
    """One skill's (or the overall) goals, their progress, and how to change them."""
    title = "All skills together" if name is None else esc(name)
    out = [f"🎯 <b>{title}</b>"]
    if statuses:
        out += [f"• {target_text(s.goal)} — {status_text(s)}" for s in statuses]
    else:
        out.append("No goal yet.")
    out += [
        "",
        "Tap a target to set it, tap it again to remove it. Goals can be combined.",
        "Or type one: <code>/goals "
        + (esc(name.split()[0].casefold()) + " " if name else "")
        + "4x week</code>",
    ]
    return "\n".join(out)


def _preset_label(kind: GoalKind, target: int) -> str:
    if kind is GoalKind.SESSIONS_WEEK:
        return f"{target}×"
    if kind is GoalKind.DAYS_WEEK:
        return f"{target}d"
    return minutes(target).replace(" ", "")


def skill_goals_keyboard(skill_id: int, goals: GoalSet) -> InlineKeyboardMarkup:
    """Per kind a title row and its presets (the current target marked), Remove all, Back."""
    rows: list[list[Button]] = []
    for kind, presets in PRESETS.items():
        current = getattr(goals, kind.value)
        rows.append([press(f"— {KIND_TITLES[kind]} —", gl.GoalsOf(skill_id))])
        rows.append(
            [
                press(
                    ("• " if target == current else "") + _preset_label(kind, target),
                    gl.GoalsSet(
                        skill_id, gl.CODE_OF_KIND[kind], 0 if target == current else target
                    ),
                )
                for target in presets
            ]
        )
    bottom = [press("« Back", gl.GoalsHome())]
    if goals.goals:
        bottom.insert(0, press("🗑 Remove all", gl.GoalsClear(skill_id)))
    rows.append(bottom)
    return markup(rows)


def week_start_text(week_start: int, chosen: bool, timezone: str) -> str:
    """The week start picker's text."""
    regional = WEEKDAY_NAMES[default_week_start(timezone)]
    return (
        "📅 <b>First day of your week</b>\n"
        f"Now: {week_start_phrase(week_start, chosen)}.\n"
        f"In your time zone ({esc(timezone)}) weeks usually start on {regional}.\n\n"
        "/stats, goals, streaks, charts and the weekly summary all use it."
    )


def week_start_keyboard(week_start: int, chosen: bool) -> InlineKeyboardMarkup:
    """Monday / Sunday / Saturday, As my time zone, Back."""
    choices = [
        press(
            ("• " if chosen and day == week_start else "") + WEEKDAY_NAMES[day],
            gl.GoalsWeekSet(day),
        )
        for day in WEEK_START_CHOICES
    ]
    return markup(
        [
            choices,
            [
                press(
                    ("• " if not chosen else "") + "As my time zone", gl.GoalsWeekSet(gl.BY_REGION)
                )
            ],
            [press("« Back", gl.GoalsHome())],
        ]
    )
