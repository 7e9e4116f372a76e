"""Evidence: links, notes and screenshots sent at any time, /note, /evidence, and their buttons.

Flow: a message with links or a picture (outside any conversation) or `/note text` opens the
"evidence" conversation at step "pick", keeping the validated pieces in the conversation row
until the user taps where they go. "Add evidence" on a session (or a skill) opens it at step
"collect" with the target already known, so what the user sends next is saved there directly.
Every id from a button is re-checked against the presser before anything is read or written.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.runtime import Turn, handler
from bot.core.steps import At, StepTable, on
from bot.domain.errors import DomainError
from bot.domain.evidence import EvidenceEntry, EvidenceKind, validate_note
from bot.domain.skills import normalize_skill_name, skill_name_key
from bot.handlers.evidence.incoming import MAX_BATCH, Collected, Mode, collect
from bot.services.evidence import (
    Pending,
    Target,
    attach,
    delete_evidence,
    session_target,
    skill_target,
)
from bot.services.evidence_pages import evidence_page
from bot.services.timer import running_timer
from bot.ui import callbacks as ev
from bot.ui import evidence as view
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.evidence import PREFIX
from bot.ui.keyboards import Button, cancel_button, markup, press
from bot.ui.texts import NOT_FOUND, esc, plural
from storage.models import Conversation

log = logging.getLogger(__name__)

FLOW_NAME = "evidence"
RECENT_SESSIONS = 5
TARGET_SKILLS = 6
# Button actions answered without a conversation; the flow's own steps go to route_callback.
BUTTON_PATTERN = (
    rf"^{PREFIX}:(?:"
    + "|".join(sorted(ev.EVIDENCE_BUTTONS.actions() - ev.EVIDENCE_STEP_ACTIONS))
    + r")(?::|$)"
)
PICK_REMINDER = (
    "Tap where to attach the evidence in my message above, or ✖ Cancel. "
    "(Plain text isn't added to the batch; send <code>/note your text</code> for a note.)"
)


def _argument(text: str) -> str:
    """What follows the command word, line breaks kept."""
    parts = text.split(None, 1)
    return parts[1] if len(parts) == 2 else ""


def _refusal(problems: list[str]) -> str:
    """Why nothing in a message could be kept (escaped)."""
    reasons = problems or ["I couldn't find a link, a note or a picture in that."]
    return "".join(f"{esc(p)}\n" for p in reasons) + "Nothing was saved."


def _pending(conv: Conversation | None) -> list[Pending]:
    if conv is None:
        return []
    return [Pending.from_json(item) for item in conv.data.get("pending", [])]


def _merge(pending: list[Pending], found: Collected) -> list[Pending]:
    """Add new pieces to a batch without duplicates, up to MAX_BATCH."""
    merged = list(pending)
    left_out = 0
    for item in found.items:
        if any(item.key == existing.key for existing in merged):
            continue
        if len(merged) >= MAX_BATCH:
            left_out += 1
            continue
        merged.append(item)
    if left_out:
        found.problems.append(
            f"I take up to {MAX_BATCH} pieces of evidence at a time, so I left out {left_out}. "
            "Send them again after this."
        )
    return merged


async def _resolve(turn: Turn, target: dict[str, Any] | None) -> Target | None:
    """A stored or pressed target, re-checked against the user."""
    if not target:
        return None
    if "s" in target:
        return await session_target(turn.uow, turn.user_id, int(target["s"]))
    return await skill_target(turn.uow, turn.user_id, int(target["k"]))


def _where(turn: Turn, target: Target) -> str:
    return view.where_label(target.session, target.skill_name, turn.today)


# --- asking where to attach, and saving ---


async def _target_screen(
    turn: Turn, items: list[Pending], problems: list[str]
) -> tuple[str, InlineKeyboardMarkup] | None:
    sessions = await turn.uow.evidence.recent_sessions(turn.user_id, RECENT_SESSIONS)
    skills = await turn.uow.evidence.active_skills(turn.user_id)
    if not sessions and not skills:
        return None
    # Skills just practised first, then the newest others.
    rank = {skill_id: i for i, skill_id in enumerate(dict.fromkeys(s.skill_id for s in sessions))}
    skills.sort(key=lambda skill: rank.get(skill[0], len(rank)))
    return view.target_screen(
        [item.kind for item in items], problems, sessions, skills[:TARGET_SKILLS], turn.today
    )


async def _ask_target(turn: Turn, items: list[Pending], problems: list[str]) -> None:
    """Send the 'where should I attach it?' step and remember the batch."""
    screen = await _target_screen(turn, items, problems)
    conv = turn.conversation if turn.conversation and turn.conversation.name == FLOW_NAME else None
    if screen is None:
        if conv is not None:
            await turn.finish()
        await turn.reply(
            "".join(f"{esc(p)}\n" for p in problems)
            + "To keep evidence I attach it to a session or a skill, and you have no active "
            "skills yet. Add one with <code>/addskill React</code>, then send it again. "
            "Nothing was saved."
        )
        return
    if conv is not None:
        await turn.remove_keyboard(conv.message_id)
    message = await turn.reply(*screen)
    data = {"pending": [item.to_json() for item in items]}
    if conv is not None:
        await turn.advance("pick", message_id=message.message_id, **data)
    else:
        await turn.begin(FLOW_NAME, "pick", data, message_id=message.message_id)


async def _save(turn: Turn, target: Target, items: list[Pending]) -> None:
    """Close the conversation and attach the batch in one commit, then confirm."""
    await turn.finish(commit=False)
    result = await attach(turn.uow, turn.user_id, target, items, turn.now)
    if target.session is not None:
        view_button = press("📂 See evidence", ev.EvidenceOfSession(target.session.id))
        more = press("➕ Add more", ev.EvidenceAddToSession(target.session.id))
    else:
        view_button = press("📂 See evidence", ev.EvidenceOfSkill(target.skill_id, 0))
        more = press("➕ Add more", ev.EvidenceAddToSkill(target.skill_id))
    text, keyboard = view.saved_screen(
        _where(turn, target), result.saved, result.already_there, view=view_button, add_more=more
    )
    await turn.answer("Saved" if result.saved else "Already there")
    await turn.show(text, keyboard)


# --- entry points ---


@handler
async def evidence_message(turn: Turn) -> None:
    """A link, forwarded post, photo or image file sent outside any conversation."""
    message = turn.message
    if message is None:
        return
    found = collect(message, Mode.BATCH)
    if not found.items:
        await turn.reply(_refusal(found.problems))
        return
    if await _kept_for_timer(turn, found):
        return
    await _ask_target(turn, _merge([], found), found.problems)


async def _kept_for_timer(turn: Turn, found: Collected) -> bool:
    """While a timer runs, evidence goes to its skill; Stop then moves it onto the session."""
    timer = await running_timer(turn.uow, turn.user_id)
    target = await skill_target(turn.uow, turn.user_id, timer.skill_id) if timer else None
    if target is None:
        return False
    result = await attach(turn.uow, turn.user_id, target, found.items, turn.now)
    kept = len(result.saved)
    await turn.reply(
        "".join(f"{esc(p)}\n" for p in found.problems)
        + f"📎 Kept {plural(kept, 'piece')} of evidence for your <b>{esc(target.skill_name)}</b> "
        "timer; it joins the session when you stop."
        + (" (Some were already there.)" if result.already_there else "")
    )
    return True


@handler
async def note_command(turn: Turn) -> None:
    """/note <text>: save a note; it joins an open evidence step, else asks where it goes."""
    text = _argument(turn.text)
    conv = await turn.load_conversation()
    ours = conv if conv is not None and conv.name == FLOW_NAME else None
    if not text.strip():
        if ours is not None and ours.state == "pick":
            # Starting over would drop the waiting batch; a note can join it in one message.
            await turn.reply(
                "Send the note with the command, e.g. <code>/note what you learned</code>, "
                "and it joins the evidence waiting above."
            )
            return
        if ours is not None and ours.state == "collect" and ours.data.get("target"):
            target = await _resolve(turn, ours.data["target"])
            if target is not None:
                await _show_add_prompt(turn, target, Mode.NOTE, new=True)
                return
        message = await turn.reply(
            "📝 Type the note (up to 2,000 characters): what you learned, a takeaway, "
            "a reflection.",
            markup([[cancel_button()]]),
        )
        await turn.remove_keyboard(ours.message_id if ours else None)
        await turn.begin(
            FLOW_NAME, "collect", {"mode": Mode.NOTE.value}, message_id=message.message_id
        )
        return
    note = Pending(EvidenceKind.NOTE, note=validate_note(text))
    if ours is not None and ours.state == "collect" and ours.data.get("target"):
        target = await _resolve(turn, ours.data["target"])
        if target is None:
            await turn.finish()
            await turn.reply(NOT_FOUND)
            return
        await turn.remove_keyboard(ours.message_id)
        await _save(turn, target, [note])
        return
    found = Collected(items=[note])
    pending = _pending(ours) if ours is not None and ours.state == "pick" else []
    await _ask_target(turn, _merge(pending, found), found.problems)


@handler
async def evidence_command(turn: Turn) -> None:
    """/evidence [skill]: a skill's evidence, or a picker of skills that have some."""
    name = _argument(turn.text).strip()
    intro = ""
    if name:
        try:
            key = skill_name_key(normalize_skill_name(name))
        except DomainError:
            key = ""
        skill = await turn.uow.skills.by_name_key(turn.user_id, key) if key else None
        if skill is not None:
            await _show_list(turn, skill.id, 0)
            return
        intro = f"You have no skill called “{esc(view.shorten(name, 64))}”.\n\n"
    skills = await turn.uow.evidence.skills_with_evidence(turn.user_id)
    await turn.reply(*view.skill_picker_screen(skills, 0, intro=intro))


