"""/progress [skill]: percentage, stage, trend, why, what's next, and a progress chart."""

from __future__ import annotations

from functools import partial
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.core.chart_photos import send_chart
from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
from bot.domain.goal_lines import goal_line
from bot.domain.skills import SkillRef, skill_name_key
from bot.services.goals import goals_overview
from bot.services.insights import skill_progress
from bot.services.timer import next_focus
from bot.ui import callbacks as pg
from bot.ui import charts
from bot.ui.keyboards import Button, grid, markup, page_buttons, press
from bot.ui.reports import NO_SKILLS, progress_caption, progress_text
from bot.ui.texts import BUTTON_BACK, NOT_FOUND, esc
from bot.ui.timer import next_focus_line

PREFIX = pg.PROGRESS
PAGE_SIZE = 10
MAX_SUGGESTIONS = 8
CLOSE = "✖ Close"


def _pickable(skills: list[SkillRef]) -> list[SkillRef]:
    """Active skills; archived ones only when nothing else is left."""
    active = [s for s in skills if not s.archived]
    return active or skills


def picker(skills: list[SkillRef], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Which skill? One page of skill buttons, page arrows and Close."""
    pages = max(1, -(-len(skills) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = skills[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    text = "📈 Which skill's progress?"
    if pages > 1:
        text += f" (page {page + 1}/{pages})"
    text += "\nOr send <code>/progress name</code>."
    rows: list[list[Button]] = grid(
        [press(s.name, pg.ProgressSkill(s.skill_id, page)) for s in shown], 2
    )
    if nav := page_buttons(page, pages, pg.ProgressPage):
        rows.append(nav)
    rows.append([press(CLOSE, pg.ProgressClose())])
    return text, markup(rows)


def _match(skills: list[SkillRef], typed: str) -> SkillRef | None:
    """The skill named `typed` (any case), or the only one whose name starts with it."""
    key = skill_name_key(" ".join(typed.split()))
    exact = [s for s in skills if skill_name_key(s.name) == key]
    if exact:
        return exact[0]
    starts = [s for s in skills if skill_name_key(s.name).startswith(key)]
    return starts[0] if len(starts) == 1 else None


def _unknown_skill(skills: list[SkillRef], typed: str) -> str:
    names = [s.name for s in _pickable(skills)]
    listed = ", ".join(esc(n) for n in names[:MAX_SUGGESTIONS])
    if len(names) > MAX_SUGGESTIONS:
        listed += f" and {len(names) - MAX_SUGGESTIONS} more"
    return (
        f"You have no skill called “{esc(typed[:64])}”. Your skills: {listed}.\n"
        "Send /progress to pick one, or <code>/progress name</code>."
    )


async def _show_skill(turn: Turn, skill: SkillRef, back_page: int | None) -> None:
    report = await skill_progress(turn.uow, turn.user_id, skill, turn.today)
    rows: list[list[Button]] = []
    if back_page is not None:
        rows.append([press(BUTTON_BACK + " to skills", pg.ProgressPage(back_page))])
    rows.append([press(CLOSE, pg.ProgressClose())])
    text = progress_text(report.skill.name, report.progress, report.activity, turn.today)
    goals = await goals_overview(turn.uow, turn.user_id, turn.today, turn.timezone, skill.skill_id)
    if goals.skills and goals.skills[0].statuses:
        text += "\n\n" + goal_line(skill.name, goals.skills[0].statuses)
    focus = await next_focus(turn.uow, turn.user_id, skill.skill_id)
    if focus:
        text += "\n\n" + next_focus_line(focus)
    await turn.show(text, markup(rows))
    if report.activity.sessions == 0:
        return
    await send_chart(
        turn,
        partial(charts.progress_chart, report.history, report.skill.name),
        progress_caption(report.skill.name, report.progress.percent),
        "progress.png",
    )


@handler
async def progress_command(turn: Turn) -> None:
    """/progress [skill]: one skill's progress, or a picker when there are several."""
    skills = await turn.uow.analytics.skills(turn.user_id)
    typed = " ".join(turn.context.args or []).strip()
    if not skills:
        await turn.reply(NO_SKILLS)
        return
    if typed:
        skill = _match(skills, typed)
        if skill is None:
            await turn.reply(_unknown_skill(skills, typed))
            return
        await _show_skill(turn, skill, None)
        return
    pickable = _pickable(skills)
    if len(pickable) == 1:
        await _show_skill(turn, pickable[0], None)
        return
    await turn.reply(*picker(pickable, 0))


async def _close(turn: Turn, pressed: pg.ProgressClose) -> None:
    """✖ Close."""
    await turn.show("Closed. /progress opens it again.")


async def _page(turn: Turn, pressed: pg.ProgressPage) -> None:
    """◀ ▶ and « Back to skills: a page of the picker."""
    skills = _pickable(await turn.uow.analytics.skills(turn.user_id))
    if not skills:
        await turn.show(NO_SKILLS)
        return
    await turn.show(*picker(skills, pressed.page))


async def _skill(turn: Turn, pressed: pg.ProgressSkill) -> None:
    """A skill in the picker: its progress, if it is still the presser's."""
    skills = await turn.uow.analytics.skills(turn.user_id)
    skill = next((s for s in skills if s.skill_id == pressed.skill_id), None)
    if skill is None:
        await turn.answer(NOT_FOUND)
        pickable = _pickable(skills)
        if pickable:
            await turn.show(*picker(pickable, pressed.page))
        else:
            await turn.show(NO_SKILLS)
        return
    await _show_skill(turn, skill, pressed.page)


# Picker presses: a skill (ownership re-checked), a page, or Close.
BUTTON_STEPS: Final = StepTable[Turn](_close, _page, _skill)
progress_button: Final = button_handler(pg.PROGRESS_BUTTONS, BUTTON_STEPS)
