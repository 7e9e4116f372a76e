"""/history: browse sessions a page at a time, filter them, open one, edit or delete it (Undo).

Screens replace each other in one message (a press edits it); only /history and a typed edit
send a new message. Every id from a button is re-checked against the presser: another user's
session id finds nothing, so nothing is shown or changed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final, cast

from telegram import InlineKeyboardMarkup

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable
from bot.domain.dates import DateOrder, format_date, parse_practice_date
from bot.domain.durations import parse_duration
from bot.domain.errors import DomainError
from bot.domain.history import Cursor, HistoryFilter, SessionRow
from bot.domain.history_filters import ALL, parse_history_query
from bot.domain.practice import validate_description, validate_rating
from bot.services.history import (
    UNDO_MINUTES,
    SkillGone,
    UndoExpired,
    UndoUnavailable,
    delete_session,
    undo_delete,
)
from bot.services.practice import DayIsFull, UnknownLog, update_practice_log
from bot.services.timezone import date_order
from bot.ui import callbacks as hs
from bot.ui import history as view
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.history import AT, FIELDS, NEWER, PAGE_SIZE, ListContext
from bot.ui.texts import NOT_FOUND, esc, minutes, unshown
from storage.models import Conversation
from storage.repositories.history import HistoryRepository
from storage.repositories.practice_logs import LogChanges

PREFIX: Final = view.PREFIX
FLOW_NAME: Final = "history_edit"
GONE: Final = "That session no longer exists — it was deleted. Nothing was changed."
NOT_EDITABLE: Final = (
    "Only the date, duration, description and ratings can be edited; the skill, the owner and "
    "the time a session was added stay as they are. Nothing was changed."
)
_FIELD_NAMES: Final = {
    "date": "date",
    "dur": "duration",
    "desc": "description",
    "diff": "difficulty",
    "conf": "confidence",
}
MAX_DURATION: Final = 24 * 60
_CLEAR_WORDS: Final = frozenset({"clear", "none", "no", "-", "—", "skip", "no rating"})
Page = tuple[list[SessionRow], bool, bool]  # rows newest first, has newer, has older


# ----- /history and the list -----


@handler
async def history_command(turn: Turn) -> None:
    """/history [skill] [range]: the newest page of sessions under that filter."""
    parts = turn.text.split(maxsplit=1)
    typed = parts[1] if len(parts) == 2 else ""
    skill_id = None
    spec = ALL
    if typed.strip():
        skills = await turn.uow.analytics.skills(turn.user_id)
        try:
            order, _chosen = await date_order(turn.uow, turn.user_id)
            names = [(s.skill_id, s.name) for s in skills]
            query = parse_history_query(typed, names, turn.today, order)
        except DomainError as exc:
            await turn.reply(esc(exc))
            return
        skill_id, spec = query.skill_id, query.range
    await turn.reply(*await _page_screen(turn, ListContext(skill_id, spec), AT))


async def _page_screen(
    turn: Turn, ctx: ListContext, mode: str, banner: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    skill_name = None
    if ctx.skill_id is not None:
        skill = await turn.uow.skills.get(turn.user_id, ctx.skill_id)
        if skill is None:  # deleted since (or a forged id): list every skill instead
            banner += "That skill no longer exists, so here are all your sessions.\n\n"
            ctx = ListContext(None, ctx.range)
        else:
            skill_name = skill.name
    where = ctx.history_filter(turn.today)
    repo = turn.uow.history
    rows, has_newer, has_older = await _load_page(repo, turn.user_id, where, ctx.anchor, mode)
    totals = await repo.totals(turn.user_id, where)
    return view.page_screen(
        rows,
        totals,
        ctx,
        skill_name=skill_name,
        has_newer=has_newer,
        has_older=has_older,
        today=turn.today,
        banner=banner,
    )


async def _load_page(
    repo: HistoryRepository, user_id: int, where: HistoryFilter, anchor: Cursor | None, mode: str
) -> Page:
    """A keyset page around the anchor: at/older (AT, OLDER) or just newer (NEWER) than it.

    Reaching the newest end going back shows the newest page (full, fresh); a page whose rows
    were all deleted shows the rows just before it.
    """
    if anchor is not None and mode == NEWER:
        newer = await repo.newer(user_id, where, anchor, PAGE_SIZE + 1)
        if len(newer) > PAGE_SIZE:
            rows = newer[1:]  # the extra row is the newest: it proves there is more before
            return rows, True, await repo.has_older(user_id, where, rows[-1].cursor)
        anchor = None
    if anchor is not None:
        older = await repo.older(user_id, where, anchor, PAGE_SIZE + 1, inclusive=mode == AT)
        if not older:
            return await _load_page(repo, user_id, where, anchor, NEWER)
        rows = older[:PAGE_SIZE]
        has_newer = await repo.has_newer(user_id, where, rows[0].cursor)
        return rows, has_newer, len(older) > PAGE_SIZE
    newest = await repo.older(user_id, where, None, PAGE_SIZE + 1)
    return newest[:PAGE_SIZE], False, len(newest) > PAGE_SIZE


# ----- buttons -----


@handler
async def history_button(turn: Turn) -> None:
    """Every "hs" button; ids, fields and filters come from the client, so all are re-checked."""
    try:
        await _dispatch(turn, turn.callback())
    except NotEditable as exc:
        await turn.answer(str(exc), alert=True)


async def _dispatch(turn: Turn, cb: Callback) -> None:
    """Read the button into its schema and run its step; unknown data is a stale button."""
    await BUTTON_STEPS.run(turn, hs.HISTORY_BUTTONS.parse(cb))


async def _show_page(turn: Turn, pressed: hs.HistoryPage) -> None:
    """A page of the list around the place's anchor."""
    ctx = view.context_of(pressed.place)
    await turn.show(*await _page_screen(turn, ctx, pressed.mode))


