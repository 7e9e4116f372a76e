"""/log: log a session step by step, or in one message ("/log react 45m built a todo app").

Steps: skill -> duration -> date -> description -> difficulty -> confidence, each with Back and
Cancel. A one-message /log that leaves a part missing or wrong opens the conversation at that
step with the rest filled in ("fill" mode), and saves as soon as the required parts are there.
The conversation lives in the database (bot/core/conversation.py), so a restarted bot or another
instance continues it.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any, Final

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.core.runtime import Turn, handler
from bot.domain.dates import format_date, parse_practice_date
from bot.domain.durations import format_duration, parse_duration
from bot.domain.errors import DomainError
from bot.domain.log_command import parse_log_command
from bot.domain.practice import validate_description, validate_rating
from bot.domain.skills import SkillSummary, skill_name_key
from bot.services.card_extras import card_extras
from bot.services.practice import (
    ArchivedSkill,
    DayIsFull,
    SessionDraft,
    UnknownSkill,
    active_skill,
    check_room,
    save_practice_log,
)
from bot.services.skills import create_skill
from bot.ui.callbacks import Callback
from bot.ui.cards import session_card, session_card_keyboard
from bot.ui.keyboards import (
    Button,
    back_cancel_row,
    button,
    cancel_button,
    grid,
    markup,
    page_nav_row,
)
from bot.ui.log_steps import DURATIONS, QUESTIONS
from bot.ui.texts import NOT_FOUND, esc
from storage.models import Conversation

PREFIX: Final = "lg"
SKILLS_PER_PAGE: Final = 8
STEPS: Final = ("skill", "duration", "date", "description", "difficulty", "confidence")
REQUIRED: Final = ("skill", "duration", "date", "description")
# Which conversation data key holds each step's answer.
KEYS: Final = {
    "skill": "skill_id",
    "duration": "minutes",
    "date": "day",
    "description": "description",
    "difficulty": "difficulty",
    "confidence": "confidence",
}
HEADER: Final = "📝 <b>Log practice</b>"
ALREADY_DONE: Final = "That step is already done."


class LogFlow:
    """The /log conversation."""

    name = "log"
    prefix = PREFIX
    title = "the practice log"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """A typed answer to the current step."""
        data = dict(conv.data)
        state = conv.state
        text = turn.text.strip()
        if not text:
            await turn.reply("I need text here — type your answer or use the buttons above.")
            return
        try:
            if state == "skill":
                await self._typed_skill(turn, data, text)
                return
            if state == "new_skill":
                skill = await create_skill(turn.uow, turn.user_id, text)
                data.update(skill_id=skill.id, skill_name=skill.name)
            elif state == "duration":
                data["minutes"] = parse_duration(text)
                await _check_day(turn, data)
            elif state == "date":
                data["day"] = parse_practice_date(text, turn.today).isoformat()
                await _check_day(turn, data)
            elif state == "description":
                data["description"] = validate_description(text)
            elif state in ("difficulty", "confidence"):
                if not text.isdigit() or len(text) > 3:
                    raise DomainError("Tap a number from 1 to 5, or Skip.")
                data[state] = validate_rating(int(text), state)
            else:
                await turn.reply("Please use the buttons above, or /cancel.")
                return
        except DomainError as exc:
            # Nothing was written before the rule broke: ask the same step again.
            await _ask(turn, dict(conv.data), state, problem=str(exc))
            return
        await _forward(turn, data, "skill" if state == "new_skill" else state)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """A button on the current step."""
        data = dict(conv.data)
        state, action = conv.state, callback.action()
        if action == "back":
            previous = _previous(state)
            if previous is None:
                await turn.answer(ALREADY_DONE)
                return
            await _ask(turn, data, previous)
        elif state == "skill" and action == "sk":
            await self._pick_skill(turn, data, callback.integer(1))
        elif state == "skill" and action == "pg":
            await _ask(turn, {**data, "page": callback.integer(1, high=1000)}, "skill")
        elif state == "skill" and action == "new":
            await _ask(turn, data, "new_skill")
        elif state == "duration" and action == "d":
            data["minutes"] = callback.integer(1, low=1, high=1440)
            await self._checked_forward(turn, data, state)
        elif state == "date" and action == "t":
            data["day"] = (turn.today - timedelta(days=callback.integer(1, high=1))).isoformat()
            await self._checked_forward(turn, data, state)
        elif state == "description" and action == "keep" and data.get("description"):
            await _forward(turn, data, state)
        elif state in ("difficulty", "confidence") and action in ("r", "skip"):
            data[state] = callback.integer(1, low=1, high=5) if action == "r" else None
            await _forward(turn, data, state)
        elif state == "unarchive" and action == "ua":
            await self._unarchive(turn, data)
        elif state == "unarchive" and action == "pick":
            await _ask(turn, data, "skill")
        else:
            # A double tap, or a button from a step this message has already moved past.
            await turn.answer(ALREADY_DONE)

    async def _typed_skill(self, turn: Turn, data: dict[str, Any], text: str) -> None:
        """A skill name typed at the skill step: exact name, or a unique prefix."""
        summaries = await turn.uow.skills.summaries(turn.user_id, include_archived=False)
        key = skill_name_key(text)
        exact = [s for s in summaries if skill_name_key(s.name) == key]
        matches = exact or [s for s in summaries if skill_name_key(s.name).startswith(key)]
        if len(matches) != 1:
            data["candidates"] = [s.id for s in matches]
            problem = (
                f"“{esc(text[:40])}” matches {len(matches)} skills — tap the one you mean."
                if matches
                else f"You have no skill called “{esc(text[:40])}”. Tap one, or ➕ New skill."
            )
            await _ask(turn, data, "skill", problem=problem, escaped=True)
            return
        data.update(skill_id=matches[0].id, skill_name=matches[0].name)
        await _forward(turn, data, "skill")

    async def _pick_skill(self, turn: Turn, data: dict[str, Any], skill_id: int) -> None:
        try:
            skill = await active_skill(turn.uow, turn.user_id, skill_id)
        except UnknownSkill:
            await turn.answer(NOT_FOUND)
            await _ask(turn, data, "skill")
            return
        except ArchivedSkill as exc:
            await _offer_unarchive(turn, data, exc)
            return
        data.update(skill_id=skill.id, skill_name=skill.name)
        await _forward(turn, data, "skill")

    async def _checked_forward(self, turn: Turn, data: dict[str, Any], state: str) -> None:
        try:
            await _check_day(turn, data)
        except DayIsFull as exc:
            await _ask(turn, data, state, problem=str(exc))
            return
        await _forward(turn, data, state)

    async def _unarchive(self, turn: Turn, data: dict[str, Any]) -> None:
        skill = await turn.uow.skills.get(turn.user_id, int(data.get("archived_id", 0)))
        if skill is None:
            await turn.answer(NOT_FOUND)
            await _ask(turn, data, "skill")
            return
        await turn.uow.skills.set_archived(skill, None)
        await turn.answer(f"Unarchived {skill.name}")
        data.update(skill_id=skill.id, skill_name=skill.name)
        await _forward(turn, data, "skill")


# ----- entry points -----


@handler
async def log_command(turn: Turn) -> None:
    """/log alone: start at the skill step. /log with text: save it, or ask what's missing."""
    message = turn.message
    # Keyed by the command's message id: a redelivered "/log react 45m ..." saves once.
    opened_by = message.message_id if message is not None else secrets.randbelow(2**31)
    data: dict[str, Any] = {"token": f"lg.m{opened_by}", "mode": "full"}
    old = await turn.load_conversation()
    if old is not None:
        if old.message_id is not None:
            await turn.remove_keyboard(old.message_id)
        await turn.finish(commit=False)
    rest = _command_argument(turn.text)
    if not rest:
        await _open(turn, data, "skill")
        return
    await _one_message(turn, data, rest)


