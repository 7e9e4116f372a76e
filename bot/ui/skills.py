"""The /skills screens: the paged list with totals, one skill's actions, the delete question."""

from __future__ import annotations

from bot.domain.skills import SkillSummary
from bot.ui import callbacks as sk
from bot.ui.keyboards import Button, Screen, cancel_button, markup, page_buttons, press
from bot.ui.paging import list_page
from bot.ui.texts import BUTTON_BACK, esc, minutes, plural

PREFIX = sk.SKILLS
PAGE_SIZE = 8


def _summary_line(s: SkillSummary) -> str:
    archived = " <i>(archived)</i>" if s.archived else ""
    return (
        f"• <b>{esc(s.name)}</b>{archived} — {minutes(s.total_minutes)} · "
        f"{plural(s.sessions, 'session')}"
    )


def skills_screen(summaries: list[SkillSummary], page: int) -> Screen:
    """The /skills list, one page of skill buttons, and the add/close row."""
    if not summaries:
        text = (
            "You have no skills yet. A skill is anything you practise: "
            "<i>React</i>, <i>Guitar</i>, <i>Spanish</i>…\nTap ➕ Add skill, or send "
            "<code>/addskill Guitar</code>."
        )
        return text, markup([[press("➕ Add skill", sk.SkillsAdd()), cancel_button()]])
    shown = list_page(summaries, page, PAGE_SIZE)
    total = sum(s.total_minutes for s in summaries)
    header = f"<b>Your skills</b> — {minutes(total)} in all{shown.counter()}"
    text = "\n".join(
        [
            header,
            "",
            *(_summary_line(s) for s in shown.items),
            "",
            "Tap a skill to rename, archive or delete it.",
        ]
    )
    rows: list[list[Button]] = [
        [press(s.name, sk.SkillsOpen(s.id, shown.page))] for s in shown.items
    ]
    if nav := page_buttons(shown.page, shown.pages, sk.SkillsList):
        rows.append(nav)
    rows.append([press("➕ Add skill", sk.SkillsAdd()), press("✖ Close", sk.SkillsClose())])
    return text, markup(rows)


def skill_screen(summary: SkillSummary, page: int) -> Screen:
    """One skill's totals and its actions."""
    last = f", last on {summary.last_practiced:%d %b %Y}" if summary.last_practiced else ""
    state = "\nArchived: hidden from /log and /quick." if summary.archived else ""
    text = (
        f"<b>{esc(summary.name)}</b>\n{minutes(summary.total_minutes)} over "
        f"{plural(summary.sessions, 'session')}{last}.{state}"
    )
    archive = (
        press("📤 Unarchive", sk.SkillsUnarchive(summary.id, page))
        if summary.archived
        else press("🗄 Archive", sk.SkillsArchive(summary.id, page))
    )
    return text, markup(
        [
            [press("✏️ Rename", sk.SkillsRename(summary.id, page)), archive],
            [press("🗑 Delete", sk.SkillsDelete(summary.id, page))],
            [press(BUTTON_BACK + " to skills", sk.SkillsList(page))],
        ]
    )


def delete_question(name: str, sessions: int, evidence: int, skill_id: int, page: int) -> Screen:
    """Delete <skill> with its sessions and evidence? [🗑 Delete] [Keep]."""
    text = (
        f"Delete <b>{esc(name)}</b> with its {plural(sessions, 'session')} and "
        f"{plural(evidence, 'piece')} of evidence? This can't be undone."
    )
    keep = press("Keep", sk.SkillsOpen(skill_id, page))
    return text, markup([[press("🗑 Delete", sk.SkillsDeleteYes(skill_id, page)), keep]])
