"""/log: log a session step by step, or in one message ("/log react 45m built a todo app").

Steps: skill -> duration -> date -> description (or Skip: the automatic Quick Log text) ->
"Rate it?" (Skip saves) -> difficulty -> confidence, each with Back and Cancel. A one-message
/log that leaves a part missing or wrong opens the conversation at that step with the rest
filled in ("fill" mode), and saves as soon as the required parts are there. The conversation
lives in the database (bot/core/conversation.py), so a restarted bot or another instance
continues it.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import ApplicationHandlerStop

from bot.core.incoming_evidence import Collected, Mode, collect
from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable
from bot.domain.dates import (
    DATE_ORDERS,
    DateOrder,
    DateReading,
    format_date,
    parse_practice_date,
    read_date,
)
from bot.domain.durations import format_duration, parse_duration
from bot.domain.echo import shorten
from bot.domain.errors import DomainError
from bot.domain.log_command import parse_log_command
from bot.domain.practice import quick_description, validate_description, validate_rating
from bot.domain.skills import SkillSummary
from bot.services.evidence import Pending, attach, session_target
from bot.services.evidence_batch import pending_items, route_album
from bot.services.log_session import log_session
from bot.services.practice import (
    ArchivedSkill,
    DayIsFull,
    SessionDraft,
    UnknownSkill,
    active_skill,
    check_room,
)
from bot.services.skill_lookup import skills_matching
from bot.services.skills import create_skill, set_archived
from bot.services.timer import next_focus
from bot.services.timezone import choose_date_order, date_order
from bot.ui import callbacks as lg
from bot.ui.callbacks import LOG_BUTTONS, Callback
from bot.ui.cards import session_card, session_card_keyboard
from bot.ui.evidence import attach_pending_label, count_phrase
from bot.ui.keyboards import Button, cancel_button, grid, markup, press
from bot.ui.log_steps import DURATIONS, ORDER_CHOSEN, QUESTIONS
from bot.ui.texts import BUTTON_BACK, NOT_FOUND, NOT_SURE, STALE_BUTTON, esc, session_unshown
from bot.ui.timer import next_focus_line
from storage.models import Conversation

log = logging.getLogger(__name__)
PREFIX: Final = lg.LOG
SKILLS_PER_PAGE: Final = 8
STEPS: Final = ("skill", "duration", "date", "description", "rate", "difficulty", "confidence")
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
        message = turn.message
        if message is not None and data.get("album") and message.media_group_id == data["album"]:
            # Another file of the album whose caption opened this /log: it goes with the rest.
            found = collect(message, Mode.BATCH, caption=False)
            attach = [*data.get("attach", []), *(item.to_json() for item in found.items)]
            await turn.advance(state, attach=attach)
            return
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
                if not await _typed_date(turn, data, text):
                    return
                await _check_day(turn, data)
            elif state == "description":
                data["description"] = validate_description(text)
            elif state == "rate":
                raise DomainError("Tap ⭐ Rate it, or Skip to save without ratings.")
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
        """A button on the current step: a lookup in BUTTON_STEPS."""
        pressed = LOG_BUTTONS.parse(callback)
        step = BUTTON_STEPS.find(pressed, conv.state)
        if step is None:
            # A double tap, or a button from a step this message has already moved past.
            await turn.answer(ALREADY_DONE)
            return
        await step(At(turn, dict(conv.data), conv.state))

    async def ask_again(self, turn: Turn, conv: Conversation) -> None:
        """Show the current step again: its answer was already taken."""
        await _ask(turn, dict(conv.data), conv.state)

    async def _typed_skill(self, turn: Turn, data: dict[str, Any], text: str) -> None:
        """A skill name typed at the skill step: exact name, or a unique prefix."""
        matches = await skills_matching(turn.uow, turn.user_id, text)
        if len(matches) != 1:
            data["candidates"] = [s.id for s in matches]
            if not matches:
                data["new_name"] = text[:64]
            problem = (
                f"“{esc(text[:40])}” matches {len(matches)} skills — tap the one you mean."
                if matches
                else f"You have no skill called “{esc(text[:40])}”. Tap one, or ➕ New skill."
            )
            await _ask(turn, data, "skill", problem=problem, escaped=True)
            return
        data.update(skill_id=matches[0].id, skill_name=matches[0].name)
        await _forward(turn, data, "skill")


# ----- button steps -----


@dataclass(frozen=True, slots=True)
class At:
    """A button press at a step: the turn, what the conversation remembers, and the step."""

    turn: Turn
    data: dict[str, Any]
    state: str


async def _back(at: At, pressed: lg.LogBack) -> None:
    """« Back: the previous step, if there is one."""
    previous = _previous(at.state)
    if previous is None:
        await at.turn.answer(ALREADY_DONE)
        return
    await _ask(at.turn, at.data, previous)


async def _pick_skill(at: At, pressed: lg.LogPickSkill) -> None:
    """A skill button; the id is re-checked against the presser, an archived one offered back."""
    turn, data = at.turn, at.data
    try:
        skill = await active_skill(turn.uow, turn.user_id, pressed.skill_id)
    except UnknownSkill:
        await turn.answer(NOT_FOUND)
        await _ask(turn, data, "skill")
        return
    except ArchivedSkill as exc:
        await _offer_unarchive(turn, data, exc)
        return
    data.update(skill_id=skill.id, skill_name=skill.name)
    await _forward(turn, data, "skill")


async def _create_typed(at: At, pressed: lg.LogCreateTyped) -> None:
    """➕ Create <name>: a new skill named as typed; the description loses that word."""
    turn, data = at.turn, at.data
    name = data.pop("new_name", None)
    if not name:
        await turn.answer(ALREADY_DONE)
        return
    try:
        skill = await create_skill(turn.uow, turn.user_id, str(name))
    except DomainError as exc:
        await _ask(turn, data, "skill", problem=str(exc))
        return
    await turn.answer(f"Created {skill.name}")
    data.update(skill_id=skill.id, skill_name=skill.name)
    if "new_name_description" in data:
        rest = data.pop("new_name_description")
        data.pop("description", None)
        # Too short without the name: the description step asks for one.
        with suppress(DomainError):
            data["description"] = validate_description(rest or "")
    await _forward(turn, data, "skill")


async def _skill_page(at: At, pressed: lg.LogSkillPage) -> None:
    """◀ / ▶ through the skills."""
    await _ask(at.turn, {**at.data, "page": pressed.page}, "skill")


async def _new_skill(at: At, pressed: lg.LogNewSkill) -> None:
    """➕ New skill: ask for its name."""
    await _ask(at.turn, at.data, "new_skill")


async def _duration(at: At, pressed: lg.LogDuration) -> None:
    """A preset duration, if the day still has room for it."""
    at.data["minutes"] = pressed.minutes
    await _checked_forward(at.turn, at.data, at.state)


async def _day(at: At, pressed: lg.LogDay) -> None:
    """Today or Yesterday, if that day still has room for the duration."""
    at.data["day"] = (at.turn.today - timedelta(days=pressed.days_back)).isoformat()
    await _checked_forward(at.turn, at.data, at.state)


async def _date_option(at: At, pressed: lg.LogDateOption) -> None:
    """One of the dates offered for a typo'd or ambiguous date phrase."""
    options = at.data.get("date_options") or []
    if pressed.slot >= len(options):
        await at.turn.answer(ALREADY_DONE)
        return
    day, order = options[pressed.slot]
    if order in DATE_ORDERS:
        # The answer to "11/12: which one?" holds for every numeric date from now on.
        await choose_date_order(at.turn.uow, at.turn.user_id, order)
        await at.turn.answer(ORDER_CHOSEN[order])
    at.data["day"] = day
    await _checked_forward(at.turn, at.data, at.state)


