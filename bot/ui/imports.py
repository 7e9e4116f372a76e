"""Texts of the /import conversation: the prompt, the preview, progress and the summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.domain.dates import DateOrder
from bot.domain.import_format import (
    ACCEPTED_FORMATS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportKind,
    RowError,
)
from bot.domain.import_format.model import (
    ColumnField,
    ColumnInfo,
    DateReading,
    ImportFile,
    ImportPlan,
    ImportResult,
)
from bot.ui import callbacks as imp
from bot.ui.keyboards import Button, cancel_button, grid, markup, press
from bot.ui.texts import BUTTON_BACK, esc, minutes, plural

# Telegram allows 4096 characters; the source is measured (tags included), so this is safe.
MAX_TEXT: Final = 3900
SHOWN_ERRORS: Final = 20
SHOWN_SKILLS: Final = 10
MAX_REASON: Final = 300
MAX_FILE_NAME: Final = 64

LIMITS: Final = (
    f"Up to {MAX_IMPORT_BYTES // (1024 * 1024)} MB and {MAX_IMPORT_ROWS:,} rows per file."
)
PROMPT: Final = (
    "📥 <b>Import practice history</b>\n\n"
    "Send me the file as a document (📎 → File). " + esc(ACCEPTED_FORMATS) + "\n\n" + LIMITS + " "
    "You'll see a preview before anything is saved."
)
WAITING: Final = (
    "I'm waiting for the file to import: send it as a document (📎 → File), or tap ✖ Cancel. "
    + LIMITS
)
PHOTO_INSTEAD: Final = (
    "That's a photo, and I import spreadsheets and exports. Send the CSV, XLSX or JSON file "
    "as a document (📎 → File), or tap ✖ Cancel."
)
CONFIRM_WAITING: Final = (
    "Tap <b>Import</b> on the preview above to save the sessions, or ✖ Cancel. "
    "You can also send a different file."
)
RETRY: Final = "Send another file, or tap ✖ Cancel."
OUTSIDE_HINT: Final = (
    "To import <b>{name}</b>, send /import and then the file — or send it again with the "
    "caption <code>/import</code>. Screenshots for evidence go as photos or images."
)
NOT_ACCEPTED: Final = (
    "I can't use <b>{name}</b>. I accept screenshots as evidence (send them as photos or "
    "image files), and spreadsheets or exports to import with /import (CSV, XLSX or JSON). "
    "/help lists what I can do."
)

KIND_LABELS: Final[dict[ImportKind, str]] = {
    "practice-tracker-json": "a practice-tracker export (JSON)",
    "practice-tracker-csv": "a practice-tracker export (CSV)",
    "spreadsheet-csv": "a spreadsheet (CSV)",
    "spreadsheet-xlsx": "a spreadsheet (XLSX)",
    "toggl-csv": "a Toggl Track export (CSV)",
    "clockify-csv": "a Clockify detailed report (CSV)",
    "loop-csv": "a Loop Habit Tracker export",
}
FIELD_LABELS: Final[dict[ColumnField, str]] = {
    "date": "date",
    "skill": "skill",
    "minutes": "minutes",
    "hours": "hours",
    "description": "description",
    "difficulty": "difficulty",
    "confidence": "confidence",
}
# The wire codes of bot/ui/callbacks/imports.py; "off" (ignore the column) is None.
FIELD_BY_CODE: Final[dict[str, ColumnField | None]] = {
    "date": "date",
    "skill": "skill",
    "min": "minutes",
    "hrs": "hours",
    "desc": "description",
    "diff": "difficulty",
    "conf": "confidence",
    "off": None,
}
ORDER_BY_CODE: Final[dict[str, DateOrder]] = {"d": "day_first", "m": "month_first"}
SHOWN_COLUMNS: Final = 12
MAX_HEADER: Final = 28
MAX_SAMPLE: Final = 24
REQUIRED_LABELS: Final = {"date": "date", "skill": "skill", "duration": "minutes or hours"}
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def file_label(name: str) -> str:
    """The escaped, bounded file name in bold."""
    return f"<b>{esc(shorten(name, MAX_FILE_NAME))}</b>"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(esc(name) for name in names[:SHOWN_SKILLS])
    rest = len(names) - SHOWN_SKILLS
    return f"{shown} and {rest} more" if rest > 0 else shown


def error_line(error: RowError, kind: ImportKind) -> str:
    """'• Row 7: Missing date.' (sessions of a JSON export are numbered as sessions)."""
    reason = esc(shorten(error.reason, MAX_REASON))
    if error.reason.startswith("Evidence item"):
        return f"• {reason}"
    where = "Session" if kind == "practice-tracker-json" else "Row"
    return f"• {where} {error.row_number}: {reason}"


def import_button_label(plan: ImportPlan) -> str:
    """[📥 Import 12 sessions] (or skills, or evidence, when there are no new sessions)."""
    if plan.sessions:
        what = plural(len(plan.sessions), "session")
    elif plan.new_skills:
        what = plural(len(plan.new_skills), "skill")
    else:
        what = plural(len(plan.skill_evidence), "piece") + " of evidence"
    return f"📥 Import {what}"


def _errors_block(errors: Sequence[RowError], kind: ImportKind, room: int) -> list[str]:
    """The first invalid rows that fit in `room` characters, and a count of the rest."""
    if not errors:
        return []
    lines = ["", f"⚠️ <b>{plural(len(errors), 'row')} can't be imported:</b>"]
    used = sum(len(line) + 1 for line in lines) + 40  # room kept for the "…and N more" line
    shown = 0
    for error in errors[:SHOWN_ERRORS]:
        line = error_line(error, kind)
        if used + len(line) + 1 > room:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    if len(errors) > shown:
        lines.append(f"…and {len(errors) - shown} more.")
    return lines


def _quoted(text: str, limit: int) -> str:
    return f"“{esc(shorten(text, limit))}”"


def column_line(column: ColumnInfo) -> str:
    """'• description ← “What I worked on” (Scales in G…, Barre chords…)'."""
    samples = ", ".join(esc(shorten(value, MAX_SAMPLE)) for value in column.samples)
    example = f" ({samples})" if samples else ""
    header = _quoted(column.header, MAX_HEADER)
    if column.field is None:
        return f"• ignored: {header}{example}"
    guess = " (its long text)" if column.by_content else ""
    return f"• <b>{FIELD_LABELS[column.field]}</b> ← {header}{guess}{example}"


def columns_block(imported: ImportFile) -> list[str]:
    """How each column was understood, with its first values; and what no column gives."""
    if not imported.columns:
        return []
    lines = ["", "<b>Columns:</b>"]
    lines += [column_line(column) for column in imported.columns[:SHOWN_COLUMNS]]
    rest = len(imported.columns) - SHOWN_COLUMNS
    if rest > 0:
        lines.append(f"…and {plural(rest, 'more column')}.")
    for key in imported.missing:
        lines.append(
            f"⚠️ No column is read as the {REQUIRED_LABELS.get(key, key)} yet: tap "
            "🔀 Change columns and choose one."
        )
    return lines


def _spelled(order: DateOrder, example: str) -> str:
    """'3 Apr' or 'Mar 4': how an ambiguous date reads in one order."""
    parts = [int(part) for part in example.replace(".", "/").replace("-", "/").split("/")[:2]]
    first, second = parts[0], parts[1]
    day_number, month = (first, second) if order == "day_first" else (second, first)
    if not 1 <= month <= 12:
        return example
    name = MONTHS[month - 1]
    return f"{day_number} {name}" if order == "day_first" else f"{name} {day_number}"


def dates_line(dates: DateReading | None) -> list[str]:
    """The question about ambiguous dates, or how the user's answer reads them."""
    if dates is None or dates.example is None or dates.basis == "file":
        return []
    example = esc(dates.example)
    day_first = _spelled("day_first", dates.example)
    month_first = _spelled("month_first", dates.example)
    if dates.needs_answer:
        return [
            "",
            f"📅 Dates like {example} could be {day_first} (day first) or {month_first} (month "
            "first), and nothing in the file tells. Which is it? Tap one below.",
        ]
    chosen = day_first if dates.order == "day_first" else month_first
    return ["", f"📅 Dates are read {dates.order.replace('_', ' ')}: {example} is {chosen}."]