@handler
async def log_another_button(turn: Turn) -> None:
    """➕ Log another on a saved-entry card: a fresh /log below the card."""
    data: dict[str, Any] = {"token": f"lg.{secrets.token_urlsafe(6)}", "mode": "full"}
    await turn.answer()
    await _open(turn, data, "skill")


async def _one_message(turn: Turn, data: dict[str, Any], text: str) -> None:
    """Read "/log react 45m built a todo app"; save it whole, or open at the first gap."""
    summaries = await turn.uow.skills.summaries(turn.user_id)
    draft = parse_log_command(text, [(s.id, s.name) for s in summaries], turn.today)
    by_id = {s.id: s for s in summaries}
    data["mode"] = "fill"
    problems = list(draft.problems)
    skill = by_id.get(draft.skill_id) if draft.skill_id is not None else None
    candidates = [by_id[i] for i in draft.ambiguous_skill_ids if not by_id[i].archived]
    if skill is None and len(candidates) == 1:
        skill = candidates[0]
    if skill is not None:
        data.update(skill_id=skill.id, skill_name=skill.name)
    elif candidates:
        data["candidates"] = [s.id for s in candidates]
        names = " or ".join(s.name for s in candidates)
        problems.append(f"That could be {names} — which one?")
    if draft.duration_minutes is not None:
        data["minutes"] = draft.duration_minutes
    if draft.practiced_on is not None:
        data["day"] = draft.practiced_on.isoformat()
    elif not draft.date_given:
        data["day"] = turn.today.isoformat()
    if draft.description is not None:
        try:
            data["description"] = validate_description(draft.description)
        except DomainError as exc:
            problems.append(str(exc))
    problem = "\n".join(problems) or None
    if skill is not None and skill.archived:
        data.update(archived_id=skill.id, archived_name=skill.name)
        data.pop("skill_id", None)
        await _open(turn, data, "unarchive", problem=problem)
        return
    missing = _first_missing(data)
    if missing is not None:
        await _open(turn, data, missing, problem=problem)
        return
    try:
        await _check_day(turn, data)
    except DayIsFull as exc:
        await _open(turn, data, "date" if exc.left == 0 else "duration", problem=str(exc))
        return
    await _save(turn, data)