# --- screens ---


async def _show_list(turn: Turn, skill_id: int, page: int, banner: str = "") -> None:
    await _show_evidence(turn, banner, skill_id=skill_id, page=page)


async def _show_session(turn: Turn, log_id: int, page: int, banner: str = "") -> None:
    await _show_evidence(turn, banner, log_id=log_id, page=page)


async def _show_evidence(
    turn: Turn, banner: str, *, log_id: int | None = None, skill_id: int | None = None, page: int
) -> None:
    """A page of a session's (log_id) or a skill's evidence list, or Not found."""
    shown = await evidence_page(
        turn.uow, turn.user_id, log_id=log_id, skill_id=skill_id, page=page, size=view.PAGE_SIZE
    )
    if shown is None:
        await turn.answer(NOT_FOUND)
        return
    target, session = shown.target, shown.target.session
    if session is not None:
        text, keyboard = view.session_evidence_screen(
            session, shown.entries, page=shown.page, total=shown.total, today=turn.today
        )
    else:
        text, keyboard = view.skill_evidence_screen(
            target.skill_id,
            target.skill_name,
            shown.entries,
            page=shown.page,
            total=shown.total,
            today=turn.today,
        )
    await turn.show(banner + text, keyboard)


async def _show_add_prompt(turn: Turn, target: Target, mode: Mode, *, new: bool) -> None:
    """Open (or re-show) the 'Add evidence' step for a known target."""
    text, keyboard = view.add_prompt(_where(turn, target), mode.value)
    data = {
        "target": {"s": target.session.id} if target.session else {"k": target.skill_id},
        "mode": mode.value,
    }
    if new:
        conv = await turn.load_conversation()
        message = await turn.reply(text, keyboard)
        if conv is not None and conv.name == FLOW_NAME:
            await turn.remove_keyboard(conv.message_id)
        await turn.begin(FLOW_NAME, "collect", data, message_id=message.message_id)
    else:
        message_id = await turn.show(text, keyboard)
        await turn.advance("collect", message_id=message_id, **data)


