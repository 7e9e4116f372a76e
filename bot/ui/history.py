"""Pure renderers of the /history screens, and the list context their buttons carry.

Callback data (prefix "hs"; everything is re-checked when pressed):
- p:<mode>:<ctx>   a page: mode "a" at/older than the anchor (anchor 0:0 = newest page),
                   "o" older than it, "n" newer than it
- v:<log>:<ctx>    a session's detail          - sk:<page>:<ctx>  the skill filter picker
- edit:<log>[:<ctx>] the edit menu             - ef:<log>:<field>[:<ctx>] ask a field's value
- set:<log>:<field>:<value>[:<ctx>] a value button (date: days back; rating 0: clear)
- del:<log>[:<ctx>]  delete confirmation       - dy:<log>[:<ctx>] delete it
- u:<snapshot>     undo a delete               - x               close
<ctx> is four fields: anchor date (ordinal) and id of the page's first row (0:0: the newest
page), skill id (0: all) and the range token: enough to come back to the same page and filter.
The saved-entry card (bot/ui/cards.py) sends edit/del without a context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Final
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.domain.dates import format_date
from bot.domain.evidence import EvidenceEntry
from bot.domain.history import Cursor, HistoryFilter, HistoryTotals, SessionRow
from bot.domain.history_filters import ALL, QUICK_RANGES, RangeSpec
from bot.domain.skills import SkillSummary
from bot.ui import callbacks as hs
from bot.ui.cards import ratings_line
from bot.ui.evidence import render_session_evidence, shorten
from bot.ui.keyboards import Button, cancel_button, grid, markup, press
from bot.ui.log_steps import DURATIONS, QUESTIONS
from bot.ui.paging import list_page
from bot.ui.texts import BUTTON_BACK, esc, minutes, plural

PREFIX: Final = hs.HISTORY
EDIT_PREFIX: Final = "he"
PAGE_SIZE: Final = 10
SKILLS_PER_PAGE: Final = 8
EXCERPT: Final = 70
SKILL_LABEL: Final = 28
DETAIL_EVIDENCE: Final = 8  # evidence items listed on the detail screen; the rest via 📎

AT, OLDER, NEWER = hs.PAGE_AT, hs.PAGE_OLDER, hs.PAGE_NEWER

# Editable fields: callback code -> (LogChanges key, button label). Nothing else is editable.
FIELDS: Final[dict[str, tuple[str, str]]] = {
    "date": ("practiced_on", "📅 Date"),
    "dur": ("duration_minutes", "⏱ Duration"),
    "desc": ("description", "📝 Description"),
    "diff": ("difficulty", "💪 Difficulty"),
    "conf": ("confidence", "🎯 Confidence"),
}
_QUESTION_KEYS: Final = {
    "date": "date",
    "dur": "duration",
    "desc": "description",
    "diff": "difficulty",
    "conf": "confidence",
}
_QUICK_LABELS: Final = ("This week", "This month", "30 days", "All")
_MAX_ORDINAL: Final = date.max.toordinal()


@dataclass(frozen=True, slots=True)
class ListContext:
    """Which list a screen came from: filter (skill, range) and the page's first row."""

    skill_id: int | None = None
    range: RangeSpec = ALL
    anchor: Cursor | None = None

    def place(self) -> hs.ListPlace:
        """The list as a button's place (see the module docstring)."""
        anchor = self.anchor
        return hs.ListPlace(
            anchor.practiced_on.toordinal() if anchor else 0,
            anchor.id if anchor else 0,
            self.skill_id or 0,
            self.range,
        )

    def text(self) -> str:
        """The place's fields joined, to keep in a conversation or a snapshot."""
        return ":".join(self.place().dump_fields())

    def at(self, anchor: Cursor | None) -> ListContext:
        """The same filter at another page."""
        return replace(self, anchor=anchor)

    def history_filter(self, today: date) -> HistoryFilter:
        """The filter as the repository takes it, its range resolved on the user's today."""
        span = self.range.resolve(today)
        return HistoryFilter(self.skill_id, span.start, span.end)


