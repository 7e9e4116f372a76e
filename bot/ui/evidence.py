"""Pure renderers of evidence screens: lists grouped by session, item lines and their buttons.

Everything user-supplied is HTML-escaped. Lists are paged by item count, and every variable part
of a line is capped, so a page always fits Telegram's 4096-character message limit.
History's session detail view can reuse render_session_evidence() and evidence_buttons().
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import partial

from telegram import InlineKeyboardMarkup

from bot.domain.dates import format_date
from bot.domain.evidence import (
    EvidenceEntry,
    EvidenceKind,
    SkillEvidenceCount,
    photo_file_name,
)
from bot.domain.history import SessionRow
from bot.ui import callbacks as ev
from bot.ui.keyboards import Button, cancel_button, grid, markup, page_buttons, press
from bot.ui.paging import list_page, page_count
from bot.ui.texts import BUTTON_CANCEL, esc, minutes

PREFIX = ev.EVIDENCE
PAGE_SIZE = 8
PICKER_PAGE_SIZE = 8
NOTE_PREVIEW = 280
ABOUT_PREVIEW = 80  # a caption or a forwarded post's text, beside its link or file
SOURCE_LABEL = 32
LINK_LABEL = 70
FILE_LABEL = 60
DESCRIPTION_LABEL = 60
SKILL_LABEL = 28
BUTTON_COLUMNS = 4
EARLIER_LATER = ("◀ Earlier", "Later ▶")

_NOUNS = {
    EvidenceKind.LINK: ("link", "links"),
    EvidenceKind.NOTE: ("note", "notes"),
    EvidenceKind.SCREENSHOT: ("screenshot", "screenshots"),
    EvidenceKind.VOICE: ("voice message", "voice messages"),
    EvidenceKind.AUDIO: ("audio file", "audio files"),
    EvidenceKind.VIDEO: ("video", "videos"),
    EvidenceKind.VIDEO_NOTE: ("video note", "video notes"),
    EvidenceKind.DOCUMENT: ("document", "documents"),
}
#: The icon of each kind of file in lists and on its "show again" button.
FILE_ICONS = {
    EvidenceKind.SCREENSHOT: "🖼",
    EvidenceKind.VOICE: "🎙",
    EvidenceKind.AUDIO: "🎵",
    EvidenceKind.VIDEO: "🎬",
    EvidenceKind.VIDEO_NOTE: "📹",
    EvidenceKind.DOCUMENT: "📄",
}
# On a button, plain words: a screenshot is what the user sent as a photo.
_BUTTON_NOUNS = {**_NOUNS, EvidenceKind.SCREENSHOT: ("photo", "photos")}


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def session_label(session: SessionRow, today: date) -> str:
    """'React · today · 45 min' (plain text: escape it for HTML)."""
    return (
        f"{shorten(session.skill_name, SKILL_LABEL)} · "
        f"{format_date(session.practiced_on, today)} · {minutes(session.duration_minutes)}"
    )


def where_label(session: SessionRow | None, skill_name: str, today: date) -> str:
    """Where evidence is attached: a session label, or 'React (skill)'."""
    if session is not None:
        return session_label(session, today)
    return f"{shorten(skill_name, SKILL_LABEL)} (skill)"


def count_phrase(
    kinds: Sequence[EvidenceKind], nouns: Mapping[EvidenceKind, tuple[str, str]] = _NOUNS
) -> str:
    """'2 links, 1 note and 1 screenshot' in a fixed kind order."""
    counts = Counter(kinds)
    parts = [
        f"{counts[kind]} {nouns[kind][0] if counts[kind] == 1 else nouns[kind][1]}"
        for kind in EvidenceKind
        if counts[kind]
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def file_size_label(size: int | None) -> str:
    """'812 B', '120 KB', '3.4 MB'."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def is_sent_as_photo(entry: EvidenceEntry) -> bool:
    """Whether the screenshot arrived as a photo (re-send with sendPhoto) or as a file."""
    return bool(entry.file_unique_id) and entry.file_name == photo_file_name(
        entry.file_unique_id or ""
    )


