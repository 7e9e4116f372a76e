"""Privacy matrix: Mallory replays every id-bearing button and command with Sarah's ids.

Each probe seeds Sarah's data in every table, lets Mallory open her own screens, then sends
the forged press, command or message, and checks three things:
  refused      - the answer (or reply) is one of the probe's refusals,
  unchanged    - every row Sarah owns, in every table, is exactly as before,
  not revealed - no Bot API call made during Mallory's turn carries Sarah's strings or
                 goes to Sarah's chat.

Adding a feature? Add one row per callback action / command that takes an id to PROBES; the
coverage tests below fail until every callback handler, flow prefix and command is listed.
Placeholders in templates: {skill} {archived_skill} {log} {evidence} {screenshot}
{skill_evidence} {user}; {skill_name} is the name of Sarah's skill.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.runtime import BotApp, Deps
from bot.ui.texts import NOT_FOUND, STALE_BUTTON
from tests.chat import ChatUser
from tests.fakebot import ApiCall, FakeBotApi, UploadedFile
from tests.seed import SeededAccount, owned_rows, seed_account
from tests.support import UnitOfWorkFactory

REFUSED = (STALE_BUTTON, NOT_FOUND)
# A timer button whose timer is not the presser's: as if it had stopped.
GONE = ("Already stopped",)

Kind = Literal["press", "command", "text"]


@dataclass(frozen=True, slots=True)
class Probe:
    """One attempt by Mallory on Sarah's data."""

    name: str
    kind: Kind
    template: str
    # Mallory's own messages first, to open the screen or conversation the forgery targets.
    before: tuple[str, ...] = ()
    # Accepted answers (press) or reply fragments (command/text); None: no refusal expected
    # (an id-free action on Mallory's own data), only "unchanged" and "not revealed".
    refused_with: tuple[str, ...] | None = REFUSED


def press(
    name: str,
    data: str,
    *before: str,
    refused_with: tuple[str, ...] | None = REFUSED,
) -> Probe:
    """A forged button press with callback_data `data`."""
    return Probe(name, "press", data, before, refused_with)


def command(
    name: str, text: str, *before: str, refused_with: tuple[str, ...] | None = None
) -> Probe:
    """A command Mallory sends (with Sarah's ids where it takes ids)."""
    return Probe(name, "command", text, before, refused_with)


def message(
    name: str, text: str, *before: str, refused_with: tuple[str, ...] | None = None
) -> Probe:
    """A plain message Mallory sends."""
    return Probe(name, "text", text, before, refused_with)