TOP: Final = ListContext()


def context_of(place: hs.ListPlace | None) -> ListContext:
    """The list a button's place names (the newest page of everything if it names none)."""
    if place is None:
        return TOP
    anchor = (
        Cursor(date.fromordinal(place.anchor_day), place.anchor_id) if place.anchor_day else None
    )
    return ListContext(place.skill_id or None, place.range, anchor)


def context_from_text(text: str) -> ListContext:
    """A ListContext.text() read back (from our own rows; TOP if unreadable)."""
    try:
        return context_of(hs.ListPlace.from_fields(text.split(":"))) if text else TOP
    except hs.BadCallback:
        return TOP


def placed(
    label: str, ctx: ListContext, make: Callable[[hs.ListPlace | None], hs.HistoryData]
) -> Button:
    """A button `make` builds with the list's place, as much of it as 64 bytes hold."""
    # Lose the page's anchor first (back goes to the newest page of the filter), then the filter.
    for context in (ctx, ctx.at(None), TOP):
        try:
            return press(label, make(context.place()))
        except ValueError:
            continue
    return press(label, make(None))


# ----- text pieces -----


def session_phrase(skill_name: str, practiced_on: date, duration: int, today: date) -> str:
    """'45 min <b>React</b> session from Fri 20 Nov' (HTML)."""
    return (
        f"{minutes(duration)} <b>{esc(shorten(skill_name, SKILL_LABEL))}</b> session "
        f"from {esc(format_date(practiced_on, today))}"
    )


def evidence_phrase(count: int) -> str:
    """' and its 3 pieces of evidence' ('' for none)."""
    if count == 0:
        return ""
    return f" and its {plural(count, 'piece')} of evidence"


def _title(row: SessionRow, today: date) -> str:
    return (
        f"<b>{esc(shorten(row.skill_name, SKILL_LABEL))}</b> · "
        f"{esc(format_date(row.practiced_on, today))} · {minutes(row.duration_minutes)}"
    )


def _local(moment: datetime, timezone: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.day} {local:%b %Y, %H:%M}"


def current_value(row: SessionRow, field: str, today: date) -> str:
    """A field's current value as text (HTML-escaped)."""
    if field == "date":
        return esc(format_date(row.practiced_on, today))
    if field == "dur":
        return minutes(row.duration_minutes)
    if field == "desc":
        return f"<i>{esc(row.description)}</i>"
    value = row.difficulty if field == "diff" else row.confidence
    return f"{value}/5" if value is not None else "not rated"


# ----- screens -----