async def _view(turn: Turn, pressed: hs.HistoryView) -> None:
    """A session's detail."""
    await _show_detail(turn, pressed.log_id, view.context_of(pressed.place))


async def _edit_menu(turn: Turn, pressed: hs.HistoryEditMenu) -> None:
    """The edit menu of a session."""
    await _show_edit_menu(turn, pressed.log_id, view.context_of(pressed.place))


async def _ask_delete(turn: Turn, pressed: hs.HistoryDelete) -> None:
    """Ask to confirm deleting a session."""
    await _confirm_delete(turn, pressed.log_id, view.context_of(pressed.place))


async def _delete_yes(turn: Turn, pressed: hs.HistoryDeleteYes) -> None:
    """Delete the session."""
    await _delete(turn, pressed.log_id, view.context_of(pressed.place))


async def _undo_step(turn: Turn, pressed: hs.HistoryUndo) -> None:
    """↩️ Undo a delete."""
    await _undo(turn, pressed.snapshot_id)


async def _skill_picker(turn: Turn, pressed: hs.HistorySkillPicker) -> None:
    """The skill filter picker."""
    skills = await turn.uow.skills.summaries(turn.user_id)
    ctx = view.context_of(pressed.place)
    await turn.show(*view.skill_picker_screen(skills, pressed.page, ctx))


async def _close(turn: Turn, pressed: hs.HistoryClose) -> None:
    """Close the list."""
    await turn.show("Closed. /history opens it again.")


async def _gone(turn: Turn, ctx: ListContext) -> None:
    """The session is not there (deleted, or not the presser's): say so, change nothing."""
    await turn.answer(NOT_FOUND)
    await turn.show(*view.gone_screen(ctx, GONE))


async def _show_detail(turn: Turn, log_id: int, ctx: ListContext, banner: str = "") -> None:
    row = await turn.uow.history.row(turn.user_id, log_id)
    if row is None:
        await _gone(turn, ctx)
        return
    await turn.show(*await _detail(turn, row, ctx, banner))