@handler
async def evidence_button(turn: Turn) -> None:
    """Buttons of the evidence screens (not conversation steps); every id is re-checked."""
    await SCREEN_STEPS.run(turn, ev.EVIDENCE_BUTTONS.parse(turn.callback()))


async def _add_to_session(turn: Turn, pressed: ev.EvidenceAddToSession) -> None:
    """➕ Add evidence to a session: open the 'Add evidence' step for it."""
    await _add_to(turn, {"s": pressed.log_id})


async def _add_to_skill(turn: Turn, pressed: ev.EvidenceAddToSkill) -> None:
    """➕ Add evidence to a skill: open the 'Add evidence' step for it."""
    await _add_to(turn, {"k": pressed.skill_id})


async def _add_to(turn: Turn, target_ref: dict[str, Any]) -> None:
    target = await _resolve(turn, target_ref)
    if target is None:
        await turn.answer(NOT_FOUND, alert=True)
        return
    await _show_add_prompt(turn, target, Mode.ANY, new=True)


async def _session_evidence(turn: Turn, pressed: ev.EvidenceOfSession) -> None:
    """A session's evidence, a page of it."""
    await _show_session(turn, pressed.log_id, pressed.page or 0)


async def _skill_evidence(turn: Turn, pressed: ev.EvidenceOfSkill) -> None:
    """A skill's evidence, a page of it."""
    await _show_list(turn, pressed.skill_id, pressed.page)