def _decoding_line(imported: ImportFile) -> list[str]:
    if not imported.fallback_lines:
        return []
    lines = plural(imported.fallback_lines, "line")
    verb = "was" if imported.fallback_lines == 1 else "were"
    return [
        "",
        f"🔤 {lines} {verb} not UTF-8 and {verb} read as {esc(imported.fallback_encoding or '')}"
        ": check that the sample text above looks right.",
    ]


def preview_text(file_name: str, plan: ImportPlan) -> str:
    """What the file holds and what importing it would do; nothing is saved yet."""
    imported = plan.imported
    read = "Sessions in the file" if imported.kind == "practice-tracker-json" else "Rows read"
    lines = [f"📄 {file_label(file_name)} — {KIND_LABELS[imported.kind]}"]
    if imported.format_note:
        lines.append(f"ℹ️ {esc(imported.format_note)}")
    lines += columns_block(imported)
    lines += _decoding_line(imported)
    lines += dates_line(imported.dates)
    lines += ["", f"{read}: <b>{imported.rows_read:,}</b>"]
    to_import = f"✅ Sessions to import: <b>{len(plan.sessions):,}</b>"
    if plan.sessions:
        first = min(row.practiced_on for row in plan.sessions)
        last = max(row.practiced_on for row in plan.sessions)
        span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        to_import += f" ({minutes(plan.minutes)}, {span})"
    lines.append(to_import)
    if plan.duplicates:
        lines.append(f"↩️ Already in your history, skipped: <b>{plan.duplicates:,}</b>")
    if plan.new_skills:
        names = [skill.name for skill in plan.new_skills]
        lines.append(f"🆕 Skills to create ({len(names)}): {_names(names)}")
    if plan.evidence_count:
        lines.append(f"📎 Evidence to import: <b>{plan.evidence_count:,}</b>")
    generated = [row.description for row in plan.sessions if row.description_generated]
    if generated:
        lines.append(
            f"✏️ {plural(len(generated), 'row')} without a description will get one like "
            f"“{esc(generated[0])}”."
        )
    if plan.restore_settings:
        zone = f" ({esc(plan.restore_timezone)})" if plan.restore_timezone else ""
        lines.append(
            f"⚙️ Your time zone{zone} and reminder settings will be restored from the file, "
            "since this account has no sessions yet."
        )
    if imported.missing:
        footer = "Choose the missing column to see what would be imported."
    elif imported.dates is not None and imported.dates.needs_answer:
        footer = "Nothing is saved until you choose the date order and tap Import."
    elif plan.has_work:
        footer = "Nothing is saved until you tap Import."
    elif plan.duplicates:
        footer = "Nothing new to import: everything valid in this file is already in your history."
    else:
        footer = "Nothing to import from this file. Fix the rows above and send it again."
    head = "\n".join(lines)
    room = MAX_TEXT - len(head) - len(footer) - 2
    return "\n".join([head, *_errors_block(plan.errors, imported.kind, room), "", footer])