async def _keep_description(at: At, pressed: lg.LogKeepDescription) -> None:
    """Keep the description the one-message /log gave (there must be one)."""
    if not at.data.get("description"):
        await at.turn.answer(ALREADY_DONE)
        return
    await _forward(at.turn, at.data, at.state)


async def _skip_description(at: At, pressed: lg.LogSkipDescription) -> None:
    """Skip: the automatic description Quick Log stores ("Quick practice: 30 min of Guitar")."""
    data = at.data
    if data.get("skill_name") is None or data.get("minutes") is None:
        await at.turn.answer(ALREADY_DONE)
        return
    data["description"] = quick_description(str(data["skill_name"]), int(data["minutes"]))
    await _forward(at.turn, data, at.state)


async def _rate_it(at: At, pressed: lg.LogRateIt) -> None:
    """⭐ Rate it: ask the two optional ratings."""
    await _ask(at.turn, at.data, "difficulty")


async def _skip_ratings(at: At, pressed: lg.LogSkipRating) -> None:
    """Skip at "Rate it?": save with neither rating."""
    at.data.update(difficulty=None, confidence=None)
    await _save(at.turn, at.data)


async def _rate(at: At, pressed: lg.LogRate) -> None:
    """A 1-5 answer to the difficulty or confidence step."""
    at.data[at.state] = pressed.rating
    await _forward(at.turn, at.data, at.state)