def page_screen(
    rows: Sequence[SessionRow],
    totals: HistoryTotals,
    ctx: ListContext,
    *,
    skill_name: str | None,
    has_newer: bool,
    has_older: bool,
    today: date,
    banner: str = "",
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of sessions with its filter, totals, row buttons, paging and filter buttons."""
    what = esc(shorten(skill_name, SKILL_LABEL)) if skill_name else "All skills"
    lines = [
        f"{banner}📖 <b>History</b> — {what} · {esc(ctx.range.describe(today))}",
        f"{plural(totals.sessions, 'session')} · {minutes(totals.minutes)}",
    ]
    if not rows:
        lines.append(
            "\nNo sessions match this filter. Pick another range or skill below."
            if totals.sessions == 0 and (ctx.skill_id or ctx.range != ALL)
            else "\nNo sessions yet. Log one with /log or /quick."
        )
    page_ctx = ctx.at(rows[0].cursor if rows and has_newer else None)
    for n, row in enumerate(rows, 1):
        line = f"\n<b>{n}.</b> {_title(row, today)}"
        ratings = ratings_line(row.difficulty, row.confidence)
        if ratings:
            line += f" · {ratings}"
        if row.evidence:
            line += f" · 📎 {row.evidence}"
        lines.append(line)
        lines.append(f"<i>{esc(shorten(row.description, EXCERPT))}</i>")
    keyboard = grid(
        [
            placed(str(n), page_ctx, partial(hs.HistoryView, row.id))
            for n, row in enumerate(rows, 1)
        ],
        5,
    )
    nav: list[Button] = []
    if rows and has_newer:
        nav.append(placed("◀ Newer", ctx.at(rows[0].cursor), partial(hs.HistoryPage, NEWER)))
    if rows and has_older:
        nav.append(placed("Older ▶", ctx.at(rows[-1].cursor), partial(hs.HistoryPage, OLDER)))
    if nav:
        keyboard.append(nav)
    keyboard.append(
        [
            placed(
                f"• {label}" if spec == ctx.range else label,
                ListContext(ctx.skill_id, spec),
                partial(hs.HistoryPage, AT),
            )
            for label, spec in zip(_QUICK_LABELS, QUICK_RANGES, strict=True)
        ]
    )
    keyboard.append(
        [
            placed(
                f"🎯 {shorten(skill_name, SKILL_LABEL)} ▾" if skill_name else "🎯 Skill ▾",
                page_ctx,
                partial(hs.HistorySkillPicker, 0),
            ),
            press("✖ Close", hs.HistoryClose()),
        ]
    )
    return "\n".join(lines), markup(keyboard)


def detail_screen(
    row: SessionRow,
    evidence: Sequence[EvidenceEntry],
    ctx: ListContext,
    *,
    today: date,
    timezone: str,
    banner: str = "",
) -> tuple[str, InlineKeyboardMarkup]:
    """Every field of a session, its evidence, and [Edit] [Delete] [Evidence] [Back to list]."""
    lines = [
        f"{banner}📖 {_title(row, today)}",
        f"<i>{esc(row.description)}</i>",
        ratings_line(row.difficulty, row.confidence) or "No ratings",
    ]
    added = f"Added {_local(row.created_at, timezone)}"
    if (row.updated_at - row.created_at).total_seconds() >= 1:
        added += f" · edited {_local(row.updated_at, timezone)}"
    lines.append(added)
    lines.append("")
    if row.evidence:
        lines.append(f"📎 <b>Evidence</b> ({row.evidence})")
        lines.append(render_session_evidence(evidence[:DETAIL_EVIDENCE]))
        if row.evidence > DETAIL_EVIDENCE:
            lines.append(f"…and {row.evidence - DETAIL_EVIDENCE} more: tap 📎 Evidence.")
    else:
        lines.append("📎 No evidence yet.")
    keyboard = [
        [
            placed("✏️ Edit", ctx, partial(hs.HistoryEditMenu, row.id)),
            placed("🗑 Delete", ctx, partial(hs.HistoryDelete, row.id)),
        ],
        [
            press(f"📎 Evidence ({row.evidence})", hs.EvidenceOfSession(row.id)),
            placed("« Back to list", ctx, partial(hs.HistoryPage, AT)),
        ],
    ]
    return "\n".join(lines), markup(keyboard)


def edit_menu_screen(
    row: SessionRow, ctx: ListContext, today: date, banner: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """Which field to change; the skill, owner and creation time have no button."""
    text = (
        f"{banner}✏️ <b>Edit</b> {_title(row, today)}\n<i>{esc(shorten(row.description, EXCERPT))}"
        "</i>\n\nWhat do you want to change? (The skill stays: to move a session to another "
        "skill, delete it and log it again.)"
    )
    buttons = [
        placed(label, ctx, partial(hs.HistoryEditField, row.id, code))
        for code, (_, label) in FIELDS.items()
    ]
    keyboard = [
        buttons[:2],
        buttons[2:3],
        buttons[3:],
        [placed("« Back", ctx, partial(hs.HistoryView, row.id))],
    ]
    return text, markup(keyboard)


def field_prompt_screen(
    row: SessionRow, field: str, ctx: ListContext, today: date, problem: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask for a field's new value, with the same buttons and hints as /log.

    Value buttons are "set" presses naming the session, the field and the value, so pressing
    one twice sets the same value twice (no change) instead of meeting a closed step.
    """
    lines = [f"✏️ <b>Edit</b> {_title(row, today)}", ""]
    if problem:
        lines[0:0] = [esc(problem), ""]
    lines.append(QUESTIONS[_QUESTION_KEYS[field]])
    lines.append(f"Now: {current_value(row, field, today)}")

    def value(label: str, raw: int) -> Button:
        return placed(label, ctx, partial(hs.HistorySetValue, row.id, field, raw))

    rows: list[list[Button]] = []
    if field == "date":
        rows = [[value("Today", 0), value("Yesterday", 1)]]
    elif field == "dur":
        rows = grid([value(f"{m} min", m) for m in DURATIONS], 3)
    elif field in ("diff", "conf"):
        rows = [[value(str(n), n) for n in range(1, 6)], [value("🚫 Clear rating", 0)]]
        lines.append("Tap a number, type one, or clear the rating.")
    else:
        lines.append("Send the new description.")
    rows.append([placed(BUTTON_BACK, ctx, partial(hs.HistoryEditMenu, row.id)), cancel_button()])
    return "\n".join(lines), markup(rows)


def delete_confirm_screen(
    row: SessionRow, ctx: ListContext, today: date, undo_minutes: int
) -> tuple[str, InlineKeyboardMarkup]:
    """'Delete this 45 min React session from Fri 20 Nov and its 3 pieces of evidence?'"""
    phrase = session_phrase(row.skill_name, row.practiced_on, row.duration_minutes, today)
    text = (
        f"🗑 Delete this {phrase}{evidence_phrase(row.evidence)}?\n"
        f"<i>{esc(shorten(row.description, EXCERPT))}</i>\n\n"
        f"You can undo it for {undo_minutes} minutes."
    )
    keyboard = [
        [
            placed("🗑 Delete", ctx, partial(hs.HistoryDeleteYes, row.id)),
            placed("Keep", ctx, partial(hs.HistoryView, row.id)),
        ]
    ]
    return text, markup(keyboard)


def deleted_screen(
    phrase: str, snapshot_id: int, ctx: ListContext, undo_minutes: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The message after a delete, with ↩️ Undo for a few minutes."""
    text = f"🗑 Deleted the {phrase}.\nChanged your mind? Undo within {undo_minutes} minutes."
    keyboard = [
        [
            press("↩️ Undo", hs.HistoryUndo(snapshot_id)),
            placed("« Back to list", ctx, partial(hs.HistoryPage, AT)),
        ]
    ]
    return text, markup(keyboard)


def gone_screen(ctx: ListContext, text: str) -> tuple[str, InlineKeyboardMarkup]:
    """A short notice (session gone, undo too late) with the way back to the list."""
    return text, markup([[placed("« Back to list", ctx, partial(hs.HistoryPage, AT))]])


def skill_picker_screen(
    skills: Sequence[SkillSummary], page: int, ctx: ListContext
) -> tuple[str, InlineKeyboardMarkup]:
    """Pick the skill to filter by (archived ones too: their history is still there)."""
    shown = list_page(skills, page, SKILLS_PER_PAGE)
    page, pages = shown.page, shown.pages
    text = "📖 <b>History</b> — which skill?" + shown.counter()
    if not skills:
        text += "\nYou have no skills yet."
    rows = grid(
        [
            placed(
                f"{'• ' if s.id == ctx.skill_id else ''}{shorten(s.name, SKILL_LABEL)} · "
                f"{s.sessions}",
                ListContext(s.id, ctx.range),
                partial(hs.HistoryPage, AT),
            )
            for s in shown.items
        ],
        2,
    )
    nav: list[Button] = []
    if page > 0:
        nav.append(placed("◀", ctx, partial(hs.HistorySkillPicker, page - 1)))
    if page < pages - 1:
        nav.append(placed("▶", ctx, partial(hs.HistorySkillPicker, page + 1)))
    if nav:
        rows.append(nav)
    rows.append(
        [
            placed(
                f"{'• ' if ctx.skill_id is None else ''}All skills",
                ListContext(None, ctx.range),
                partial(hs.HistoryPage, AT),
            ),
            placed("« Back", ctx, partial(hs.HistoryPage, AT)),
        ]
    )
    return text, markup(rows)