def note_is_cut(entry: EvidenceEntry) -> bool:
    """Whether the list shows only the start of this note."""
    return entry.kind == EvidenceKind.NOTE and len(" ".join((entry.note or "").split())) > (
        NOTE_PREVIEW
    )


def _link_text(url: str) -> str:
    bare = url.split("://", 1)[-1]
    return shorten(bare.removesuffix("/") or bare, LINK_LABEL)


def _about(entry: EvidenceEntry) -> str:
    """What was said about a link or a file (its caption), and where a forward came from."""
    parts = []
    if entry.kind != EvidenceKind.NOTE and entry.note:
        parts.append(f" — <i>{esc(shorten(entry.note, ABOUT_PREVIEW))}</i>")
    if entry.source:
        parts.append(f" ↪ {esc(shorten(entry.source, SOURCE_LABEL))}")
    return "".join(parts)


def item_body(entry: EvidenceEntry) -> str:
    """One item as HTML, without its number: a clickable link, a note preview, or a file."""
    if entry.kind == EvidenceKind.LINK:
        url = entry.url or ""
        link = f'🔗 <a href="{html.escape(url, quote=True)}">{esc(_link_text(url))}</a>'
        return link + _about(entry)
    if entry.kind == EvidenceKind.NOTE:
        return f"📝 {esc(shorten(entry.note or '', NOTE_PREVIEW))}" + _about(entry)
    details = [esc(shorten(entry.file_name or "screenshot", FILE_LABEL))]
    if entry.duration_seconds is not None:
        details.append(duration_label(entry.duration_seconds))
    if entry.width and entry.height:
        details.append(f"{entry.width}×{entry.height}")
    if entry.file_size is not None:
        details.append(file_size_label(entry.file_size))
    return f"{file_icon(entry.kind)} " + " · ".join(details) + _about(entry)


def file_icon(kind: str) -> str:
    """The icon of a kind of file (🖼 for anything unknown)."""
    try:
        return FILE_ICONS.get(EvidenceKind(kind), "🖼")
    except ValueError:
        return "🖼"


def duration_label(seconds: int) -> str:
    """'0:07', '3:25', '1:02:09': a recording's length."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes_part, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes_part:02d}:{secs:02d}"
    return f"{minutes_part}:{secs:02d}"


def render_session_evidence(entries: Sequence[EvidenceEntry], *, start: int = 1) -> str:
    """A session's evidence as numbered lines (numbers match evidence_buttons())."""
    return "\n".join(f"{n}. {item_body(e)}" for n, e in enumerate(entries, start))


def evidence_buttons(
    entries: Sequence[EvidenceEntry], *, start: int, origin: str, page: int
) -> list[list[Button]]:
    """Per-item buttons: show a file again, read a whole note, delete (with confirmation).

    An item's buttons stay together in one row; rows hold up to BUTTON_COLUMNS buttons.
    """
    rows: list[list[Button]] = []
    for n, entry in enumerate(entries, start):
        group: list[Button] = []
        if entry.kind not in (EvidenceKind.LINK, EvidenceKind.NOTE):
            group.append(press(f"{file_icon(entry.kind)} {n}", ev.EvidenceResend(entry.id)))
        elif note_is_cut(entry):
            group.append(press(f"📖 {n}", ev.EvidenceShowNote(entry.id)))
        group.append(press(f"🗑 {n}", ev.EvidenceDelete(entry.id, origin, page)))
        if rows and len(rows[-1]) + len(group) <= BUTTON_COLUMNS:
            rows[-1].extend(group)
        else:
            rows.append(group)
    return rows


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _session_header(session: SessionRow, today: date) -> str:
    return (
        f"📅 <b>{esc(_capitalised(format_date(session.practiced_on, today)))} · "
        f"{minutes(session.duration_minutes)}</b> — "
        f"<i>{esc(shorten(session.description, DESCRIPTION_LABEL))}</i>"
    )


def _first_number(page: int) -> int:
    """The number of a page's first item: numbers run on across pages."""
    return page * PAGE_SIZE + 1