async def _skills(turn: Turn, pressed: ev.EvidenceSkills) -> None:
    """The picker of skills that have evidence."""
    skills = await turn.uow.evidence.skills_with_evidence(turn.user_id)
    await turn.show(*view.skill_picker_screen(skills, pressed.page))


async def _close(turn: Turn, pressed: ev.EvidenceClose) -> None:
    """Close the evidence screen."""
    await turn.show("Closed. /evidence opens it again.")


async def _entry(turn: Turn, evidence_id: int) -> EvidenceEntry | None:
    """The presser's evidence item, or None (answered) if it is gone or not theirs."""
    entry = await turn.uow.evidence.get(turn.user_id, evidence_id)
    if entry is None:
        await turn.answer(NOT_FOUND, alert=True)
    return entry


async def _resend_step(turn: Turn, pressed: ev.EvidenceResend) -> None:
    """🖼 Show a screenshot again."""
    entry = await _entry(turn, pressed.evidence_id)
    if entry is not None:
        await _resend(turn, entry, view.where_label(entry.session, entry.skill_name, turn.today))


async def _show_note(turn: Turn, pressed: ev.EvidenceShowNote) -> None:
    """📖 A note in full, as a new message."""
    entry = await _entry(turn, pressed.evidence_id)
    if entry is None:
        return
    if entry.kind != EvidenceKind.NOTE:
        raise BadCallback("not a note")
    where = view.where_label(entry.session, entry.skill_name, turn.today)
    await turn.reply(f"📝 <b>Note</b> — {esc(where)}\n\n{esc(entry.note or '')}")


async def _ask_delete(turn: Turn, pressed: ev.EvidenceDelete) -> None:
    """🗑 Ask to confirm; Keep goes back where the delete was asked from."""
    entry = await _entry(turn, pressed.evidence_id)
    if entry is None:
        return
    where = view.where_label(entry.session, entry.skill_name, turn.today)
    session = entry.session if pressed.origin == ev.FROM_SESSION else None
    keep: Button = (
        press("Keep", ev.EvidenceOfSession(session.id, pressed.page))
        if session is not None
        else press("Keep", ev.EvidenceOfSkill(entry.skill_id, pressed.page))
    )
    confirm = press("🗑 Delete", ev.EvidenceDeleteYes(entry.id, pressed.origin, pressed.page))
    await turn.show(*view.delete_confirm_screen(entry, where, confirm=confirm, keep=keep))


async def _delete_yes(turn: Turn, pressed: ev.EvidenceDeleteYes) -> None:
    """Delete the item, then show the session view or skill list it was deleted from."""
    entry = await _entry(turn, pressed.evidence_id)
    if entry is None:
        return
    where = view.where_label(entry.session, entry.skill_name, turn.today)
    session = entry.session if pressed.origin == ev.FROM_SESSION else None
    await delete_evidence(turn.uow, turn.user_id, entry.id)
    await turn.answer("Deleted")
    banner = f"🗑 Deleted the {esc(entry.kind)} from <b>{esc(where)}</b>.\n\n"
    if session is not None:
        await _show_session(turn, session.id, pressed.page, banner)
    else:
        await _show_list(turn, entry.skill_id, pressed.page, banner)


# Evidence screen buttons -> steps; stateless, so any may be pressed at any time. The
# conversation's own buttons are in FLOW_STEPS below.
SCREEN_STEPS: Final = StepTable[Turn](
    on(ev.EvidenceAddToSession, _add_to_session),
    on(ev.EvidenceAddToSkill, _add_to_skill),
    on(ev.EvidenceOfSession, _session_evidence),
    on(ev.EvidenceOfSkill, _skill_evidence),
    on(ev.EvidenceSkills, _skills),
    on(ev.EvidenceClose, _close),
    on(ev.EvidenceResend, _resend_step),
    on(ev.EvidenceShowNote, _show_note),
    on(ev.EvidenceDelete, _ask_delete),
    on(ev.EvidenceDeleteYes, _delete_yes),
)