PROBES: list[Probe] = [
    # --- /skills (sk:<action>:<skill id>:<page>) ---
    press("skills-open", "sk:o:{skill}:0", "/skills"),
    press("skills-open-archived", "sk:o:{archived_skill}:0", "/skills"),
    press("skills-rename", "sk:r:{skill}:0", "/skills"),
    press("skills-archive", "sk:a:{skill}:0", "/skills"),
    press("skills-unarchive", "sk:ua:{archived_skill}:0", "/skills"),
    press("skills-delete-ask", "sk:d:{skill}:0", "/skills"),
    press("skills-delete-yes", "sk:dy:{skill}:0", "/skills"),
    press("skills-page", "sk:l:0", "/skills", refused_with=None),
    press("skills-add", "sk:add", "/skills", refused_with=None),
    press("skills-close", "sk:x", "/skills", refused_with=None),
    # Mallory renaming her own skill cannot be pointed at Sarah's: the id lives server-side.
    message("skills-rename-typed", "Renamed by Mallory", "/skills"),
    message("skills-add-typed", "Bassoon", "/addskill"),
    # --- conversations keyed by the presser: Sarah's open one stays hers ---
    press("setup-zone", "su:z:Asia/Tokyo"),
    press("setup-keep", "su:keep"),
    press("setup-skip", "su:skip"),
    press("timezone-zone", "tz:z:Asia/Tokyo"),
    press("timezone-keep", "tz:keep"),
    press("skill-name-flow", "skn:x"),
    press("cancel", "cx", "/help", refused_with=("Closed",)),
    command("cancel-command", "/cancel", refused_with=("nothing to cancel",)),
    message("typed-into-no-conversation", "Renamed by Mallory"),
    # --- /log and /quick (#3): lg:<step>:<id>, ql:<action>:<id>:<minutes>:<nonce> ---
    press("log-pick-skill", "lg:sk:{skill}", "/log"),
    press("log-pick-archived-skill", "lg:sk:{archived_skill}", "/log"),
    press("log-skill-page", "lg:pg:0", "/log", refused_with=None),
    press("log-another", "lgn", refused_with=None),
    # Reads only the presser's own message that the pressed one replies to.
    press("log-from-message", "lgm", "/help"),
    message("plain-message-with-sarahs-skill", "{skill_name} 30m reed making drills again"),
    # The name and the dates live server-side in the presser's own conversation.
    press("log-create-typed-skill", "lg:cn", "/log", refused_with=("already done",)),
    press("log-date-option", "lg:do:0", "/log", refused_with=("already done",)),
    press("timezone-date-order", "tz:do:month_first"),
    command("log-one-message", "/log {skill_name} 30m reed making drills again"),
    press("quick-save", "ql:s:{skill}:30:{nonce}", "/quick"),
    press("quick-save-archived", "ql:s:{archived_skill}:30:{nonce}", "/quick"),
    press("quick-undo", "ql:u:{log}:{nonce}", "/quick", refused_with=("Already undone",)),
    press("quick-note", "ql:n:{log}", "/quick"),
    press("quick-page", "ql:p:0:{nonce}", "/quick", refused_with=None),
    press("quick-open", "ql:o", "/quick", refused_with=None),
    press("quick-close", "ql:x", "/quick", refused_with=None),
    press("quick-note-flow", "qn:x"),
    # --- evidence (#5): ev:<action>:<id>[:<origin>:<page>], flow steps ev:m / ev:t ---
    press("evidence-add-session", "ev:add:{log}", "/evidence"),
    press("evidence-add-skill", "ev:addk:{skill}", "/evidence"),
    press("evidence-session", "ev:s:{log}:0", "/evidence"),
    press("evidence-skill-list", "ev:l:{skill}:0", "/evidence"),
    press("evidence-resend-screenshot", "ev:ss:{screenshot}", "/evidence"),
    press("evidence-show-note", "ev:n:{skill_evidence}", "/evidence"),
    press("evidence-delete-ask", "ev:d:{evidence}:l:0", "/evidence"),
    press("evidence-delete-yes", "ev:dy:{evidence}:s:0", "/evidence"),
    press("evidence-picker", "ev:pk:0", "/evidence", refused_with=None),
    press("evidence-close", "ev:x", "/evidence", refused_with=None),
    press("evidence-target-skill", "ev:t:k:{skill}", "https://mallory.example/new-post"),
    press("evidence-target-session", "ev:t:s:{log}", "/note Mallory learned a thing"),
    press("evidence-kind-no-conversation", "ev:m:link"),
    command("evidence-by-name", "/evidence {skill_name}", refused_with=("no skill called",)),
    command("note-asks-mallorys-targets", "/note Mallory learned a thing"),
    # --- progress and stats (#6) ---
    press("progress-skill", "pg:s:{skill}:0", "/progress"),
    press("progress-archived-skill", "pg:s:{archived_skill}:0", "/progress"),
    press("progress-page", "pg:l:0", "/progress", refused_with=None),
    press("progress-close", "pg:x", "/progress", refused_with=None),
    command("progress-by-name", "/progress {skill_name}", refused_with=("no skill called",)),
    press("stats-period", "st:p:all", "/stats", refused_with=None),
    press("stats-weekly-chart", "st:c:w", "/stats", refused_with=None),
    press("stats-heatmap", "st:c:h", "/stats", refused_with=None),
    press("stats-monthly-chart", "st:c:m", "/stats all", refused_with=None),
    press("stats-close", "st:x", "/stats", refused_with=None),
    command("stats-all", "/stats all"),
    command("streak", "/streak"),
    command("today", "/today"),
    # --- /goals (gl:<action>:<skill id>...) ---
    press("goals-skill", "gl:g:{skill}", "/goals"),
    press("goals-set", "gl:s:{skill}:s:4", "/goals"),
    press("goals-clear", "gl:c:{skill}", "/goals"),
    press("goals-week-start", "gl:ws:6", "/goals", refused_with=None),
    command("goals-typed", "/goals {skill_name} 4x week", refused_with=("no active skill",)),
    # --- export and import (#8): the file holds Mallory's data only ---
    press("export-json", "exp:json", "/export", refused_with=None),
    press("export-csv", "exp:csv", "/export", refused_with=None),
    press("export-cancel", "exp:x", "/export", refused_with=None),
    press("import-go-no-preview", "imp:go"),
    press("import-go-before-a-file", "imp:go", "/import"),
    # --- privacy (#9): Mallory erasing her own account leaves Sarah's alone ---
    press("delete-data-no-question", "dmd:yes"),
    press("delete-data-own", "dmd:yes", "/deletemydata", refused_with=("Deleted",)),
    press("delete-data-keep", "dmd:no", "/deletemydata", refused_with=("Kept",)),
    # --- commands without ids: they show Mallory's data only ---
    command("skills-list", "/skills"),
    command("deletemydata-counts", "/deletemydata"),
    command("timezone-set", "/timezone Asia/Tokyo"),
    command("start", "/start"),
    command("help", "/help"),
    command("addskill", "/addskill Bassoon"),
    command("import-prompt", "/import"),
    # --- reminders (#7, #10): rm:<screen> | rm:set:<field>:<value> | rm:set:sg:<skill>:<min> ---
    press("reminders-skill-goal-screen", "rm:gk:{skill}", "/reminders"),
    press("reminders-skill-goal-set", "rm:set:sg:{skill}:60", "/reminders"),
    press("reminders-skill-goal-ask", "rm:ask:sg:{skill}", "/reminders"),
    press("reminders-screen", "rm:i", "/reminders", refused_with=None),
    press("reminders-set-own", "rm:set:id:3", "/reminders", refused_with=None),
    press("reminders-pause-own", "rm:set:p:7", "/reminders", refused_with=None),
    press("reminders-open", "rm:open", refused_with=None),
    press("reminders-streak-off-own", "rm:off:s", refused_with=None),
    press("reminders-close", "rm:x", "/reminders", refused_with=None),
    press("reminders-input-no-conversation", "rmi:back"),
    message("reminders-goal-typed", "90", "/reminders"),
    # --- history (#4): hs:<action>:<log id>[:<field>:<value>][:<anchor>:<skill>:<range>] ---
    press("history-page-skill", "hs:p:a:0:0:{skill}:a", "/history", refused_with=None),
    press("history-page-anchor", "hs:p:o:739940:{log}:{skill}:w", "/history", refused_with=None),
    press("history-detail", "hs:v:{log}:0:0:0:a", "/history"),
    press("history-edit-menu", "hs:edit:{log}", "/history"),
    press("history-edit-field", "hs:ef:{log}:desc:0:0:0:a", "/history"),
    press("history-set-value", "hs:set:{log}:dur:30", "/history"),
    press("history-set-skill", "hs:set:{log}:skill:{skill}", refused_with=("can be edited",)),
    press("history-delete-ask", "hs:del:{log}", "/history"),
    press("history-delete-yes", "hs:dy:{log}:0:0:0:a", "/history"),
    press("history-undo", "hs:u:{undo}", "/history", refused_with=("nothing to undo",)),
    press("history-skill-picker", "hs:sk:0:0:0:{skill}:a", "/history", refused_with=None),
    press("history-close", "hs:x", "/history", refused_with=None),
    press("history-edit-flow", "he:x"),
    command("history-by-name", "/history {skill_name} last week", refused_with=("no skill",)),
    # --- the practice timer: tm:<action>:<timer id> | tm:s/a:<skill id>; flows tw, tn ---
    press("timer-start-picked", "tm:s:{skill}", "/timer"),
    press("timer-start-again", "tm:a:{skill}", "/timer"),
    press("timer-pause", "tm:pa:{timer}", "/timer", refused_with=GONE),
    press("timer-resume", "tm:re:{timer}", "/timer", refused_with=GONE),
    press("timer-stop", "tm:st:{timer}", "/timer", refused_with=GONE),
    press("timer-stop-at-last-seen", "tm:sl:{timer}", "/timer", refused_with=GONE),
    press("timer-keep", "tm:k:{timer}", "/timer", refused_with=GONE),
    press("timer-discard", "tm:d:{timer}", "/timer", refused_with=GONE),
    press("timer-discard-yes", "tm:dy:{timer}", "/timer", refused_with=GONE),
    press("timer-show", "tm:v:{timer}", "/timer", refused_with=GONE),
    press("timer-pick", "tm:p", "/timer", refused_with=None),
    press("timer-close", "tm:x", "/timer", refused_with=None),
    press("timer-switch-flow", "tw:go"),
    press("timer-next-flow", "tn:skip"),
    command("timer-by-name", "/timer {skill_name} scales", refused_with=("don't know a skill",)),
]

