"""Evidence: links, notes, pictures, recordings and documents sent at any time, /note,
/evidence, and their buttons.

Flow: a message with links or a picture (outside any conversation) or `/note text` joins the
user's waiting batch (bot/services/evidence_batch.py), kept in its own row until the user taps
where it goes, so other commands meanwhile leave it be; a session saved meanwhile offers one
tap to attach it there. "Add evidence" on a session (or a skill) opens the "evidence"
conversation at step "collect" with the target already known, so what the user sends next is
saved there directly. Every id from a button is re-checked against the presser before anything
is read or written.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.incoming_evidence import MAX_BATCH, Collected, Mode, collect
from bot.core.runtime import NO_PREVIEW, Turn, handler
from bot.core.steps import At, StepTable, button_handler
from bot.domain.errors import DomainError
from bot.domain.evidence import EvidenceEntry, EvidenceKind, validate_note
from bot.domain.history import SessionRow
from bot.domain.skills import normalize_skill_name, skill_name_key
from bot.services.evidence import (
    Pending,
    Target,
    attach,
    delete_evidence,
    session_target,
    skill_target,
)
from bot.services.evidence_batch import (
    Prompt,
    add_to_batch,
    album_target,
    drop_batch,
    peek_batch,
    pending_items,
    route_album,
    set_prompt,
    take_batch,
)
from bot.services.evidence_pages import evidence_page
from bot.services.timer import running_timer
from bot.ui import callbacks as ev
from bot.ui import evidence as view
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.evidence import PREFIX
from bot.ui.keyboards import Button, cancel_button, markup, press
from bot.ui.texts import NOT_FOUND, esc, plural, unshown
from storage.models import Conversation

log = logging.getLogger(__name__)

FLOW_NAME = "evidence"
BATCH_GONE = "That evidence was already attached or cancelled. Nothing was changed."
RECENT_SESSIONS = 5
TARGET_SKILLS = 6
# Button actions answered without a conversation; the flow's own steps go to route_callback.
BUTTON_PATTERN = (
    rf"^{PREFIX}:(?:"
    + "|".join(sorted(ev.EVIDENCE_BUTTONS.actions() - ev.EVIDENCE_STEP_ACTIONS))
    + r")(?::|$)"
)


def _argument(text: str) -> str:
    """What follows the command word, line breaks kept."""
    parts = text.split(None, 1)
    return parts[1] if len(parts) == 2 else ""


def _refusal(problems: list[str]) -> str:
    """Why nothing in a message could be kept (escaped)."""
    reasons = problems or ["I couldn't find a link, a note or a picture in that."]
    return "".join(f"{esc(p)}\n" for p in reasons) + "Nothing was saved."


async def _resolve(turn: Turn, target: Mapping[str, Any] | None) -> Target | None:
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


async def _offer(turn: Turn, found: Collected, media_group_id: str | None = None) -> None:
    """Add what a message held to the waiting batch and ask (once per album) where it goes."""
    change = await add_to_batch(
        turn.uow,
        turn.user_id,
        found.items,
        media_group_id=media_group_id,
        now=turn.now,
        limit=MAX_BATCH,
    )
    problems = list(found.problems)
    if change.left_out:
        problems.append(
            f"I take up to {MAX_BATCH} pieces of evidence at a time, so I left out "
            f"{change.left_out}. Send them again after this."
        )
    if change.prompt is Prompt.WAIT:
        return  # the album's first picture is sending the prompt; it will count this one
    screen = await _target_screen(turn, change.items, problems)
    if screen is None:
        await drop_batch(turn.uow, turn.user_id)
        await turn.reply(
            "".join(f"{esc(p)}\n" for p in problems)
            + "To keep evidence I attach it to a session or a skill, and you have no active "
            "skills yet. Add one with <code>/addskill React</code>, then send it again. "
            "Nothing was saved."
        )
        return
    editing = change.prompt is Prompt.EDIT and change.message_id is not None
    if editing and await _edit(turn, change.message_id or 0, screen):
        await _keep_current(turn, change.message_id or 0, len(change.items), problems)
        return
    await turn.remove_keyboard(change.message_id)
    message = await turn.reply(*screen)
    now_waiting = await set_prompt(
        turn.uow,
        turn.user_id,
        message.message_id,
        media_group_id,
        turn.now,
        replacing=change.message_id if editing else None,
    )
    if now_waiting is not None and len(now_waiting) != len(change.items):
        # More of the album arrived while the prompt was on its way: cover it too.
        later = await _target_screen(turn, now_waiting, problems)
        if later is not None and await _edit(turn, message.message_id, later):
            await _keep_current(turn, message.message_id, len(now_waiting), problems)


async def _keep_current(turn: Turn, message_id: int, shown: int, problems: list[str]) -> None:
    """Show the batch again until the prompt matches it.

    Several updates of one album edit the same prompt at once, and their edits can reach
    Telegram in any order: whoever edited re-reads the batch afterwards, so the edit that lands
    last is always followed by a check that sees the final count.
    """
    for _ in range(MAX_BATCH):
        waiting = await peek_batch(turn.uow, turn.user_id, turn.now, prompt_id=message_id)
        if waiting is None or len(waiting.items) == shown:
            return
        screen = await _target_screen(turn, waiting.items, problems)
        if screen is None or not await _edit(turn, message_id, screen):
            return
        shown = len(waiting.items)


async def _edit(turn: Turn, message_id: int, screen: tuple[str, InlineKeyboardMarkup]) -> bool:
    """Update an earlier prompt in place; False if Telegram no longer has it."""
    await turn.release()
    try:
        await turn.context.bot.edit_message_text(
            screen[0],
            chat_id=turn.chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=screen[1],
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        return "not modified" in exc.message.lower()
    return True


async def _save(
    turn: Turn,
    target: Target,
    items: list[Pending],
    *,
    in_conversation: bool = True,
    album: str | None = None,
) -> None:
    """Attach the pieces in one commit (closing the 'collect' step with it), then confirm.

    With `album`, the album's files still to come follow these to the same place."""
    if in_conversation:
        await turn.finish(commit=False)
    result = await attach(turn.uow, turn.user_id, target, items, turn.now)
    if album is not None:
        ref = {"s": target.session.id} if target.session else {"k": target.skill_id}
        await route_album(turn.uow, turn.user_id, album, ref, turn.now)
    if result.saved:
        saved = f"📎 Saved {view.count_phrase(result.saved)} to <b>{esc(_where(turn, target))}</b>"
        turn.if_unshown(unshown(saved, "the confirmation", "/evidence has it"))
    if target.session is not None:
        view_button = press("📂 See evidence", ev.EvidenceOfSession(target.session.id))
        more = press("➕ Add more", ev.EvidenceAddToSession(target.session.id))
    else:
        view_button = press("📂 See evidence", ev.EvidenceOfSkill(target.skill_id, 0))
        more = press("➕ Add more", ev.EvidenceAddToSkill(target.skill_id))
    text, keyboard = view.saved_screen(
        _where(turn, target),
        result.saved,
        result.already_there,
        view=view_button,
        add_more=more,
        album=album is not None,
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
    if await _follow_album(turn, found, message.media_group_id):
        return
    if await _kept_for_timer(turn, found):
        return
    await _offer(turn, found, message.media_group_id)


async def _follow_album(turn: Turn, found: Collected, media_group_id: str | None) -> bool:
    """The rest of an album whose first file went straight somewhere goes there too, quietly
    (the first file's answer already said the album is saved there)."""
    if media_group_id is None:
        return False
    route = await album_target(turn.uow, turn.user_id, media_group_id, turn.now)
    target = await _resolve(turn, route)
    if target is None:
        return False
    await attach(turn.uow, turn.user_id, target, found.items, turn.now)
    return True


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
        if await pending_items(turn.uow, turn.user_id, turn.now):
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
    if ours is not None:
        await turn.remove_keyboard(ours.message_id)
        await turn.finish()
    await _offer(turn, Collected(items=[note]))


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
    """🖼 Show a screenshot (or any file) again."""
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


@dataclass(frozen=True, slots=True)
class _Deleting:
    """The item a delete button is for, where it is, and the session view it was pressed on."""

    entry: EvidenceEntry
    where: str
    session: SessionRow | None


async def _deleting(
    turn: Turn, pressed: ev.EvidenceDelete | ev.EvidenceDeleteYes
) -> _Deleting | None:
    """What a delete button is for, or None (answered) if the item is gone or not theirs."""
    entry = await _entry(turn, pressed.evidence_id)
    if entry is None:
        return None
    where = view.where_label(entry.session, entry.skill_name, turn.today)
    return _Deleting(entry, where, entry.session if pressed.origin == ev.FROM_SESSION else None)


async def _ask_delete(turn: Turn, pressed: ev.EvidenceDelete) -> None:
    """🗑 Ask to confirm; Keep goes back where the delete was asked from."""
    deleting = await _deleting(turn, pressed)
    if deleting is None:
        return
    entry, session = deleting.entry, deleting.session
    keep: Button = (
        press("Keep", ev.EvidenceOfSession(session.id, pressed.page))
        if session is not None
        else press("Keep", ev.EvidenceOfSkill(entry.skill_id, pressed.page))
    )
    confirm = press("🗑 Delete", ev.EvidenceDeleteYes(entry.id, pressed.origin, pressed.page))
    screen = view.delete_confirm_screen(entry, deleting.where, confirm=confirm, keep=keep)
    await turn.show(*screen)


async def _delete_yes(turn: Turn, pressed: ev.EvidenceDeleteYes) -> None:
    """Delete the item, then show the session view or skill list it was deleted from."""
    deleting = await _deleting(turn, pressed)
    if deleting is None:
        return
    await delete_evidence(turn.uow, turn.user_id, deleting.entry.id)
    await turn.answer("Deleted")
    banner = f"🗑 Deleted the {esc(deleting.entry.kind)} from <b>{esc(deleting.where)}</b>.\n\n"
    if deleting.session is not None:
        await _show_session(turn, deleting.session.id, pressed.page, banner)
    else:
        await _show_list(turn, deleting.entry.skill_id, pressed.page, banner)


# --- the waiting batch's buttons (its prompt, and the one tap on a saved session's card) ---


def _pressed_id(turn: Turn) -> int | None:
    query = turn.query
    return query.message.message_id if query is not None and query.message else None


async def _choose_target(turn: Turn, pressed: ev.EvidenceTarget) -> None:
    """Attach the waiting batch to the session or skill, re-checked as the presser's."""
    waiting = await peek_batch(turn.uow, turn.user_id, turn.now, prompt_id=_pressed_id(turn))
    if waiting is None:
        raise BadCallback("no batch waits for this prompt")
    target = await _resolve(turn, {pressed.kind: pressed.target_id})
    if target is None:
        # Missing, or someone else's (forged data): nothing is saved; pick again.
        await turn.answer(NOT_FOUND, alert=True)
        screen = await _target_screen(turn, waiting.items, [])
        if screen is not None:
            await turn.show(*screen)
        return
    taken = await take_batch(turn.uow, turn.user_id, turn.now, prompt_id=_pressed_id(turn))
    if taken is None:
        await turn.answer(BATCH_GONE)
        await turn.drop_keyboard()
        return
    await _save(turn, target, taken.items, in_conversation=False, album=taken.media_group_id)


async def _drop(turn: Turn, pressed: ev.EvidenceDropBatch) -> None:
    """✖ Cancel on the prompt: forget the waiting batch."""
    if not await drop_batch(turn.uow, turn.user_id, prompt_id=_pressed_id(turn)):
        await turn.answer("Closed")
        await turn.show("Closed. Nothing was changed.")
        return
    await turn.answer("Cancelled")
    await turn.show("Cancelled adding evidence. Nothing was saved.")


async def _attach_pending(turn: Turn, pressed: ev.EvidenceAttachPending) -> None:
    """📎 on a saved session's card: the waiting batch goes to that session."""
    target = await session_target(turn.uow, turn.user_id, pressed.log_id)
    if target is None:
        await turn.answer(NOT_FOUND, alert=True)
        return
    taken = await take_batch(turn.uow, turn.user_id, turn.now)
    if taken is None:
        await turn.answer(BATCH_GONE, alert=True)
        return
    result = await attach(turn.uow, turn.user_id, target, taken.items, turn.now)
    await turn.answer("Attached")
    await turn.remove_keyboard(taken.message_id)
    text, keyboard = view.saved_screen(
        _where(turn, target),
        result.saved,
        result.already_there,
        view=press("📂 See evidence", ev.EvidenceOfSession(pressed.log_id)),
        add_more=press("➕ Add more", ev.EvidenceAddToSession(pressed.log_id)),
    )
    await turn.reply(text, keyboard)


# Evidence screen buttons -> steps; stateless, so any may be pressed at any time, and every
# id is re-checked. The conversation's own buttons are in FLOW_STEPS below.
SCREEN_STEPS: Final = StepTable[Turn](
    _add_to_session,
    _add_to_skill,
    _session_evidence,
    _skill_evidence,
    _skills,
    _close,
    _resend_step,
    _show_note,
    _ask_delete,
    _delete_yes,
    _choose_target,
    _drop,
    _attach_pending,
)
evidence_button: Final = button_handler(ev.EVIDENCE_BUTTONS, SCREEN_STEPS)


async def _resend(turn: Turn, entry: EvidenceEntry, where: str) -> None:
    """Show a file again from Telegram's copy (by file_id; nothing is downloaded)."""
    file_id = entry.file_id
    if entry.kind in (EvidenceKind.LINK, EvidenceKind.NOTE) or not file_id:
        raise BadCallback("not a file")
    name = entry.file_name or "screenshot"
    caption = f"{view.file_icon(entry.kind)} {esc(name)} — {esc(where)}"
    bot = turn.context.bot
    chat = turn.chat_id
    html = ParseMode.HTML
    await turn.release()
    try:
        if entry.kind == EvidenceKind.VOICE:
            await bot.send_voice(chat, file_id, caption=caption, parse_mode=html)
        elif entry.kind == EvidenceKind.AUDIO:
            await bot.send_audio(chat, file_id, caption=caption, parse_mode=html)
        elif entry.kind == EvidenceKind.VIDEO:
            await bot.send_video(chat, file_id, caption=caption, parse_mode=html)
        elif entry.kind == EvidenceKind.VIDEO_NOTE:
            # A video note takes no caption.
            await bot.send_video_note(chat, file_id)
        elif entry.kind == EvidenceKind.SCREENSHOT and view.is_sent_as_photo(entry):
            await bot.send_photo(chat, file_id, caption=caption, parse_mode=html)
        else:
            await bot.send_document(chat, file_id, caption=caption, parse_mode=html)
    except BadRequest:
        log.info("Telegram refused to re-send a stored file", exc_info=True)
        await turn.answer(
            "Telegram no longer has that file, so I can't show it again. "
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
        mode = Mode(conv.data.get("mode", Mode.ANY.value))
        found = collect(message, mode)
        if not found.items:
            await turn.reply(_refusal(found.problems))
            return
        stored_target = conv.data.get("target")
        if not stored_target:
            await turn.remove_keyboard(conv.message_id)
            await turn.finish()
            await _offer(turn, found, message.media_group_id)
            return
        target = await _resolve(turn, stored_target)
        if target is None:
            await turn.finish()
            await turn.reply(NOT_FOUND)
            return
        await turn.remove_keyboard(conv.message_id)
        await _save(turn, target, found.items, album=message.media_group_id)
        if found.problems:
            await turn.reply("\n".join(f"⚠️ {esc(p)}" for p in found.problems))

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Kind buttons of the 'Add evidence' step."""
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


# (state, button) -> step of the evidence conversation; anything else is a stale button.
FLOW_STEPS: Final = StepTable[At](states={"collect": (_choose_kind,)})