async def _skip_rating(at: At, pressed: lg.LogSkipRating) -> None:
    """Leave the difficulty or confidence unrated."""
    at.data[at.state] = None
    await _forward(at.turn, at.data, at.state)


async def _unarchive(at: At, pressed: lg.LogUnarchive) -> None:
    """Unarchive the skill the user chose, and go on with it."""
    turn, data = at.turn, at.data
    try:
        skill = await set_archived(
            turn.uow, turn.user_id, int(data.get("archived_id", 0)), False, turn.now
        )
    except UnknownSkill:
        await turn.answer(NOT_FOUND)
        await _ask(turn, data, "skill")
        return
    await turn.answer(f"Unarchived {skill.name}")
    data.update(skill_id=skill.id, skill_name=skill.name)
    await _forward(turn, data, "skill")


async def _pick_another(at: At, pressed: lg.LogPickAnother) -> None:
    """Leave the archived skill: back to the skill step."""
    await _ask(at.turn, at.data, "skill")


async def _checked_forward(turn: Turn, data: dict[str, Any], state: str) -> None:
    try:
        await _check_day(turn, data)
    except DayIsFull as exc:
        await _ask(turn, data, state, problem=str(exc))
        return
    await _forward(turn, data, state)


# (state, button) -> step; a press with no row is from a step the message has moved past.
BUTTON_STEPS: Final = StepTable[At](
    _back,
    states={
        "skill": (_pick_skill, _skill_page, _new_skill, _create_typed),
        "duration": (_duration,),
        "date": (_day, _date_option),
        "description": (_keep_description, _skip_description),
        "rate": (_rate_it, _skip_ratings),
        "difficulty": (_rate, _skip_rating),
        "confidence": (_rate, _skip_rating),
        "unarchive": (_unarchive, _pick_another),
    },
)


# ----- entry points -----


@handler
async def log_command(turn: Turn) -> None:
    """/log alone: start at the skill step. /log with text: save it, or ask what's missing."""
    await _start(turn)


@handler
async def log_caption_command(turn: Turn) -> None:
    """A photo or file captioned "/log react 45m ...": that /log, with the file attached to it."""
    message = turn.message
    found = collect(message, Mode.BATCH, caption=False) if message is not None else Collected()
    if found.problems:
        await turn.reply("".join(f"⚠️ {esc(problem)}\n" for problem in found.problems))
    album = message.media_group_id if message is not None else None
    await _start(turn, attach=[item.to_json() for item in found.items], album=album)
    # Handled as a command: the file must not also reach the evidence handlers of group 1.
    raise ApplicationHandlerStop


