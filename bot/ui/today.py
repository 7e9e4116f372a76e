"""/today: a short ranked list of skills, one reason each, and one-tap Quick Log buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.domain.goal_lines import done_of_target
from bot.domain.skills import SkillRef
from bot.domain.today import Suggestion, Why
from bot.domain.weeks import short_date
from bot.ui import callbacks as ql
from bot.ui.keyboards import markup, press
from bot.ui.quick_log import quick_log_rows
from bot.ui.texts import esc, plural
from bot.ui.timer import start_timer_button

MAX_SUGGESTIONS: Final = 5
NO_SKILLS: Final = (
    "You have no skills yet. Add one with /addskill, then /today suggests what to practise."
)


def _goal_reason(s: Suggestion) -> str:
    goal = s.goal
    assert goal is not None
    left = plural(s.days_left, "day") + " left"
    return f"behind on its goal: {done_of_target(goal, s.done)}, {left}"


def reason(s: Suggestion) -> str:
    """The one-line reason for a suggestion."""
    if s.why is Why.GOAL:
        return _goal_reason(s)
    if s.why is Why.DAILY and s.goal is not None:
        return f"daily minimum: {done_of_target(s.goal, s.done)} today"
    if s.why is Why.RHYTHM and s.days_since is not None and s.usual_gap is not None:
        usual = round(s.usual_gap)
        every = "every day" if usual <= 1 else f"every {usual} days"
        return f"{plural(s.days_since, 'day')} since the last session (usually {every})"
    if s.why is Why.CONFIDENCE and s.confidence is not None:
        return f"recent confidence {s.confidence:.1f}/5: worth another go"
    if s.why is Why.FOCUS and s.next_focus:
        return f"Next: <i>{esc(s.next_focus)}</i>"
    return "on track"


def today_text(suggestions: Sequence[Suggestion], today: date) -> str:
    """The /today message: numbered skills with a reason each."""
    lines = [f"📋 <b>What to practise today</b> ({short_date(today)})", ""]
    urgent = [s for s in suggestions if s.why is not Why.NONE][:MAX_SUGGESTIONS]
    if urgent:
        lines += [f"{i}. <b>{esc(s.name)}</b> — {reason(s)}" for i, s in enumerate(urgent, 1)]
    else:
        lines.append("Nothing is behind: every goal is on track. Anything extra is a bonus!")
    lines += ["", "One tap logs a session for today:"]
    return "\n".join(lines)


def today_keyboard(suggestions: Sequence[Suggestion], nonce: str) -> InlineKeyboardMarkup:
    """Quick Log rows for the top skills (in ranked order), each with ▶️ Start timer, and Close."""
    refs = [SkillRef(s.skill_id, s.name) for s in suggestions[:MAX_SUGGESTIONS]]
    # At most MAX_SUGGESTIONS skills: one page, so each skill row lines up with its ref.
    rows = [
        [*row, start_timer_button(ref.skill_id)]
        for row, ref in zip(quick_log_rows(refs, nonce), refs, strict=True)
    ]
    rows.append([press("✖ Close", ql.QuickClose())])
    return markup(rows)