def progress_text(file_name: str, percent: int, step: str) -> str:
    """'⏳ Importing… 40%' with what is happening now."""
    return f"⏳ Importing {file_label(file_name)}… {percent}%\n{step}"


def summary_text(file_name: str, result: ImportResult) -> str:
    """What the import saved, and what it skipped."""
    if result.sessions == 0 and not result.skills_created and result.evidence == 0:
        return (
            f"Nothing new was imported from {file_label(file_name)}: everything valid in it is "
            "already in your history."
        )
    lines = [
        f"✅ Imported <b>{plural(result.sessions, 'session')}</b> "
        f"({minutes(result.minutes)}) from {file_label(file_name)}."
    ]
    if result.skills_created:
        lines.append(
            f"🆕 Created {plural(len(result.skills_created), 'skill')}: "
            f"{_names(result.skills_created)}."
        )
    if result.evidence:
        lines.append(f"📎 Added {plural(result.evidence, 'piece')} of evidence.")
    if result.settings_restored:
        lines.append("⚙️ Restored your time zone and reminder settings.")
    skipped = []
    if result.duplicates:
        skipped.append(f"{result.duplicates:,} already in your history")
    if result.invalid:
        skipped.append(f"{plural(result.invalid, 'invalid row')}")
    if skipped:
        lines.append("Skipped: " + ", ".join(skipped) + ".")
    lines.append("/skills shows your totals.")
    return "\n".join(lines)


