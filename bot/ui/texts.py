"""Pure renderers of user-facing text (HTML parse mode; everything user-supplied is escaped)."""

from __future__ import annotations

import html

from bot.domain.durations import format_duration
from bot.domain.errors import NOT_FOUND as NOT_FOUND

BUTTON_BACK = "« Back"
BUTTON_CANCEL = "✖ Cancel"
STALE_BUTTON = "This button has expired. Nothing was changed."
# A step's answer handed over again after a restart, already taken: nothing is taken twice.
ANSWER_TAKEN = "👆 I already have that answer. Carry on from the question above."
ANSWER_TAKEN_TOAST = "Already done"
# A replayed answer whose step had ended its conversation: no question is left to point at.
ANSWER_TAKEN_DONE = "✅ I already have that answer, and that part is done."
NOTHING_SAVED = "Something went wrong on my side and nothing was saved. Please try again."
# After a write landed but its reply could not be shown: never "nothing was saved".
SAVED_UNSHOWN = (
    "✅ Your change was saved, but I couldn't show my reply. "
    "Send the command again to see where things stand."
)


def unshown(done: str, shown: str, then: str) -> str:
    """After a write landed but its reply failed: what landed, and where to see it (HTML)."""
    return f"{done}; I couldn't show {shown}, {then}."


def session_unshown(heading: str, skill_name: str, duration: int) -> str:
    """'✅ Saved Guitar — 30 min; I couldn't show the card, /history has it.'"""
    return unshown(
        f"{heading} {esc(skill_name)} — {minutes(duration)}", "the card", "/history has it"
    )


def esc(value: object) -> str:
    """HTML-escape any value for parse_mode=HTML."""
    return html.escape(str(value), quote=False)


def minutes(total: int) -> str:
    """Human duration such as '1 h 30 min'."""
    return format_duration(total) if total > 0 else "0 min"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 session', '3 sessions'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


HELP = (
    "<b>Practice Tracker</b> keeps a log of your practice, right here in the chat.\n\n"
    "<b>Log</b>\n"
    "/log — log a session step by step, or in one go: "
    "<code>/log react 45m built a todo app</code>\n"
    "/quick — one tap: a skill × 15 / 30 / 60 min\n"
    "/timer — time a session live: <code>/timer guitar scales at 90 bpm</code>\n\n"
    "<b>Look back</b>\n"
    "/history — browse, edit and delete sessions; "
    "<code>/history react last month</code> filters them\n"
    "/evidence — links, notes and screenshots per skill; "
    "<code>/note what you learned</code> saves a note\n"
    "/progress — progress, stage and trend per skill\n"
    "/stats — totals, weekly and monthly summaries, charts\n"
    "/streak — your practice streak, freezes and habit strength\n"
    "/today — what to practise today, and why\n\n"
    "<b>Set up</b>\n"
    "/skills — add, rename, archive or delete skills\n"
    "/addskill <i>name</i> — add a skill\n"
    "/timezone — your time zone (decides what “today” means)\n"
    "/goals — goals per skill (<code>/goals react 4x week</code>) and your week start\n"
    "/reminders — reminders, weekly summary and goal\n"
    "/export, /import — your data as JSON or CSV, or import a spreadsheet\n"
    "/deletemydata — erase everything\n\n"
    "Send a link, a photo, a voice message, a video or a document (or forward a post) at any "
    "time to attach it as evidence; a photo captioned <code>/log react 45m …</code> logs the "
    "session with it. "
    "/cancel leaves whatever you are in the middle of."
)

NOT_SURE = (
    "I'm not sure what to do with that. To log practice, send /log "
    "(or <code>/log 30m what you practised</code>); /help lists everything."
)
