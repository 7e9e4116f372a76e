"""build_application: the one place where handlers, jobs and dependencies are wired."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.core.conversation import (
    cancel_button,
    cancel_command,
    route_callback,
    route_message,
)
from bot.core.runtime import BotApp, BotContext, Deps, Flow
from bot.core.updates import PerUserUpdateProcessor, default_concurrency
from bot.handlers import (
    common,
    importing,
    privacy,  # privacy (#9)
    progress,
    reminders,  # reminders (#7, #10)
    setup,
    skills,
    stats,
    streak,
)
from bot.handlers import export as export_handlers
from bot.handlers import history as history_handlers  # history (#4)
from bot.handlers import log as log_handlers  # issue #3: logging
from bot.handlers import quick as quick_handlers  # issue #3: Quick Log
from bot.handlers.evidence import flow as evidence_handlers
from bot.handlers.evidence.incoming import EVIDENCE_MESSAGES  # evidence (#5)
from bot.jobs.conversation_expiry import expire_conversations
from bot.jobs.ledger_prune import ledger_prune_job  # send-ledger pruning
from bot.jobs.reminders import reminders_job
from bot.jobs.undo_purge import purge_undo_job
from bot.ui.callbacks import CANCEL_PREFIX
from storage.db import create_engine, create_session_factory

# What Telegram's command menu shows (setMyCommands), in menu order.
COMMANDS: list[tuple[str, str]] = [
    # Issue #3: logging.
    ("log", "Log a practice session"),
    ("quick", "Quick log: one tap for today"),
    ("skills", "Your skills: add, rename, archive, delete"),
    ("addskill", "Add a skill"),
    # History (#4)
    ("history", "Browse, edit and delete past sessions"),
    # evidence (#5)
    ("evidence", "Links, notes and screenshots per skill"),
    ("note", "Save a note as evidence"),
    # Progress, stats and streaks (issue 6)
    ("progress", "Progress, stage and trend per skill"),
    ("stats", "Totals, weekly and monthly summaries, charts"),
    ("streak", "Your practice streak"),
    ("timezone", "Set your time zone"),
    ("reminders", "Reminders, weekly summary and goal"),
    # Export and import (#8)
    ("export", "Download your history as JSON or CSV"),
    ("import", "Import sessions from a spreadsheet or an export"),
    ("deletemydata", "Erase all your data"),  # privacy (#9)
    ("help", "What I can do"),
    ("cancel", "Leave what you're doing"),
]

FLOWS: list[Flow] = [setup.SetupFlow(), setup.TimezoneFlow(), skills.SkillNameFlow()]
# Reminders (#7, #10): typed times, goals and pause dates.
FLOWS.append(reminders.ReminderInputFlow())
FLOWS.append(privacy.DeleteDataFlow())  # privacy (#9)
# Export and import (#8)
FLOWS += [importing.ImportFlow()]
FLOWS.append(evidence_handlers.EvidenceFlow())  # evidence (#5)
# Issue #3: logging.
FLOWS += [log_handlers.LogFlow(), quick_handlers.QuickNoteFlow()]
FLOWS.append(history_handlers.HistoryEditFlow())  # history (#4): editing one field

# Private chats only, and only new messages: an edit of an old message is not a new answer.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
# The update kinds the bot handles; Telegram then doesn't send the others at all.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Callable[[], datetime] | None = None,
    with_updater: bool = True,
    rate_limit: bool = True,
) -> BotApp:
    """Build the bot: Bot API endpoints, database, handlers in order, and scheduled jobs."""
    engine = create_engine(settings.database_url)
    deps = Deps(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        clock=clock or (lambda: datetime.now(UTC)),
        flows={flow.name: flow for flow in FLOWS},
    )
    builder: Any = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_file_url)
        .context_types(ContextTypes(context=BotContext))
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if not with_updater:
        builder = builder.updater(None)
    if rate_limit:
        # max_retries > 0: a RetryAfter from Telegram is waited out and retried, not raised.
        builder = builder.rate_limiter(
            AIORateLimiter(max_retries=3, overall_max_rate=settings.rate_limit_per_second)
        )
    # Scale-out (#9): different users' updates at once, each user's in order.
    concurrency = settings.concurrent_updates or default_concurrency(settings.database_kind)
    if concurrency > 1:
        builder = builder.concurrent_updates(PerUserUpdateProcessor(concurrency))
    app: BotApp = builder.build()
    app.bot_data["deps"] = deps
    register_handlers(app, deps)
    schedule_jobs(app, settings)
    return app


def register_handlers(app: BotApp, deps: Deps) -> None:
    """Add handlers; within a group the first match wins, so order matters."""
    commands = {
        "start": setup.start_command,
        "timezone": setup.timezone_command,
        "help": common.help_command,
        "cancel": cancel_command,
        "skills": skills.skills_command,
        "addskill": skills.addskill_command,
        "reminders": reminders.reminders_command,
        "deletemydata": privacy.deletemydata_command,  # privacy (#9)
        # evidence (#5)
        "evidence": evidence_handlers.evidence_command,
        "note": evidence_handlers.note_command,
        # Progress, stats and streaks (issue 6)
        "progress": progress.progress_command,
        "stats": stats.stats_command,
        "streak": streak.streak_command,
        # Export and import (#8)
        "export": export_handlers.export_command,
        "import": importing.import_command,
        # Issue #3: logging.
        "log": log_handlers.log_command,
        "quick": quick_handlers.quick_command,
        # History (#4)
        "history": history_handlers.history_command,
    }
    # Group 0: commands first, so /cancel or a new command always works mid-conversation.
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=PRIVATE))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, common.unknown_command))
    # Buttons: each feature owns a prefix; conversation steps go to their flow.
    app.add_handler(CallbackQueryHandler(cancel_button, pattern=f"^{CANCEL_PREFIX}$"))
    app.add_handler(CallbackQueryHandler(skills.skills_button, pattern=r"^sk:"))
    app.add_handler(CallbackQueryHandler(reminders.reminders_button, pattern=r"^rm:"))
    # evidence (#5): screen buttons; its conversation steps ("ev:m", "ev:t") go to the router.
    app.add_handler(
        CallbackQueryHandler(
            evidence_handlers.evidence_button, pattern=evidence_handlers.BUTTON_PATTERN
        )
    )
    # Progress, stats and streaks (issue 6)
    app.add_handler(CallbackQueryHandler(progress.progress_button, pattern=rf"^{progress.PREFIX}:"))
    app.add_handler(CallbackQueryHandler(stats.stats_button, pattern=rf"^{stats.PREFIX}:"))
    # Export and import (#8): the /export format buttons (import buttons are a flow's).
    app.add_handler(
        CallbackQueryHandler(export_handlers.export_button, pattern=f"^{export_handlers.PREFIX}:")
    )
    # Issue #3: Quick Log buttons (also on reminders) and the card's "Log another".
    app.add_handler(CallbackQueryHandler(quick_handlers.quick_button, pattern=r"^ql:"))
    app.add_handler(CallbackQueryHandler(log_handlers.log_another_button, pattern=r"^lgn$"))
    # History (#4): list, detail, edit menu, delete and Undo; also the card's Edit/Delete.
    history_pattern = rf"^{history_handlers.PREFIX}:"
    app.add_handler(CallbackQueryHandler(history_handlers.history_button, pattern=history_pattern))
    flow_prefixes = "|".join(re.escape(f.prefix) for f in deps.flows.values())
    app.add_handler(CallbackQueryHandler(route_callback, pattern=f"^(?:{flow_prefixes}):"))
    app.add_handler(CallbackQueryHandler(common.unknown_button))
    # An open conversation takes any other message and stops later groups.
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, route_message))
    # Group 1: messages outside conversations; the catch-all stays last.
    # evidence (#5): links (typed, pasted, forwarded, text links), photos and image files.
    app.add_handler(
        MessageHandler(PRIVATE & EVIDENCE_MESSAGES, evidence_handlers.evidence_message), group=1
    )
    # Export and import (#8): non-image documents (images are evidence screenshots, #5): a
    # caption "/import" previews an import; other files are told what is accepted.
    app.add_handler(
        MessageHandler(PRIVATE & importing.NON_IMAGE_DOCUMENT, importing.document_message), group=1
    )
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, common.unexpected_content), group=1)
    app.add_error_handler(common.on_error)


def schedule_jobs(app: BotApp, settings: Settings) -> None:
    """Periodic sweeps; exactly-once is decided in the database, not by the scheduler."""
    if app.job_queue is None:
        return
    app.job_queue.run_repeating(
        expire_conversations,
        interval=settings.sweep_interval_seconds,
        first=5,
        name="expire-conversations",
    )
    # Reminders, streak reminders and weekly summaries (#7, #10): one sweep for all users.
    app.job_queue.run_repeating(
        reminders_job, interval=settings.sweep_interval_seconds, first=10, name="reminders"
    )
    # History (#4): drop undo snapshots whose window has passed.
    app.job_queue.run_repeating(
        purge_undo_job,
        interval=settings.sweep_interval_seconds,
        first=15,
        name="purge-undo-snapshots",
    )
    # Send-ledger pruning: old reminder and summary records, in short batches.
    app.job_queue.run_repeating(
        ledger_prune_job,
        interval=settings.ledger_prune_interval_minutes * 60,
        first=120,
        name="prune-send-ledger",
    )


async def on_startup(app: BotApp) -> None:
    """Publish the command menu."""
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def on_shutdown(app: BotApp) -> None:
    """Close database connections."""
    deps: Deps = app.bot_data["deps"]
    await deps.engine.dispose()
