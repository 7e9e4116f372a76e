"""/goals: goals per skill and overall (buttons, or one message: /goals react 4x week)."""

from __future__ import annotations

from typing import Final

from telegram import InlineKeyboardMarkup

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
from bot.domain.errors import NOT_FOUND
from bot.domain.goal_lines import target_text
from bot.domain.goals import GoalSet, parse_goal_request
from bot.services.goals import (
    GoalChange,
    apply_goal_request,
    goals_overview,
    set_goal,
    set_week_start,
    week_start_choice,
)
from bot.ui import callbacks as gl
from bot.ui.goals import (
    overview_keyboard,
    overview_text,
    skill_goals_keyboard,
    skill_goals_text,
    week_start_keyboard,
    week_start_text,
)
from bot.ui.texts import esc

PREFIX: Final = gl.GOALS


async def overview(turn: Turn) -> tuple[str, InlineKeyboardMarkup]:
    """The /goals overview: this week, each goal's progress, a button per skill."""
    found = await goals_overview(turn.uow, turn.user_id, turn.today, turn.timezone)
    lines = [(item.name, item.statuses) for item in found.with_goals]
    text = overview_text(found.first, found.last, found.week_start, found.chosen, lines)
    skills = [(s.skill_id or 0, s.name or "") for s in found.skills]
    return text, overview_keyboard(skills, found.week_start)


async def _skill_screen(turn: Turn, skill_id: int) -> tuple[str, InlineKeyboardMarkup] | None:
    only = None if skill_id == gl.OVERALL else skill_id
    found = await goals_overview(turn.uow, turn.user_id, turn.today, turn.timezone, only)
    if only is None:
        item = found.overall
    elif found.skills:
        item = found.skills[0]
    else:
        return None
    return skill_goals_text(item.name, item.goals, item.statuses), skill_goals_keyboard(
        skill_id, item.goals
    )


def _changed(change: GoalChange) -> str:
    whose = "all skills together" if change.name is None else f"<b>{esc(change.name)}</b>"
    if change.kind is None:
        return f"🗑 Removed every goal of {whose}."
    if change.target is None:
        return f"🗑 Removed that goal of {whose}."
    goal = GoalSet(**{change.kind.value: change.target}).goals[0]
    return f"🎯 Goal set: {whose}, {target_text(goal)}."


@handler
async def goals_command(turn: Turn) -> None:
    """/goals shows the goals; /goals <skill> <target> sets one in a single message."""
    typed = " ".join(turn.context.args or [])
    if typed:
        change = await apply_goal_request(turn.uow, turn.user_id, parse_goal_request(typed))
        text, keyboard = await overview(turn)
        await turn.reply(_changed(change) + "\n\n" + text, keyboard)
        return
    text, keyboard = await overview(turn)
    await turn.reply(text, keyboard)


async def _home(turn: Turn, pressed: gl.GoalsHome) -> None:
    """« Back: the overview."""
    await turn.show(*await overview(turn))


async def _of(turn: Turn, pressed: gl.GoalsOf) -> None:
    """A skill (or All skills): its goals and the preset targets."""
    screen = await _skill_screen(turn, pressed.skill_id)
    if screen is None:
        await _refuse(turn)
        return
    await turn.show(*screen)


async def _refuse(turn: Turn) -> None:
    """A button for a skill that is gone, archived or not the presser's."""
    await turn.answer(NOT_FOUND)
    await turn.show(*await overview(turn))


async def _set(turn: Turn, pressed: gl.GoalsSet) -> None:
    """A preset target: set that goal (or remove it when it was the current one)."""
    if await _skill_screen(turn, pressed.skill_id) is None:
        await _refuse(turn)
        return
    skill_id = None if pressed.skill_id == gl.OVERALL else pressed.skill_id
    target = pressed.target or None
    await set_goal(turn.uow, turn.user_id, skill_id, pressed.kind, target)
    await turn.answer("Goal removed." if target is None else "Goal saved.")
    screen = await _skill_screen(turn, pressed.skill_id)
    await turn.show(*(screen or await overview(turn)))


async def _clear(turn: Turn, pressed: gl.GoalsClear) -> None:
    """🗑 Remove all goals of the skill."""
    if await _skill_screen(turn, pressed.skill_id) is None:
        await _refuse(turn)
        return
    skill_id = None if pressed.skill_id == gl.OVERALL else pressed.skill_id
    await set_goal(turn.uow, turn.user_id, skill_id, None, None)
    await turn.answer("Goals removed.")
    await turn.show(*await overview(turn))


async def _week(turn: Turn, pressed: gl.GoalsWeek) -> None:
    """📅 Week starts: the picker."""
    week_start, chosen = await week_start_choice(turn.uow, turn.user_id, turn.timezone)
    await turn.show(
        week_start_text(week_start, chosen, turn.timezone),
        week_start_keyboard(week_start, chosen),
    )


async def _week_set(turn: Turn, pressed: gl.GoalsWeekSet) -> None:
    """Monday / Sunday / Saturday / As my time zone."""
    weekday = None if pressed.weekday == gl.BY_REGION else pressed.weekday
    await set_week_start(turn.uow, turn.user_id, weekday)
    await turn.answer("Week start saved.")
    await turn.show(*await overview(turn))


async def _close(turn: Turn, pressed: gl.GoalsClose) -> None:
    """✖ Close."""
    await turn.show("Closed. /goals opens it again.")


BUTTON_STEPS: Final = StepTable[Turn](_home, _of, _set, _clear, _week, _week_set, _close)
goals_button: Final = button_handler(gl.GOALS_BUTTONS, BUTTON_STEPS)