async def _start(
    turn: Turn, attach: list[dict[str, Any]] | None = None, album: str | None = None
) -> None:
    """Start /log from the command's text; `attach` goes to the session once it is saved,
    and so do the other files of `album` (the caption rides on an album's first file only)."""
    message = turn.message
    # Keyed by the command's message id: a redelivered "/log react 45m ..." saves once.
    opened_by = message.message_id if message is not None else secrets.randbelow(2**31)
    data: dict[str, Any] = {"token": f"lg.m{opened_by}", "mode": "full"}
    if attach:
        data["attach"] = attach
    if album:
        data["album"] = album
    await _restart(turn, data, _command_argument(turn.text))


async def _restart(turn: Turn, data: dict[str, Any], rest: str) -> None:
    """Replace any open conversation with this /log: `rest` read as one message, or ask."""
    old = await turn.load_conversation()
    if old is not None:
        if old.message_id is not None:
            await turn.remove_keyboard(old.message_id)
        await turn.finish(commit=False)
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


@handler
async def log_from_message_button(turn: Turn) -> None:
    """📝 Log it: read the user's message the pressed one replies to, as /log would have."""
    query = turn.query
    pressed = query.message if query is not None else None
    original = pressed.reply_to_message if isinstance(pressed, Message) else None
    if original is None or original.from_user is None or original.from_user.id != turn.user_id:
        await turn.answer(STALE_BUTTON)
        await turn.drop_keyboard()
        return
    typed = original.text or ""
    # "/lgo guitar 30m": what follows the mistyped command; a plain message is read whole.
    rest = _command_argument(typed) if typed.startswith("/") else typed.strip()
    await turn.answer()
    await turn.drop_keyboard()
    # The same key as a /log sent as that message: a second press saves nothing new.
    data: dict[str, Any] = {"token": f"lg.m{original.message_id}", "mode": "full"}
    await _restart(turn, data, rest)


@handler
async def plain_message(turn: Turn) -> None:
    """Text outside any conversation: offer to log it if it reads as a whole session."""
    message = turn.message
    text = turn.text.strip()
    offer = await _session_offer(turn, text) if message is not None and text else None
    if offer is None:
        await turn.reply(NOT_SURE)
        return
    keyboard = markup([[press("📝 Log it", lg.LogFromMessage()), cancel_button()]])
    await turn.reply(offer, keyboard, quote=message.message_id if message else None)


async def _session_offer(turn: Turn, text: str) -> str | None:
    """ "Log this?" and what would be saved, if the text names a skill and a duration."""
    summaries = await turn.uow.skills.summaries(turn.user_id, include_archived=False)
    order, _ask_order = await _date_order(turn)
    draft = parse_log_command(text, [(s.id, s.name) for s in summaries], turn.today, order)
    skill = next((s for s in summaries if s.id == draft.skill_id), None)
    if skill is None or draft.duration_minutes is None or draft.problems:
        return None
    day = draft.practiced_on or turn.today
    parts = [f"<b>{esc(skill.name)}</b>", format_duration(draft.duration_minutes)]
    parts.append(esc(format_date(day, turn.today)))
    lines = ["📝 Log this as a practice session?", " · ".join(parts)]
    if draft.description:
        lines.append(f"<i>{esc(shorten(draft.description, 80))}</i>")
    return "\n".join(lines)


async def _one_message(turn: Turn, data: dict[str, Any], text: str) -> None:
    """Read "/log react 45m built a todo app"; save it whole, or open at the first gap."""
    summaries = await turn.uow.skills.summaries(turn.user_id)
    order, ask_order = await _date_order(turn)
    draft = parse_log_command(
        text, [(s.id, s.name) for s in summaries], turn.today, order, ask_order=ask_order
    )
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
    elif draft.new_skill_name:
        data["new_name"] = draft.new_skill_name[:64]
        data["new_name_description"] = draft.description_without_name
        problems.append(f"You have no skill called “{draft.new_skill_name[:40]}”.")
    if draft.duration_minutes is not None:
        data["minutes"] = draft.duration_minutes
    if draft.practiced_on is not None:
        data["day"] = draft.practiced_on.isoformat()
    elif not draft.date_given:
        data["day"] = turn.today.isoformat()
    else:
        _offer_dates(
            data,
            draft.date_phrase,
            DateReading(guess=draft.date_guess, choices=draft.date_choices),
            turn.today,
        )
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