def _command_argument(text: str) -> str:
    """What follows "/log" (or "/log@Bot"), with the user's own spacing kept."""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


# ----- steps -----


def _first_missing(data: dict[str, Any]) -> str | None:
    return next((step for step in REQUIRED if data.get(KEYS[step]) is None), None)


def _next_step(data: dict[str, Any], answered: str) -> str | None:
    """The step after `answered`: in fill mode the first gap (None: save), else the next one."""
    if data.get("mode") == "fill":
        return _first_missing(data)
    index = STEPS.index(answered) + 1
    return STEPS[index] if index < len(STEPS) else None


def _previous(state: str) -> str | None:
    if state in ("new_skill", "unarchive"):
        return "skill"
    index = STEPS.index(state) if state in STEPS else 0
    return STEPS[index - 1] if index > 0 else None


async def _forward(turn: Turn, data: dict[str, Any], answered: str) -> None:
    """Store the answer and ask the next step, or save when nothing is left to ask."""
    data.pop("page", None)
    data.pop("candidates", None)
    step = _next_step(data, answered)
    if step is None:
        await _save(turn, data)
        return
    await _ask(turn, data, step)


async def _check_day(turn: Turn, data: dict[str, Any]) -> None:
    """Refuse (DayIsFull) a duration that no longer fits on the chosen date."""
    if data.get("minutes") is None or data.get("day") is None:
        return
    await check_room(turn.uow, turn.user_id, date.fromisoformat(data["day"]), data["minutes"])


async def _offer_unarchive(turn: Turn, data: dict[str, Any], exc: ArchivedSkill) -> None:
    data.update(archived_id=exc.skill_id, archived_name=exc.skill_name)
    await _ask(turn, data, "unarchive")


async def _open(turn: Turn, data: dict[str, Any], step: str, *, problem: str | None = None) -> None:
    """Begin the conversation at `step` in a new message, replacing any open conversation."""
    old = await turn.load_conversation()
    if old is not None and old.message_id is not None:
        await turn.remove_keyboard(old.message_id)
    await turn.begin(LogFlow.name, step, data)
    await _ask(turn, data, step, problem=problem, edit=False)


async def _ask(
    turn: Turn,
    data: dict[str, Any],
    step: str,
    *,
    problem: str | None = None,
    escaped: bool = False,
    edit: bool | None = None,
) -> None:
    """Show `step` and remember `data`: a press edits its message, typed input gets a new one."""
    conv = turn.conversation
    if conv is None:
        raise RuntimeError("_ask() without an open conversation")
    text, keyboard = await _screen(turn, data, step)
    if problem:
        text = f"{problem if escaped else esc(problem)}\n\n{text}"
    if turn.query is not None if edit is None else edit:
        message_id = await turn.show(text, keyboard)
    else:
        if conv.message_id is not None:
            await turn.remove_keyboard(conv.message_id)
        message_id = (await turn.reply(text, keyboard)).message_id
    conv.data = {}  # advance() merges; these steps replace what the conversation remembers
    await turn.advance(step, message_id=message_id, **data)
    await turn.uow.commit()


async def _screen(turn: Turn, data: dict[str, Any], step: str) -> tuple[str, InlineKeyboardMarkup]:
    """The text and keyboard of a step, headed by what has been chosen so far."""
    lines = [HEADER, *_summary(data, turn.today), "", QUESTIONS.get(step, "")]
    rows: list[list[Button]]
    if step == "skill":
        summaries = await turn.uow.skills.summaries(turn.user_id, include_archived=False)
        if not summaries:
            lines[-1] = "You have no skills yet. Tap ➕ New skill to add the one you practised."
        rows = _skill_rows(summaries, data)
        return "\n".join(lines), markup([*rows, [cancel_button()]])
    if step == "unarchive":
        name = esc(data.get("archived_name", "That skill"))
        lines[-1] = f"<b>{name}</b> is archived. Unarchive it and log this session for it?"
        rows = [
            [button("📤 Unarchive and continue", PREFIX, "ua")],
            [button("Pick another skill", PREFIX, "pick"), cancel_button()],
        ]
        return "\n".join(lines), markup(rows)
    if step == "duration":
        rows = grid([button(f"{m} min", PREFIX, "d", m) for m in DURATIONS], 3)
    elif step == "date":
        rows = [[button("Today", PREFIX, "t", 0), button("Yesterday", PREFIX, "t", 1)]]
    elif step == "description":
        rows = [[button("Keep it as is", PREFIX, "keep")]] if data.get("description") else []
    elif step in ("difficulty", "confidence"):
        rows = [
            [button(str(n), PREFIX, "r", n) for n in range(1, 6)],
            [button("Skip", PREFIX, "skip")],
        ]
    else:  # new_skill
        rows = []
    return "\n".join(lines), markup([*rows, back_cancel_row(PREFIX)])