# Commands that take no id at all (every other registered command needs a probe above).
NO_ID_COMMANDS = {
    "start",
    "help",
    "cancel",
    "skills",
    "addskill",
    "timezone",
    "deletemydata",
    "note",
    "stats",
    "streak",
    "export",
    "import",
    "quick",
    "reminders",  # #7: its buttons are probed above
}


def _fill(template: str, sarah: SeededAccount) -> str:
    return template.format(**sarah.ids(), skill_name=sarah.secrets[0])


def _everything_sent(api: FakeBotApi, calls: list[ApiCall]) -> str:
    """The parameters of the calls, and the contents of any file they uploaded (exports)."""
    parts = [json.dumps([c.params for c in calls], ensure_ascii=False, default=str)]
    for call in calls:
        for value in call.params.values():
            if isinstance(value, UploadedFile):
                parts.append(api.file_bytes(value.file_id).decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
async def test_mallory_cannot_reach_sarahs_data(
    probe: Probe, sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    seeded = await seed_account(uow_factory, sarah.user_id, "Sarah")
    await seed_account(
        uow_factory, mallory.user_id, "Mallory", timezone="America/Chicago", conversation=False
    )
    before = await owned_rows(uow_factory, sarah.user_id)
    start = mallory.api.mark()

    for text in probe.before:
        await mallory.send(text)
    forged = _fill(probe.template, seeded)
    if probe.kind == "press":
        await mallory.tap_data(forged)
    else:
        await mallory.send(forged)

    calls = mallory.api.calls_since(start)
    if probe.refused_with is not None:
        seen = mallory.answers()[-1] if probe.kind == "press" else mallory.last_text()
        assert seen is not None and any(r in seen for r in probe.refused_with), seen
    assert await owned_rows(uow_factory, sarah.user_id) == before, "Sarah's data changed"
    assert [c.method for c in calls if c.chat_id == sarah.user_id] == []
    sent = _everything_sent(mallory.api, calls)
    # Mallory may see what she typed herself echoed back ("no skill called ...").
    typed = " ".join([forged, *probe.before])
    revealed = [s for s in seeded.secrets if s in sent and s not in typed]
    assert revealed == [], f"Mallory saw Sarah's {revealed}"
    assert mallory.errors == []


def _press_probes() -> list[str]:
    # Ids are digits, so any number shows whether a pattern matches a probe's shape.
    return [p.template.format_map(_Zeroes()) for p in PROBES if p.kind == "press"]


class _Zeroes(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "1"


def test_every_button_handler_is_probed(app: BotApp) -> None:
    data = _press_probes()
    unprobed = [
        handler.pattern.pattern
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler)
        and handler.pattern is not None
        and hasattr(handler.pattern, "match")
        and not any(handler.pattern.match(d) for d in data)
    ]
    assert unprobed == [], "add PROBES rows for these callback patterns"
    deps: Deps = app.bot_data["deps"]
    prefixes = {d.split(":", 1)[0] for d in data}
    missing = sorted(f.prefix for f in deps.flows.values() if f.prefix not in prefixes)
    assert missing == [], "add PROBES rows for these conversation flows"


def test_every_command_is_probed_or_takes_no_id(app: BotApp) -> None:
    probed = {p.template.split()[0].lstrip("/") for p in PROBES if p.kind == "command"}
    registered = {
        name
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
    assert sorted(registered - probed - NO_ID_COMMANDS) == [], "add PROBES rows or classify"
