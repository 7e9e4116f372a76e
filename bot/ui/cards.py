"""The saved-entry card: how one practice session is shown after it is saved (pure renderers).

Callback prefixes on the card, and who handles them:
- 📎 Add evidence (EvidenceAddToSession, "ev", bot/handlers/evidence);
- ✏️ Edit and 🗑 Delete (HistoryEditMenu / HistoryDelete, "hs", bot/handlers/history.py);
- ➕ Log another (LogAnother, "lgn", bot/handlers/log.py);
- ▶️ Start timer (TimerAgain, "tm", bot/handlers/timer.py), when the caller passes the skill.
The Quick Log card's [📝 Add note] [↩️ Undo] are built by bot.ui.quick_log.quick_card_keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from telegram import InlineKeyboardMarkup

from bot.domain.dates import format_date
from bot.ui import callbacks as cb
from bot.ui.keyboards import markup, press
from bot.ui.texts import esc, minutes

BUTTON_ADD_EVIDENCE = "📎 Add evidence"
BUTTON_EDIT = "✏️ Edit"
BUTTON_DELETE = "🗑 Delete"
BUTTON_LOG_ANOTHER = "➕ Log another"
BUTTON_START_TIMER = "▶️ Start timer"


class CardSession(Protocol):
    """What a card shows of a session (a saved row, or a history row)."""

    @property
    def practiced_on(self) -> date: ...
    @property
    def duration_minutes(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def difficulty(self) -> int | None: ...
    @property
    def confidence(self) -> int | None: ...


def ratings_line(difficulty: int | None, confidence: int | None) -> str | None:
    """'Difficulty 3/5 · Confidence 4/5' (either part only when given), or None."""
    parts = []
    if difficulty is not None:
        parts.append(f"Difficulty {difficulty}/5")
    if confidence is not None:
        parts.append(f"Confidence {confidence}/5")
    return " · ".join(parts) or None


def session_card(
    log: CardSession,
    skill_name: str,
    today: date,
    *,
    heading: str = "✅ Saved",
    extra: Sequence[str] = (),
) -> str:
    """The card text: skill, duration, date, description, ratings, then `extra` lines (HTML).

    `extra` lines are already HTML (see bot.services.card_extras); everything else is escaped.
    """
    lines = [
        f"{heading}: <b>{esc(skill_name)}</b> — {minutes(log.duration_minutes)}, "
        f"{esc(format_date(log.practiced_on, today))}",
        f"<i>{esc(log.description)}</i>",
    ]
    ratings = ratings_line(log.difficulty, log.confidence)
    if ratings:
        lines.append(ratings)
    if extra:
        lines.append("")
        lines.extend(extra)
    return "\n".join(lines)


def session_card_keyboard(
    log_id: int, *, attach_label: str | None = None, again_skill_id: int | None = None
) -> InlineKeyboardMarkup:
    """[📎 Add evidence] [➕ Log another] / [✏️ Edit] [🗑 Delete] for a saved session.

    With `attach_label` (evidence is waiting for a place), a first row attaches it here; with
    `again_skill_id`, a last row [▶️ Start timer] starts a timer for that skill again.
    """
    attach = [[press(attach_label, cb.EvidenceAttachPending(log_id))]] if attach_label else []
    rows = [
        *attach,
        [
            press(BUTTON_ADD_EVIDENCE, cb.EvidenceAddToSession(log_id)),
            press(BUTTON_LOG_ANOTHER, cb.LogAnother()),
        ],
        [
            press(BUTTON_EDIT, cb.HistoryEditMenu(log_id)),
            press(BUTTON_DELETE, cb.HistoryDelete(log_id)),
        ],
    ]
    if again_skill_id is not None:
        rows.append([press(BUTTON_START_TIMER, cb.TimerAgain(again_skill_id))])
    return markup(rows)