def can_import(plan: ImportPlan) -> bool:
    """Whether the preview offers Import: work to do, every column found, dates understood."""
    dates = plan.imported.dates
    return plan.has_work and not plan.imported.missing and not (dates and dates.needs_answer)


def preview_keyboard(plan: ImportPlan) -> InlineKeyboardMarkup | None:
    """[Day first][Month first] when asked, [Import N][Cancel], [Change columns] for sheets."""
    imported = plan.imported
    rows: list[list[Button]] = []
    dates = imported.dates
    if dates is not None and dates.example is not None and dates.basis != "file":
        example = dates.example
        day_first = press(f"📅 {_spelled('day_first', example)}", imp.ImportOrder("d"))
        month_first = press(f"📅 {_spelled('month_first', example)}", imp.ImportOrder("m"))
        if dates.needs_answer:
            rows.append([day_first, month_first])
        else:
            rows.append([month_first if dates.order == "day_first" else day_first])
    # With nothing to import and nothing wrong (all duplicates), the mapping is evidently right.
    if imported.columns and (can_import(plan) or plan.errors or imported.missing or rows):
        rows.append([press("🔀 Change columns", imp.ImportColumns())])
    if imported.check_minutes is not None:
        rows += grid(
            [
                press(
                    ("✓ " if minutes == imported.check_minutes else "") + f"{minutes} min",
                    imp.ImportCheckMinutes(minutes),
                )
                for minutes in imp.CHECK_MINUTE_CHOICES
            ],
            4,
        )
    if can_import(plan):
        rows.append([press(import_button_label(plan), imp.ImportGo()), cancel_button()])
    elif rows:
        rows.append([cancel_button()])
    else:
        return None  # nothing to import and nothing to change: the preview is the answer
    return markup(rows)


def columns_screen(columns: Sequence[ColumnInfo]) -> tuple[str, InlineKeyboardMarkup]:
    """Every column and how it is read; tap one to change it."""
    shown = columns[: imp.MAX_MAPPED_COLUMNS]
    lines = ["🔀 <b>Which column holds what?</b> Tap a column to change how it is read.", ""]
    lines += [column_line(column) for column in shown]
    buttons = [
        press(
            f"{shorten(column.header, 20)} → "
            f"{FIELD_LABELS[column.field] if column.field else 'ignored'}",
            imp.ImportColumn(column.index),
        )
        for column in shown
    ]
    rows = grid(buttons, 2)
    rows.append([press(BUTTON_BACK, imp.ImportBack()), cancel_button()])
    return "\n".join(lines), markup(rows)


def column_screen(column: ColumnInfo) -> tuple[str, InlineKeyboardMarkup]:
    """One column: what to read it as (choosing a field another column has moves it here)."""
    text = (
        f"Column {_quoted(column.header, MAX_HEADER)}"
        + (
            f" ({', '.join(esc(shorten(v, MAX_SAMPLE)) for v in column.samples)})"
            if column.samples
            else ""
        )
        + ": read it as…"
    )
    choices = [
        press(
            ("✓ " if FIELD_BY_CODE[code] == column.field else "") + label,
            imp.ImportAssign(column.index, code),
        )
        for code, label in (
            ("date", "date"),
            ("skill", "skill"),
            ("min", "minutes"),
            ("hrs", "hours"),
            ("desc", "description"),
            ("diff", "difficulty"),
            ("conf", "confidence"),
            ("off", "ignore it"),
        )
    ]
    rows = grid(choices, 2)
    rows.append([press(BUTTON_BACK, imp.ImportColumns()), cancel_button()])
    return text, markup(rows)
