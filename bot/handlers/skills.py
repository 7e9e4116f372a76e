"""/skills, /addskill: list, add, rename, archive and delete skills."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core.runtime import Turn, handler
from bot.domain.errors import DomainError
from bot.domain.skills import SkillSummary
from bot.services.skills import create_skill, rename_skill
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.keyboards import Button, button, cancel_button, markup, page_nav_row
from bot.ui.texts import BUTTON_BACK, NOT_FOUND, esc, minutes, plural
from storage.models import Conversation, Skill

PREFIX = "sk"
PAGE_SIZE = 8


def _summary_line(s: SkillSummary) -> str:
    archived = " <i>(archived)</i>" if s.archived else ""
    return (
        f"• <b>{esc(s.name)}</b>{archived} — {minutes(s.total_minutes)} · "
        f"{plural(s.sessions, 'session')}"
    )


def skills_screen(summaries: list[SkillSummary], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The /skills list, one page of skill buttons, and the add/close row."""
    if not summaries:
        text = (
            "You have no skills yet. A skill is anything you practise: "
            "<i>React</i>, <i>Guitar</i>, <i>Spanish</i>…\nTap ➕ Add skill, or send "
            "<code>/addskill Guitar</code>."
        )
        return text, markup([[button("➕ Add skill", PREFIX, "add"), cancel_button()]])
    pages = max(1, -(-len(summaries) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = summaries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    total = sum(s.total_minutes for s in summaries)
    header = f"<b>Your skills</b> — {minutes(total)} in all"
    if pages > 1:
        header += f" (page {page + 1}/{pages})"
    text = "\n".join(
        [
            header,
            "",
            *(_summary_line(s) for s in shown),
            "",
            "Tap a skill to rename, archive or delete it.",
        ]
    )
    rows: list[list[Button]] = [[button(s.name, PREFIX, "o", s.id, page)] for s in shown]
    if nav := page_nav_row(PREFIX, "l", page, pages):
        rows.append(nav)
    rows.append([button("➕ Add skill", PREFIX, "add"), button("✖ Close", PREFIX, "x")])
    return text, markup(rows)


def skill_screen(summary: SkillSummary, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One skill's totals and its actions."""
    last = f", last on {summary.last_practiced:%d %b %Y}" if summary.last_practiced else ""
    state = "\nArchived: hidden from /log and /quick." if summary.archived else ""
    text = (
        f"<b>{esc(summary.name)}</b>\n{minutes(summary.total_minutes)} over "
        f"{plural(summary.sessions, 'session')}{last}.{state}"
    )
    archive = (
        button("📤 Unarchive", PREFIX, "ua", summary.id, page)
        if summary.archived
        else button("🗄 Archive", PREFIX, "a", summary.id, page)
    )
    return text, markup(
        [
            [button("✏️ Rename", PREFIX, "r", summary.id, page), archive],
            [button("🗑 Delete", PREFIX, "d", summary.id, page)],
            [button(BUTTON_BACK + " to skills", PREFIX, "l", page)],
        ]
    )


async def _summary(turn: Turn, skill_id: int) -> SkillSummary | None:
    summaries = await turn.uow.skills.summaries(turn.user_id)
    return next((s for s in summaries if s.id == skill_id), None)


async def _owned(turn: Turn, skill_id: int) -> Skill | None:
    skill = await turn.uow.skills.get(turn.user_id, skill_id)
    if skill is None:
        await turn.answer(NOT_FOUND)
        await _show_list(turn, 0)
    return skill


async def _show_list(turn: Turn, page: int) -> None:
    text, keyboard = skills_screen(await turn.uow.skills.summaries(turn.user_id), page)
    await turn.show(text, keyboard)


@handler
async def skills_command(turn: Turn) -> None:
    """/skills: the list with totals."""
    await _show_list(turn, 0)


@handler
async def addskill_command(turn: Turn) -> None:
    """/addskill <name>, or ask for the name."""
    name = " ".join(turn.context.args or [])
    if not name.strip():
        await _ask_name(turn, "add", "What's the new skill called?")
        return
    skill = await create_skill(turn.uow, turn.user_id, name)
    await turn.uow.commit()
    await turn.reply(f"Added <b>{esc(skill.name)}</b>. Log a session with /log.")


async def _ask_name(turn: Turn, state: str, prompt: str, **data: int) -> None:
    keyboard = markup([[cancel_button()]])
    message_id = await turn.show(prompt + " Send it as a message (1–64 characters).", keyboard)
    await turn.begin(SkillNameFlow.name, state, data, message_id=message_id)
    await turn.uow.commit()


@handler
async def skills_button(turn: Turn) -> None:
    """Every button of the /skills screens; ids are re-checked against the presser."""
    cb = turn.callback()
    action = cb.action()
    if action == "l":
        await _show_list(turn, cb.integer(1))
    elif action == "x":
        await turn.show("Closed. /skills opens the list again.")
    elif action == "add":
        await _ask_name(turn, "add", "What's the new skill called?")
    elif action in ("o", "r", "a", "ua", "d", "dy"):
        await _skill_action(turn, cb)
    else:
        raise BadCallback(f"skills action {action!r}")


async def _skill_action(turn: Turn, cb: Callback) -> None:
    action, skill_id, page = cb.action(), cb.integer(1), cb.integer(2)
    skill = await _owned(turn, skill_id)
    if skill is None:
        return
    if action == "r":
        await _ask_name(
            turn, "rename", f"New name for <b>{esc(skill.name)}</b>?", skill_id=skill.id
        )
        return
    if action in ("a", "ua"):
        await turn.uow.skills.set_archived(skill, turn.now if action == "a" else None)
        await turn.uow.commit()
        await turn.answer("Archived" if action == "a" else "Unarchived")
    elif action == "d":
        footprint = await turn.uow.skills.footprint(turn.user_id, skill.id)
        text = (
            f"Delete <b>{esc(skill.name)}</b> with its "
            f"{plural(footprint.sessions, 'session')} and "
            f"{plural(footprint.evidence, 'piece')} of evidence? This can't be undone."
        )
        await turn.show(
            text,
            markup(
                [
                    [
                        button("🗑 Delete", PREFIX, "dy", skill.id, page),
                        button("Keep", PREFIX, "o", skill.id, page),
                    ]
                ]
            ),
        )
        return
    elif action == "dy":
        name = skill.name
        await turn.uow.skills.delete(turn.user_id, skill.id)
        await turn.uow.commit()
        await turn.answer("Deleted")
        text, keyboard = skills_screen(await turn.uow.skills.summaries(turn.user_id), page)
        await turn.show(f"Deleted <b>{esc(name)}</b>.\n\n{text}", keyboard)
        return
    summary = await _summary(turn, skill.id)
    if summary is not None:
        await turn.show(*skill_screen(summary, page))


class SkillNameFlow:
    """Waiting for a typed skill name (add or rename)."""

    name = "skill_name"
    prefix = "skn"
    title = "the skill change"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """The typed name."""
        if not turn.text:
            await turn.reply("I need the skill's name as text (1–64 characters), or tap Cancel.")
            return
        try:
            if conv.state == "rename":
                skill = await turn.uow.skills.get(turn.user_id, int(conv.data["skill_id"]))
                if skill is None:
                    await turn.finish()
                    await turn.uow.commit()
                    await turn.reply(NOT_FOUND)
                    return
                old = await rename_skill(turn.uow, turn.user_id, skill, turn.text)
                done = f"Renamed <b>{esc(old)}</b> to <b>{esc(skill.name)}</b>."
            else:
                skill = await create_skill(turn.uow, turn.user_id, turn.text)
                done = f"Added <b>{esc(skill.name)}</b>. Log a session with /log."
        except DomainError as exc:
            await turn.uow.rollback()
            await turn.reply(f"{esc(exc)}\nSend another name, or tap Cancel.")
            return
        await turn.finish()
        await turn.uow.commit()
        await turn.reply(done)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """This flow has only Cancel, handled globally."""
        raise BadCallback("skill name flow has no buttons")
