"""Quick Log keyboards (pure): skills x 15/30/60 min, Repeat last, and the card after a tap.

Every save button is self-contained: "ql:s:<skill id>:<minutes>:<nonce>". A press saves a
session for *today in the user's time zone at press time*, so the same rows work in /quick and
in a reminder sent days earlier. The nonce is drawn once per keyboard and becomes part of the
session's client_token, so a double tap (or a retried update) saves one session.

Reuse: bot.services.practice.quick_options(uow, user_id) loads the skills and the Repeat
choice; quick_log_rows(...) gives rows you can append your own buttons to (e.g. a reminder's
"Snooze"), then markup(rows). Presses are handled by bot/handlers/quick.py (prefix "ql").
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import partial
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.domain.durations import format_duration
from bot.domain.practice import RepeatChoice
from bot.domain.skills import SkillRef
from bot.ui import callbacks as ql
from bot.ui.cards import BUTTON_START_TIMER
from bot.ui.keyboards import Button, markup, page_buttons, press
from bot.ui.paging import list_page

PREFIX: Final = ql.QUICK
QUICK_MINUTES: Final = (15, 30, 60)
SKILLS_PER_PAGE: Final = 8
LABEL_NAME_CHARS: Final = 16

BUTTON_ADD_NOTE: Final = "📝 Add note"
BUTTON_UNDO: Final = "↩️ Undo"


def new_nonce() -> str:
    """A fresh random nonce for one keyboard (8 URL-safe characters, 48 bits)."""
    return secrets.token_urlsafe(6)


def client_token(nonce: str, skill_id: int, minutes: int) -> str:
    """The idempotency key a save button stores with its session."""
    return f"ql.{nonce}.{skill_id}.{minutes}"


def made_by(token: str | None, nonce: str) -> bool:
    """Whether a session's client_token came from a button with this nonce."""
    return token is not None and token.startswith(f"ql.{nonce}.")


def short_name(name: str, limit: int = LABEL_NAME_CHARS) -> str:
    """A skill name cut to fit a button next to two others."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def save_button(label: str, skill_id: int, minutes: int, nonce: str) -> Button:
    """A button that saves `minutes` of the skill for today."""
    return press(label, ql.QuickSave(skill_id, minutes, nonce))


def quick_log_rows(
    skills: Sequence[SkillRef],
    nonce: str,
    *,
    repeat: RepeatChoice | None = None,
    page: int = 0,
) -> list[list[Button]]:
    """Repeat last (if any), then one row per skill: [Name 15m] [Name 30m] [Name 60m], paged."""
    rows: list[list[Button]] = []
    if repeat is not None:
        name = short_name(repeat.skill_name, 24)
        label = f"🔁 Repeat: {name} · {format_duration(repeat.minutes)}"
        rows.append([save_button(label, repeat.skill_id, repeat.minutes, nonce)])
    shown = list_page(skills, page, SKILLS_PER_PAGE)
    for skill in shown.items:
        name = short_name(skill.name)
        rows.append([save_button(f"{name} {m}m", skill.skill_id, m, nonce) for m in QUICK_MINUTES])
    to_page = partial(ql.QuickPage, nonce=nonce)
    if nav := page_buttons(shown.page, shown.pages, to_page, labels=("◀ More", "More ▶")):
        rows.append(nav)
    return rows


# Opens the timer's skill picker (bot/handlers/timer.py); also under reminder nudges.
START_TIMER_BUTTON: Final = press(BUTTON_START_TIMER, ql.TimerPick())


def quick_log_keyboard(
    skills: Sequence[SkillRef],
    nonce: str,
    *,
    repeat: RepeatChoice | None = None,
    page: int = 0,
) -> InlineKeyboardMarkup:
    """The /quick keyboard: quick_log_rows, then ▶️ Start timer and Close."""
    rows = quick_log_rows(skills, nonce, repeat=repeat, page=page)
    rows.append([START_TIMER_BUTTON, press("✖ Close", ql.QuickClose())])
    return markup(rows)


def quick_card_keyboard(
    log_id: int, nonce: str, *, attach_label: str | None = None
) -> InlineKeyboardMarkup:
    """[📝 Add note] [↩️ Undo] under a session saved by a Quick Log tap.

    With `attach_label` (evidence is waiting for a place), a first row attaches it here."""
    attach = [[press(attach_label, ql.EvidenceAttachPending(log_id))]] if attach_label else []
    return markup(
        [
            *attach,
            [
                press(BUTTON_ADD_NOTE, ql.QuickNote(log_id)),
                press(BUTTON_UNDO, ql.QuickUndo(log_id, nonce)),
            ],
        ]
    )
