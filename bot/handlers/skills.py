"""/skills, /addskill: list, add, rename, archive and delete skills."""

from __future__ import annotations

from typing import Final

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable
from bot.domain.errors import DomainError
from bot.services.practice import UnknownSkill
from bot.services.skills import (
    add_skill,
    delete_footprint,
    delete_skill,
    owned_skill,
    rename_owned_skill,
    set_archived,
)
from bot.ui import callbacks as sk
from bot.ui import skills as screens
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.keyboards import cancel_button, markup
from bot.ui.skills import delete_question, skill_screen, skills_screen
from bot.ui.texts import NOT_FOUND, esc
from storage.models import Conversation

PREFIX = screens.PREFIX
ADD_PROMPT = "What's the new skill called?"


async def _show_list(turn: Turn, page: int) -> None:
    text, keyboard = skills_screen(await turn.uow.skills.summaries(turn.user_id), page)
    await turn.show(text, keyboard)


async def _show_skill(turn: Turn, skill_id: int, page: int) -> None:
    summaries = await turn.uow.skills.summaries(turn.user_id)
    summary = next((s for s in summaries if s.id == skill_id), None)
    if summary is None:
        raise UnknownSkill
    await turn.show(*skill_screen(summary, page))


@handler
async def skills_command(turn: Turn) -> None:
    """/skills: the list with totals."""
    await _show_list(turn, 0)


@handler
async def addskill_command(turn: Turn) -> None:
    """/addskill <name>, or ask for the name."""
    name = " ".join(turn.context.args or [])
    if not name.strip():
        await _ask_name(turn, "add", ADD_PROMPT)
        return
    skill = await add_skill(turn.uow, turn.user_id, name)
    await turn.reply(f"Added <b>{esc(skill.name)}</b>. Log a session with /log.")


async def _ask_name(turn: Turn, state: str, prompt: str, **data: int) -> None:
    keyboard = markup([[cancel_button()]])
    message_id = await turn.show(prompt + " Send it as a message (1–64 characters).", keyboard)
    await turn.begin(SkillNameFlow.name, state, data, message_id=message_id)


# --- the /skills buttons ---


async def _list(turn: Turn, pressed: sk.SkillsList) -> None:
    """◀ ▶ and « Back to skills: a page of the list."""
    await _show_list(turn, pressed.page)


async def _close(turn: Turn, pressed: sk.SkillsClose) -> None:
    """✖ Close."""
    await turn.show("Closed. /skills opens the list again.")


async def _add(turn: Turn, pressed: sk.SkillsAdd) -> None:
    """➕ Add skill: ask for the name."""
    await _ask_name(turn, "add", ADD_PROMPT)


async def _open(turn: Turn, pressed: sk.SkillsOpen) -> None:
    """A skill in the list (or Keep): its totals and actions."""
    await _show_skill(turn, pressed.skill_id, pressed.page)


async def _rename(turn: Turn, pressed: sk.SkillsRename) -> None:
    """✏️ Rename: ask for the new name."""
    skill = await owned_skill(turn.uow, turn.user_id, pressed.skill_id)
    await _ask_name(turn, "rename", f"New name for <b>{esc(skill.name)}</b>?", skill_id=skill.id)


async def _archive(turn: Turn, pressed: sk.SkillsArchive | sk.SkillsUnarchive) -> None:
    """🗄 Archive / 📤 Unarchive."""
    archive = isinstance(pressed, sk.SkillsArchive)
    await set_archived(turn.uow, turn.user_id, pressed.skill_id, archive, turn.now)
    await turn.answer("Archived" if archive else "Unarchived")
    await _show_skill(turn, pressed.skill_id, pressed.page)


async def _ask_delete(turn: Turn, pressed: sk.SkillsDelete) -> None:
    """🗑 Delete: say what goes with the skill, and ask."""
    skill = await owned_skill(turn.uow, turn.user_id, pressed.skill_id)
    footprint = await delete_footprint(turn.uow, turn.user_id, skill.id)
    await turn.show(
        *delete_question(skill.name, footprint.sessions, footprint.evidence, skill.id, pressed.page)
    )


async def _delete(turn: Turn, pressed: sk.SkillsDeleteYes) -> None:
    """🗑 Delete, confirmed: the skill, its sessions and its evidence go."""
    name = await delete_skill(turn.uow, turn.user_id, pressed.skill_id)
    await turn.answer("Deleted")
    text, keyboard = skills_screen(await turn.uow.skills.summaries(turn.user_id), pressed.page)
    await turn.show(f"Deleted <b>{esc(name)}</b>.\n\n{text}", keyboard)


BUTTON_STEPS: Final = StepTable[Turn](
    _list, _close, _add, _open, _rename, _archive, _ask_delete, _delete
)


@handler
async def skills_button(turn: Turn) -> None:
    """Every button of the /skills screens; ids are re-checked against the presser."""
    pressed = sk.SKILLS_BUTTONS.parse(turn.callback())
    try:
        await BUTTON_STEPS.run(turn, pressed)
    except UnknownSkill:
        await turn.uow.rollback()
        await turn.answer(NOT_FOUND)
        await _show_list(turn, 0)


class SkillNameFlow:
    """Waiting for a typed skill name (add or rename)."""

    name = "skill_name"
    prefix = "skn"
    title = "the skill change"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """The typed name: the conversation ends in the same commit as the change."""
        if not turn.text:
            await turn.reply("I need the skill's name as text (1–64 characters), or tap Cancel.")
            return
        await turn.finish(commit=False)  # committed with the change, or rolled back with it
        try:
            if conv.state == "rename":
                skill_id = int(conv.data["skill_id"])
                old, new = await rename_owned_skill(turn.uow, turn.user_id, skill_id, turn.text)
                done = f"Renamed <b>{esc(old)}</b> to <b>{esc(new)}</b>."
            else:
                skill = await add_skill(turn.uow, turn.user_id, turn.text)
                done = f"Added <b>{esc(skill.name)}</b>. Log a session with /log."
        except UnknownSkill:
            await turn.finish()  # the skill is gone, and so is the question about it
            await turn.reply(NOT_FOUND)
            return
        except DomainError as exc:
            await turn.uow.rollback()  # the conversation stays open for another try
            await turn.reply(f"{esc(exc)}\nSend another name, or tap Cancel.")
            return
        await turn.reply(done)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """This flow has only Cancel, handled globally."""
        raise BadCallback("skill name flow has no buttons")