async def _typed_date(turn: Turn, data: dict[str, Any], text: str) -> bool:
    """Read a date typed at the date step into ``data``; False when it asks about it instead."""
    order, ask_order = await _date_order(turn)
    reading = read_date(text, turn.today, order, ask_order=ask_order)
    if reading is None:
        # Not shaped like a date: the strict parser raises, saying what can be typed.
        parse_practice_date(text, turn.today, order)
        raise DomainError("I couldn't read that as a date.")
    if reading.problem:
        raise DomainError(reading.problem)
    if reading.day is not None:
        data["day"] = reading.day.isoformat()
        return True
    _offer_dates(data, text, reading, turn.today)
    await _ask(turn, data, "date")
    return False


def _offer_dates(data: dict[str, Any], typed: str, reading: DateReading, today: date) -> None:
    """Remember the dates to offer as buttons for a typo'd or ambiguous phrase, and the question."""
    quoted = f"“{esc(typed[:40])}”"
    if reading.guess is not None:
        data["date_options"] = [[reading.guess.isoformat(), None]]
        data["date_question"] = f"Did you mean {esc(format_date(reading.guess, today))}? ({quoted})"
    elif reading.choices:
        data["date_options"] = [[day.isoformat(), order] for order, day in reading.choices]
        labels = " or ".join(esc(format_date(day, today)) for _, day in reading.choices)
        data["date_question"] = f"Did you mean {labels}? ({quoted}) I'll remember your answer."


async def _date_order(turn: Turn) -> tuple[DateOrder, bool]:
    """How this user writes numeric dates, and whether an ambiguous one should be asked about."""
    order, chosen = await date_order(turn.uow, turn.user_id)
    return order, not chosen


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
    if answered == "skill":
        data.pop("new_name", None)
        data.pop("new_name_description", None)
    if answered == "date":
        data.pop("date_options", None)
        data.pop("date_question", None)
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


async def _screen(turn: Turn, data: dict[str, Any], step: str) -> tuple[str, InlineKeyboardMarkup]:
    """The text and keyboard of a step, headed by what has been chosen so far."""
    lines = [HEADER, *_summary(data, turn.today), "", QUESTIONS.get(step, "")]
    if data.get("skill_id") is not None and step != "skill":
        focus = await next_focus(turn.uow, turn.user_id, int(data["skill_id"]))
        if focus:
            lines.insert(-2, next_focus_line(focus))
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
            [press("📤 Unarchive and continue", lg.LogUnarchive())],
            [press("Pick another skill", lg.LogPickAnother()), cancel_button()],
        ]
        return "\n".join(lines), markup(rows)
    if step == "duration":
        rows = grid([press(f"{m} min", lg.LogDuration(m)) for m in DURATIONS], 3)
    elif step == "date":
        rows = [[press("Today", lg.LogDay(0)), press("Yesterday", lg.LogDay(1))]]
        options = data.get("date_options") or []
        if options:
            lines.insert(-1, data.get("date_question", ""))
            offered = [
                press(format_date(date.fromisoformat(day), turn.today), lg.LogDateOption(i))
                for i, (day, _order) in enumerate(options)
            ]
            rows.insert(0, offered)
    elif step == "description":
        keep = press("Keep it as is", lg.LogKeepDescription())
        rows = [[keep]] if data.get("description") else []
        if data.get("skill_name") is not None and data.get("minutes") is not None:
            auto = quick_description(str(data["skill_name"]), int(data["minutes"]))
            lines.append(f"Or Skip to save it as <i>{esc(auto)}</i>.")
            rows.append([press("Skip", lg.LogSkipDescription())])
    elif step == "rate":
        rows = [[press("⭐ Rate it", lg.LogRateIt()), press("Skip", lg.LogSkipRating())]]
    elif step in ("difficulty", "confidence"):
        rows = [
            [press(str(n), lg.LogRate(n)) for n in range(1, 6)],
            [press("Skip", lg.LogSkipRating())],
        ]
    else:  # new_skill
        rows = []
    return "\n".join(lines), markup([*rows, [press(BUTTON_BACK, lg.LogBack()), cancel_button()]])