def _skill_rows(summaries: list[SkillSummary], data: dict[str, Any]) -> list[list[Button]]:
    """Skill buttons, candidates of an ambiguous name first, paged; then ➕ New skill."""
    wanted = [int(i) for i in data.get("candidates", [])]
    ordered = sorted(summaries, key=lambda s: s.id not in wanted)  # stable: recency kept
    pages = max(1, -(-len(ordered) // SKILLS_PER_PAGE))
    page = min(max(int(data.get("page", 0)), 0), pages - 1)
    shown = ordered[page * SKILLS_PER_PAGE : (page + 1) * SKILLS_PER_PAGE]
    rows = grid([button(s.name, PREFIX, "sk", s.id) for s in shown], 2)
    if nav := page_nav_row(PREFIX, "pg", page, pages):
        rows.append(nav)
    rows.append([button("➕ New skill", PREFIX, "new")])
    return rows


def _summary(data: dict[str, Any], today: date) -> list[str]:
    """What has been chosen so far, one short line."""
    parts = []
    if data.get("skill_id") is not None:
        parts.append(f"<b>{esc(data.get('skill_name', ''))}</b>")
    if data.get("minutes") is not None:
        parts.append(format_duration(int(data["minutes"])))
    if data.get("day") is not None:
        parts.append(esc(format_date(date.fromisoformat(data["day"]), today)))
    lines = [" · ".join(parts)] if parts else []
    description = data.get("description")
    if description:
        short = description if len(description) <= 80 else description[:79] + "…"
        lines.append(f"<i>{esc(short)}</i>")
    return lines


# ----- saving -----


async def _save(turn: Turn, data: dict[str, Any]) -> None:
    """Save through the one save path, then replace the step message with the card."""
    draft = SessionDraft(
        skill_id=int(data["skill_id"]),
        practiced_on=date.fromisoformat(data["day"]),
        duration_minutes=int(data["minutes"]),
        description=str(data["description"]),
        difficulty=data.get("difficulty"),
        confidence=data.get("confidence"),
        source="chat",
        client_token=str(data["token"]),
    )
    try:
        saved = await save_practice_log(turn.uow, turn.user_id, turn.today, draft)
    except UnknownSkill as exc:
        data.pop("skill_id", None)
        await _reopen(turn, data, "skill", str(exc))
        return
    except ArchivedSkill as exc:
        data.pop("skill_id", None)
        data.update(archived_id=exc.skill_id, archived_name=exc.skill_name)
        await _reopen(turn, data, "unarchive", None)
        return
    except DayIsFull as exc:
        await _reopen(turn, data, "date" if exc.left == 0 else "duration", str(exc))
        return
    extras = await card_extras(turn.uow, turn.user_id, turn.today, saved)
    step_message = turn.conversation.message_id if turn.conversation else None
    if turn.conversation is not None:
        await turn.finish()
    await turn.uow.commit()
    if step_message is not None:
        # The card arrives as a new message; the finished step message goes, so a late second
        # press on it can only meet "expired", never strip the card's buttons.
        await _delete_message(turn, step_message)
    heading = "✅ Saved" if saved.created else "✅ Already saved"
    text = session_card(saved.log, saved.skill_name, turn.today, heading=heading, extra=extras)
    await turn.answer("Saved" if saved.created else "Already saved")
    await turn.reply(text, session_card_keyboard(saved.log.id))


async def _reopen(turn: Turn, data: dict[str, Any], step: str, problem: str | None) -> None:
    """Ask `step` again after the save refused, opening the conversation if it was one message."""
    if turn.conversation is None:
        await _open(turn, data, step, problem=problem)
    else:
        await _ask(turn, data, step, problem=problem)


async def _delete_message(turn: Turn, message_id: int) -> None:
    """Delete a finished step message, or at least its keyboard."""
    await turn.release()
    try:
        await turn.context.bot.delete_message(turn.chat_id, message_id)
    except BadRequest:
        await turn.remove_keyboard(message_id)