def _items_page(
    lines: list[str],
    entries: Sequence[EvidenceEntry],
    *,
    page: int,
    total: int,
    origin: str,
    to_page: Callable[[int], ev.CallbackData],
    footer: list[Button],
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of a list of items: `lines` (the page number added to the first), the items'
    buttons, the page arrows, then the footer row."""
    pages = page_count(total, PAGE_SIZE)
    if pages > 1:
        lines = [f"{lines[0]} · page {page + 1}/{pages}", *lines[1:]]
    rows = evidence_buttons(entries, start=_first_number(page), origin=origin, page=page)
    if nav := page_buttons(page, pages, to_page, labels=EARLIER_LATER):
        rows.append(nav)
    rows.append(footer)
    return "\n".join(lines), markup(rows)


def skill_evidence_screen(
    skill_id: int,
    skill_name: str,
    entries: Sequence[EvidenceEntry],
    *,
    page: int,
    total: int,
    today: date,
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of a skill's evidence: skill-level group first, then sessions chronologically."""
    lines = [f"<b>Evidence for {esc(skill_name)}</b> — {total} item{'s' if total != 1 else ''}"]
    if not entries:
        lines.append(
            "\nNothing here yet. Send me a link or a screenshot, or /note with text, and "
            "I'll ask where to attach it — or tap ➕ Add."
        )
    group: object = None
    for n, entry in enumerate(entries, _first_number(page)):
        key = entry.session.id if entry.session else "skill"
        if key != group:
            group = key
            lines.append("")
            lines.append(
                _session_header(entry.session, today)
                if entry.session
                else "📚 <b>For the skill as a whole</b>"
            )
        lines.append(f"{n}. {item_body(entry)}")
    footer = [
        press("➕ Add", ev.EvidenceAddToSkill(skill_id)),
        press("« Skills", ev.EvidenceSkills(0)),
        press("✖ Close", ev.EvidenceClose()),
    ]
    return _items_page(
        lines,
        entries,
        page=page,
        total=total,
        origin=ev.FROM_LIST,
        to_page=partial(ev.EvidenceOfSkill, skill_id),
        footer=footer,
    )


def session_evidence_screen(
    session: SessionRow,
    entries: Sequence[EvidenceEntry],
    *,
    page: int,
    total: int,
    today: date,
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of one session's evidence with its buttons."""
    lines = [
        f"<b>Evidence for {esc(session_label(session, today))}</b>",
        f"<i>{esc(shorten(session.description, DESCRIPTION_LABEL))}</i>",
        "",
        render_session_evidence(entries, start=_first_number(page))
        if entries
        else "No evidence yet. Tap ➕ Add to attach a link, a note or a screenshot.",
    ]
    footer = [
        press("➕ Add", ev.EvidenceAddToSession(session.id)),
        press(
            f"📂 All {shorten(session.skill_name, SKILL_LABEL)}",
            ev.EvidenceOfSkill(session.skill_id, 0),
        ),
        press("✖ Close", ev.EvidenceClose()),
    ]
    return _items_page(
        lines,
        entries,
        page=page,
        total=total,
        origin=ev.FROM_SESSION,
        to_page=partial(ev.EvidenceOfSession, session.id),
        footer=footer,
    )


def skill_picker_screen(
    skills: Sequence[SkillEvidenceCount], page: int, *, intro: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """Which skill's evidence to show; skills without evidence are not listed."""
    if not skills:
        text = (
            f"{intro}You have no evidence yet. Send me a link or a screenshot at any time, or "
            "<code>/note what you learned</code>, and I'll ask which session to attach it to."
        )
        return text, markup([[press("✖ Close", ev.EvidenceClose())]])
    shown = list_page(skills, page, PICKER_PAGE_SIZE)
    text = f"{intro}<b>Evidence</b> — which skill?{shown.counter()}"
    rows = [
        [press(f"{shorten(s.name, SKILL_LABEL)} · {s.count}", ev.EvidenceOfSkill(s.skill_id, 0))]
        for s in shown.items
    ]
    if nav := page_buttons(shown.page, shown.pages, ev.EvidenceSkills):
        rows.append(nav)
    rows.append([press("✖ Close", ev.EvidenceClose())])
    return text, markup(rows)


def target_screen(
    kinds: Sequence[EvidenceKind],
    problems: Sequence[str],
    sessions: Sequence[SessionRow],
    skills: Sequence[tuple[int, str]],
    today: date,
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask where to attach pending evidence: newest session first, then skills, or Cancel."""
    them = "it" if len(kinds) == 1 else "them"
    lines = [f"📎 <b>{count_phrase(kinds)}</b> — where should I attach {them}?"]
    lines.extend(problem_lines(problems))
    if sessions:
        lines.append(
            "\nYour most recent session is first. Or attach to a skill as a whole. "
            "You can also send more links or screenshots to add them to this batch."
        )
    else:
        lines.append("\nYou have no sessions yet, so pick a skill.")
    rows: list[list[Button]] = [
        [press(session_label(s, today), ev.EvidenceTarget(ev.TO_SESSION, s.id))] for s in sessions
    ]
    rows.extend(
        grid(
            [
                press(
                    f"📚 {shorten(name, SKILL_LABEL)} (skill)",
                    ev.EvidenceTarget(ev.TO_SKILL, skill_id),
                )
                for skill_id, name in skills
            ],
            2,
        )
    )
    rows.append([press(BUTTON_CANCEL, ev.EvidenceDropBatch())])
    return "\n".join(lines), markup(rows)


def attach_pending_label(kinds: Sequence[EvidenceKind]) -> str:
    """'📎 Attach the 2 photos here': the card's one tap for the evidence waiting for a place."""
    phrase = count_phrase(kinds, _BUTTON_NOUNS)
    return f"📎 Attach the {phrase} here"


def problem_lines(problems: Sequence[str]) -> list[str]:
    """Escaped 'Skipped …' lines, each on its own line after a blank one."""
    return [f"\n⚠️ {esc(p)}" for p in problems]


def add_prompt(where: str, mode: str) -> tuple[str, InlineKeyboardMarkup]:
    """The 'Add evidence' step: what to send for the chosen kind, with kind buttons."""
    asks = {
        "any": "Send a link, a screenshot or photo, a recording (voice, audio, video), a "
        "document, or type a note.",
        "link": "Send the link (or forward a message that has it).",
        "note": "Type the note (up to 2,000 characters). Links in it stay part of the note.",
        "shot": "Send the screenshot as a photo or an image file.",
    }
    text = f"📎 <b>Add evidence</b> to <b>{esc(where)}</b>\n\n{asks[mode]}"
    kinds = [
        press("🔗 Link", ev.EvidenceMode("link")),
        press("📝 Note", ev.EvidenceMode("note")),
        press("🖼 Screenshot", ev.EvidenceMode("shot")),
    ]
    return text, markup([kinds, [cancel_button()]])


def saved_screen(
    where: str,
    saved: Sequence[EvidenceKind],
    already_there: Sequence[EvidenceKind],
    *,
    view: Button,
    add_more: Button,
    album: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The confirmation after attaching, with buttons to see it or add more.

    For an album (whose other files follow quietly) it speaks of the album, not a count."""
    lines = []
    if saved and album:
        lines.append(f"📎 Saved the album to <b>{esc(where)}</b>.")
    elif saved:
        lines.append(f"📎 Saved {count_phrase(saved)} to <b>{esc(where)}</b>.")
    if already_there:
        verb = "was" if len(already_there) == 1 else "were"
        lines.append(
            f"{_capitalised(count_phrase(already_there))} {verb} already attached to "
            f"<b>{esc(where)}</b>, so I skipped {'it' if len(already_there) == 1 else 'them'}."
        )
    return "\n".join(lines), markup([[view, add_more]])


def delete_confirm_screen(
    entry: EvidenceEntry, where: str, *, confirm: Button, keep: Button
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask before deleting one piece of evidence."""
    text = (
        f"Delete this {esc(entry.kind)} from <b>{esc(where)}</b>?\n\n{item_body(entry)}\n\n"
        "This can't be undone."
    )
    return text, markup([[confirm, keep]])