async def _detail(
    turn: Turn, row: SessionRow, ctx: ListContext, banner: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    evidence = (
        await turn.uow.evidence.page_for_session(
            turn.user_id, row.id, offset=0, limit=view.DETAIL_EVIDENCE
        )
        if row.evidence
        else []
    )
    return view.detail_screen(
        row, evidence, ctx, today=turn.today, timezone=turn.timezone, banner=banner
    )


async def _show_edit_menu(turn: Turn, log_id: int, ctx: ListContext, banner: str = "") -> None:
    if await _open_edit(turn) is not None:  # « Back from a value step: stop waiting for it
        await turn.finish()
    row = await turn.uow.history.row(turn.user_id, log_id)
    if row is None:
        await _gone(turn, ctx)
        return
    await turn.show(*view.edit_menu_screen(row, ctx, turn.today, banner))


def _field(field: str) -> str:
    """The field code of an edit button; anything else (skill, user, ...) is refused."""
    if field not in FIELDS:
        # Forged: the skill, owner and creation time have no button and no way in.
        raise NotEditable()
    return field


async def _start_field(turn: Turn, pressed: hs.HistoryEditField) -> None:
    """An edit menu button: ask for the field's new value (typed, or one of its buttons)."""
    log_id, field = pressed.log_id, _field(pressed.field)
    ctx = view.context_of(pressed.place)
    row = await turn.uow.history.row(turn.user_id, log_id)
    if row is None:
        await _gone(turn, ctx)
        return
    await _ask(turn, row, field, ctx, await _open_edit(turn))


async def _set_value(turn: Turn, pressed: hs.HistorySetValue) -> None:
    """A value button (Today, 30 min, 4, Clear rating): save it; pressing twice changes nothing."""
    log_id, field, raw = pressed.log_id, _field(pressed.field), pressed.value
    ctx = view.context_of(pressed.place)
    if field == "date" and raw <= 1:
        value: Any = turn.today - timedelta(days=raw)
    elif field == "dur" and 1 <= raw <= MAX_DURATION:
        value = raw
    elif field in ("diff", "conf") and raw <= 5:
        value = raw or None  # 0: clear the rating
    else:
        raise BadCallback(f"value {raw} for {field}")
    await _apply(turn, log_id, field, value, ctx, await _open_edit(turn))


async def _open_edit(turn: Turn) -> Conversation | None:
    """The user's open edit conversation, if any (a new press supersedes it)."""
    conv = await turn.load_conversation()
    return conv if conv is not None and conv.name == FLOW_NAME else None


async def _confirm_delete(turn: Turn, log_id: int, ctx: ListContext) -> None:
    row = await turn.uow.history.row(turn.user_id, log_id)
    if row is None:
        await _gone(turn, ctx)
        return
    await turn.show(*view.delete_confirm_screen(row, ctx, turn.today, UNDO_MINUTES))


async def _delete(turn: Turn, log_id: int, ctx: ListContext) -> None:
    """Delete the session and its evidence, keeping a snapshot for ↩️ Undo."""
    try:
        deleted = await delete_session(turn.uow, turn.user_id, log_id, turn.now, back=ctx.text())
    except UnknownLog:
        # A double tap (or deleted elsewhere): the message may already show the first press's
        # "Deleted" with its ↩️ Undo, so leave it as it is.
        await turn.answer(NOT_FOUND)
        return
    phrase = _summary_phrase(deleted.summary, turn.today)
    turn.if_unshown(unshown(f"🗑 Deleted the {phrase}", "its Undo", "/history shows what's left"))
    await turn.answer("Deleted")
    await turn.show(*view.deleted_screen(phrase, deleted.snapshot_id, ctx, UNDO_MINUTES))


def _summary_phrase(summary: SessionRow, today: date) -> str:
    return view.session_phrase(
        summary.skill_name, summary.practiced_on, summary.duration_minutes, today
    ) + view.evidence_phrase(summary.evidence)


async def _undo(turn: Turn, snapshot_id: int) -> None:
    """↩️ Undo: restore the session and its evidence, then show it."""
    try:
        restored = await undo_delete(turn.uow, turn.user_id, snapshot_id, turn.now)
    except UndoUnavailable as exc:
        # Restored already (a double tap: the message shows it again) or purged: just say so.
        await turn.answer(str(exc), alert=True)
        return
    except UndoExpired as exc:
        await turn.uow.rollback()
        await turn.answer(str(exc), alert=True)
        await turn.show(*view.gone_screen(view.TOP, f"🗑 That session stays deleted. {esc(exc)}"))
        return
    except (SkillGone, DayIsFull) as exc:
        await turn.uow.rollback()  # the snapshot stays, so Undo can be tried again
        await turn.answer(f"Can't restore it: {exc}", alert=True)
        return
    phrase = _summary_phrase(restored.summary, turn.today)
    turn.if_unshown(unshown(f"↩️ Restored the {phrase}", "it", "/history has it"))
    await turn.answer("Restored")
    ctx = view.context_from_text(restored.back)
    await _show_detail(turn, restored.log_id, ctx, f"↩️ Restored the {phrase}.\n\n")


# Every "hs" button kind -> its step. The screens are stateless: any of them may be pressed
# at any time, so there is no state column.
BUTTON_STEPS: Final = StepTable[Turn](
    _show_page,
    _view,
    _edit_menu,
    _start_field,
    _set_value,
    _ask_delete,
    _delete_yes,
    _undo_step,
    _skill_picker,
    _close,
)


# ----- editing one field -----


class NotEditable(DomainError):
    """A forged edit naming a field that has no button (skill, owner, created time)."""

    def __init__(self) -> None:
        super().__init__(NOT_EDITABLE)


def _parse_value(field: str, text: str, today: date, order: DateOrder) -> Any:
    """A typed new value, read and checked as /log reads it (DomainError if it isn't one)."""
    if field == "date":
        return parse_practice_date(text, today, order)
    if field == "dur":
        return parse_duration(text)
    if field == "desc":
        return validate_description(text)
    if text.casefold() in _CLEAR_WORDS:
        return None
    if not text.isdigit() or len(text) > 3:
        raise DomainError("Type a number from 1 to 5, or tap 🚫 Clear rating.")
    return validate_rating(int(text), _FIELD_NAMES[field])


def _shown(field: str, value: Any, today: date) -> str:
    """A value as the change banner shows it (HTML)."""
    if field == "date":
        return esc(format_date(value, today))
    if field == "dur":
        return minutes(value)
    return f"{value}/5" if value is not None else "not rated"


class HistoryEditFlow:
    """Waiting for a typed value of one field; state is the field code.

    Its value buttons are "hs" buttons (history_button), not steps of this flow: a value press
    is then idempotent, and a double tap cannot meet a closed conversation and lose the
    keyboard of the screen that replaced the step.
    """

    name = FLOW_NAME
    prefix = view.EDIT_PREFIX
    title = "editing the session"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """A typed value for the field being edited."""
        log_id, ctx = _conversation_target(conv)
        text = turn.text.strip()
        if not text:
            await turn.reply("I need text here — type the new value, or use the buttons above.")
            return
        try:
            order, _chosen = await date_order(turn.uow, turn.user_id)
            value = _parse_value(conv.state, text, turn.today, order)
        except DomainError as exc:
            row = await turn.uow.history.row(turn.user_id, log_id)
            if row is None:
                await _session_vanished(turn, conv, ctx)
                return
            await _ask(turn, row, conv.state, ctx, conv, problem=str(exc))
            return
        await _apply(turn, log_id, conv.state, value, ctx, conv)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """This flow has no buttons of its own (Cancel is global)."""
        raise BadCallback(f"history edit step button {callback.action()!r}")


def _conversation_target(conv: Conversation) -> tuple[int, ListContext]:
    return int(conv.data["log_id"]), view.context_from_text(str(conv.data.get("ctx", "")))


async def _ask(
    turn: Turn,
    row: SessionRow,
    field: str,
    ctx: ListContext,
    conv: Conversation | None,
    *,
    problem: str = "",
) -> None:
    """Show the value step (in place for a press, as a new message after typing) and wait for
    a typed value in the edit conversation."""
    screen = view.field_prompt_screen(row, field, ctx, turn.today, problem)
    step_message = conv.message_id if conv is not None else None
    if turn.query is not None:
        await turn.answer()
        message_id = await turn.show(*screen)
        if step_message not in (None, message_id):
            await turn.remove_keyboard(step_message)
    else:
        if step_message is not None:
            await turn.remove_keyboard(step_message)
        message_id = (await turn.reply(*screen)).message_id
    other = await turn.load_conversation()
    if other is not None and other.name != FLOW_NAME and other.message_id is not None:
        await turn.remove_keyboard(other.message_id)
    await turn.begin(FLOW_NAME, field, {"log_id": row.id, "ctx": ctx.text()}, message_id)


async def _session_vanished(turn: Turn, conv: Conversation | None, ctx: ListContext) -> None:
    step_message = conv.message_id if conv is not None else None
    if conv is not None:
        await turn.finish()
    if turn.query is not None:
        await _gone(turn, ctx)
        return
    if step_message is not None:
        await turn.remove_keyboard(step_message)
    await turn.reply(*view.gone_screen(ctx, GONE))


async def _apply(
    turn: Turn, log_id: int, field: str, value: Any, ctx: ListContext, conv: Conversation | None
) -> None:
    """Save the new value under /log's rules, then show the session with what changed."""
    key = FIELDS[field][0]
    before = await turn.uow.history.row(turn.user_id, log_id)
    if before is None:
        await _session_vanished(turn, conv, ctx)
        return
    old = getattr(before, key)
    if old != value:
        try:
            changes = cast(LogChanges, {key: value})  # key comes from FIELDS only
            await update_practice_log(turn.uow, turn.user_id, turn.today, log_id, changes)
        except UnknownLog:
            await _session_vanished(turn, conv, ctx)
            return
        except DomainError as exc:  # refused before any write: ask again
            await _ask(turn, before, field, ctx, conv, problem=str(exc))
            return
    name = _FIELD_NAMES[field]
    turn.if_unshown(unshown(f"✅ Updated the {name} of that session", "it", "/history has it"))
    if old == value:
        banner = f"Nothing changed: the {name} was already that.\n\n"
    elif field == "desc":
        banner = "✅ Updated the description.\n\n"
    else:
        banner = (
            f"✅ Updated the {name}: {_shown(field, old, turn.today)} → "
            f"{_shown(field, value, turn.today)}.\n\n"
        )
    after = await turn.uow.history.row(turn.user_id, log_id)
    assert after is not None  # the user is locked and the row was just updated
    step_message = conv.message_id if conv is not None else None
    if conv is not None:
        await turn.finish()
    screen = await _detail(turn, after, ctx, banner)
    if turn.query is not None:
        await turn.answer("Saved" if old != value else "No change")
        shown_at = await turn.show(*screen)
        if step_message not in (None, shown_at):
            await turn.remove_keyboard(step_message)
        return
    if step_message is not None:
        await turn.remove_keyboard(step_message)
    await turn.reply(*screen)