def _skill_rows(summaries: list[SkillSummary], data: dict[str, Any]) -> list[list[Button]]:
    """Skill buttons, candidates of an ambiguous name first, paged; then ➕ New skill."""
    wanted = [int(i) for i in data.get("candidates", [])]
    ordered = sorted(summaries, key=lambda s: s.id not in wanted)  # stable: recency kept
    pages = max(1, -(-len(ordered) // SKILLS_PER_PAGE))
    page = min(max(int(data.get("page", 0)), 0), pages - 1)
    shown = ordered[page * SKILLS_PER_PAGE : (page + 1) * SKILLS_PER_PAGE]
    rows = grid([press(s.name, lg.LogPickSkill(s.id)) for s in shown], 2)
    nav = []
    if page > 0:
        nav.append(press("◀", lg.LogSkillPage(page - 1)))
    if page < pages - 1:
        nav.append(press("▶", lg.LogSkillPage(page + 1)))
    if nav:
        rows.append(nav)
    typed = data.get("new_name")
    if typed:
        label = typed if len(typed) <= 30 else typed[:29] + "…"
        rows.append([press(f"➕ Create {label}", lg.LogCreateTyped())])
    rows.append([press("➕ New skill", lg.LogNewSkill())])
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
        logged = await log_session(turn.uow, turn.user_id, turn.today, draft)
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
    saved, extras = logged.saved, logged.extras
    attached = await _attach_carried(turn, data, saved.log.id)
    if data.get("album"):
        # The album's files still to come follow the first to this session.
        await route_album(turn.uow, turn.user_id, str(data["album"]), {"s": saved.log.id}, turn.now)
        attached = "the album's files"
    turn.if_unshown(
        session_unshown(
            "✅ Saved" if saved.created else "✅ Already saved",
            saved.skill_name,
            saved.log.duration_minutes,
        )
    )
    step_message = turn.conversation.message_id if turn.conversation else None
    if turn.conversation is not None:
        # After the save's commit: a retry before this lands re-saves idempotently (its token).
        await turn.finish()
    if step_message is not None:
        # The card arrives as a new message; the finished step message goes, so a late second
        # press on it can only meet "expired", never strip the card's buttons.
        await _delete_message(turn, step_message)
    heading = "✅ Saved" if saved.created else "✅ Already saved"
    text = session_card(saved.log, saved.skill_name, turn.today, heading=heading, extra=extras)
    if attached:
        text += f"\n📎 {attached[:1].upper()}{attached[1:]} attached."
    # Evidence sent before this session was logged is one tap from being attached to it.
    waiting = await pending_items(turn.uow, turn.user_id, turn.now)
    attach = attach_pending_label([item.kind for item in waiting]) if waiting else None
    await turn.answer("Saved" if saved.created else "Already saved")
    await turn.reply(
        text,
        session_card_keyboard(saved.log.id, attach_label=attach, again_skill_id=saved.log.skill_id),
    )


async def _attach_carried(turn: Turn, data: dict[str, Any], log_id: int) -> str:
    """Attach what the /log carried (a captioned photo) to the saved session; what it was."""
    items = [Pending.from_json(item) for item in data.get("attach", [])]
    target = await session_target(turn.uow, turn.user_id, log_id) if items else None
    if target is None:
        return ""
    result = await attach(turn.uow, turn.user_id, target, items, turn.now)
    return count_phrase([*result.saved, *result.already_there])


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
    except (NetworkError, RetryAfter) as exc:
        # Tidying up: the card that follows matters more than the old step message.
        log.warning("could not delete a finished step message: %r", exc)