async def _resend(turn: Turn, entry: EvidenceEntry, where: str) -> None:
    """Show a screenshot again from Telegram's copy (by file_id; nothing is downloaded)."""
    file_id = entry.file_id
    if entry.kind != EvidenceKind.SCREENSHOT or not file_id:
        raise BadCallback("not a screenshot")
    caption = f"🖼 {esc(entry.file_name or 'screenshot')} — {esc(where)}"
    bot = turn.context.bot
    await turn.release()
    try:
        if view.is_sent_as_photo(entry):
            await bot.send_photo(turn.chat_id, file_id, caption=caption, parse_mode=ParseMode.HTML)
        else:
            await bot.send_document(
                turn.chat_id, file_id, caption=caption, parse_mode=ParseMode.HTML
            )
    except BadRequest:
        log.info("Telegram refused to re-send a stored screenshot", exc_info=True)
        await turn.answer(
            "Telegram no longer has that picture, so I can't show it again. "
            "The details stay in the list.",
            alert=True,
        )
        return
    await turn.answer()


# --- the conversation ---


class EvidenceFlow:
    """Collecting evidence for a known target, or waiting for the user to pick one."""

    name = FLOW_NAME
    prefix = PREFIX
    title = "adding evidence"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """New content: saved to the known target, or added to the batch awaiting a target."""
        message = turn.message
        if message is None:
            return
        if conv.state == "pick":
            await self._add_to_batch(turn, conv, message)
            return
        mode = Mode(conv.data.get("mode", Mode.ANY.value))
        found = collect(message, mode)
        if not found.items:
            await turn.reply(_refusal(found.problems))
            return
        stored_target = conv.data.get("target")
        if not stored_target:
            await _ask_target(turn, _merge([], found), found.problems)
            return
        target = await _resolve(turn, stored_target)
        if target is None:
            await turn.finish()
            await turn.reply(NOT_FOUND)
            return
        await turn.remove_keyboard(conv.message_id)
        await _save(turn, target, _merge([], found))
        if found.problems:
            await turn.reply("\n".join(f"⚠️ {esc(p)}" for p in found.problems))

    async def _add_to_batch(self, turn: Turn, conv: Conversation, message: Message) -> None:
        found = collect(message, Mode.BATCH)
        if not found.items:
            problems = "".join(f"{esc(p)}\n" for p in found.problems)
            await turn.reply(problems + PICK_REMINDER)
            return
        await _ask_target(turn, _merge(_pending(conv), found), found.problems)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Kind buttons of the 'Add evidence' step, and the target buttons of 'pick'."""
        await FLOW_STEPS.run(At(turn, conv), ev.EVIDENCE_BUTTONS.parse(callback), conv.state)


async def _choose_kind(at: At, pressed: ev.EvidenceMode) -> None:
    """At "collect": Link, Note or Screenshot narrows what the next message is read as."""
    turn = at.turn
    target = await _resolve(turn, at.conv.data.get("target"))
    if target is None:
        await turn.finish()
        await turn.answer(NOT_FOUND, alert=True)
        await turn.drop_keyboard()
        return
    await _show_add_prompt(turn, target, Mode(pressed.mode), new=False)


async def _choose_target(at: At, pressed: ev.EvidenceTarget) -> None:
    """At "pick": attach the waiting batch to the session or skill, re-checked as the user's."""
    turn = at.turn
    target = await _resolve(turn, {pressed.kind: pressed.target_id})
    if target is None:
        # Missing, or someone else's (forged data): nothing is saved; pick again.
        await turn.answer(NOT_FOUND, alert=True)
        screen = await _target_screen(turn, _pending(at.conv), [])
        if screen is not None:
            await turn.show(*screen)
        return
    await _save(turn, target, _pending(at.conv))


# (state, button) -> step of the evidence conversation; anything else is a stale button.
FLOW_STEPS: Final = StepTable[At](
    on(ev.EvidenceMode, _choose_kind, at="collect"),
    on(ev.EvidenceTarget, _choose_target, at="pick"),
)
