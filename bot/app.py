"""build_application: the one place where handlers, jobs and dependencies are wired."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.core.conversation import (
    cancel_button,
    cancel_command,
    route_callback,
    route_message,
)
from bot.core.inbox import Inbox, InboxQueue, InboxRequest
from bot.core.incoming_evidence import EVIDENCE_MESSAGES, LOG_CAPTION
from bot.core.runtime import BotApp, BotContext, Deps, Flow
from bot.core.send_budget import BudgetRateLimiter, SendBudget
from bot.core.updates import PerUserUpdateProcessor, default_concurrency
from bot.core.webhook import GuardedUpdater
from bot.handlers import (
    common,
    export,
    goals,
    history,
    importing,
    log,
    privacy,
    progress,
    quick,
    reminders,
    setup,
    skills,
    stats,
    streak,
    timer,
    today,
)
from bot.handlers.evidence import flow as evidence
from bot.jobs.conversation_expiry import expire_conversations
from bot.jobs.inbox_recovery import inbox_job
from bot.jobs.ledger_prune import ledger_prune_job
from bot.jobs.reminders import reminders_job
from bot.jobs.timer_refresh import timer_refresh_job
from bot.jobs.undo_purge import purge_undo_job
from bot.ui.callbacks import CANCEL_PREFIX
from storage.contact_cache import ContactCache
from storage.db import create_engine, create_session_factory

JobCallback = Callable[[BotContext], Coroutine[Any, Any, None]]

# What Telegram's command menu shows (setMyCommands), in menu order.
COMMANDS: list[tuple[str, str]] = [
    ("log", "Log a practice session"),
    ("today", "What to practise today, and why"),
    ("quick", "Quick log: one tap for today"),
    ("timer", "Time a practice session live"),
    ("skills", "Your skills: add, rename, archive, delete"),
    ("addskill", "Add a skill"),
    ("history", "Browse, edit and delete past sessions"),
    ("evidence", "Links, notes and screenshots per skill"),
    ("note", "Save a note as evidence"),
    ("progress", "Progress, stage and trend per skill"),
    ("stats", "Totals, weekly and monthly summaries, charts"),
    ("streak", "Your practice streak"),
    ("goals", "Goals per skill and overall, and your week start"),
    ("timezone", "Set your time zone"),
    ("reminders", "Reminders, weekly summary and goal"),
    ("export", "Download your history as JSON or CSV"),
    ("import", "Import sessions from a spreadsheet or an export"),
    ("deletemydata", "Erase all your data"),
    ("help", "What I can do"),
    ("cancel", "Leave what you're doing"),
]

# Multi-step conversations, their state in the database; each owns a callback prefix.
FLOWS: list[Flow] = [
    setup.SetupFlow(),
    setup.TimezoneFlow(),
    skills.SkillNameFlow(),
    reminders.ReminderInputFlow(),
    privacy.DeleteDataFlow(),
    importing.ImportFlow(),
    evidence.EvidenceFlow(),
    log.LogFlow(),
    quick.QuickNoteFlow(),
    history.HistoryEditFlow(),
    timer.TimerSwitchFlow(),
    timer.NextFocusFlow(),
]

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
        contacts=ContactCache(engine),
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
    intake_request: InboxRequest | None = None
    if with_updater:
        # Durable intake: each getUpdates batch is stored as received before it is returned.
        # PTB's own default for this connection when none is given: one connection, HTTP/1.1.
        intake_request = InboxRequest(get_updates_request or HTTPXRequest(connection_pool_size=1))
        builder = builder.get_updates_request(intake_request)
    else:
        if get_updates_request is not None:
            builder = builder.get_updates_request(get_updates_request)
        builder = builder.updater(None)
    if rate_limit:
        # One budget for everything this instance sends: replies here, the reminder sweep
        # through the same limiter's budget (bot/jobs/sender.py). A RetryAfter from Telegram
        # is waited out and retried (up to 3 times), not raised.
        budget = SendBudget(settings.rate_limit_per_second)
        builder = builder.rate_limiter(BudgetRateLimiter(budget))
    # Different users' updates at once, each user's in order (1: strictly one by one).
    concurrency = settings.concurrent_updates or default_concurrency(settings.database_kind)
    processor = PerUserUpdateProcessor(concurrency)
    builder = builder.concurrent_updates(processor)
    app: BotApp = builder.build()
    if app.updater is not None:
        # Durable intake: the updater's queue stores each update before it is acknowledged,
        # and the processor marks it done once handled. Its webhook server checks the secret
        # before reading any body.
        inbox = Inbox(
            deps.session_factory,
            app.bot,
            deps.clock,
            lease=timedelta(seconds=settings.inbox_lease_seconds),
        )
        intake = InboxQueue(inbox, app.update_queue)
        if intake_request is not None:
            intake_request.inbox = inbox
        app.updater = GuardedUpdater(bot=app.bot, update_queue=intake)
        processor.after = inbox.done
        app.bot_data["inbox"] = inbox
        deps.inbox = inbox
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
        "deletemydata": privacy.deletemydata_command,
        "evidence": evidence.evidence_command,
        "note": evidence.note_command,
        "progress": progress.progress_command,
        "stats": stats.stats_command,
        "streak": streak.streak_command,
        "goals": goals.goals_command,
        "today": today.today_command,
        "export": export.export_command,
        "import": importing.import_command,
        "log": log.log_command,
        "quick": quick.quick_command,
        "history": history.history_command,
        "timer": timer.timer_command,
    }
    # Buttons outside conversations: callback_data pattern -> the handler that owns the screen.
    # To find the code behind a button, match its callback_data's prefix here.
    buttons = {
        f"^{CANCEL_PREFIX}$": cancel_button,
        rf"^{skills.PREFIX}:": skills.skills_button,
        rf"^{reminders.PREFIX}:": reminders.reminders_button,
        # Only the evidence screens' actions: its conversation steps go to the flow router.
        evidence.BUTTON_PATTERN: evidence.evidence_button,
        rf"^{progress.PREFIX}:": progress.progress_button,
        rf"^{stats.PREFIX}:": stats.stats_button,
        rf"^{goals.PREFIX}:": goals.goals_button,
        rf"^{export.PREFIX}:": export.export_button,
        # Quick Log grids, also on reminder nudges.
        r"^ql:": quick.quick_button,
        # The live timer, its picker and the forgotten-timer question; also "▶️ Start timer".
        rf"^{timer.PREFIX}:": timer.timer_button,
        # The saved-session card's "Log another".
        r"^lgn$": log.log_another_button,
        # "Did you mean /log?" and a plain message's "Log it": the message they reply to.
        r"^lgm$": log.log_from_message_button,
        # List, detail, edit menu, delete and Undo; also the card's Edit and Delete.
        rf"^{history.PREFIX}:": history.history_button,
    }
    # Group 0: commands first, so /cancel or a new command always works mid-conversation.
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=PRIVATE))
    # A photo or file captioned "/log ...": a command too, so also mid-conversation.
    app.add_handler(MessageHandler(PRIVATE & LOG_CAPTION, log.log_caption_command))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, common.unknown_command))
    for pattern, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    flow_prefixes = "|".join(re.escape(f.prefix) for f in deps.flows.values())
    app.add_handler(CallbackQueryHandler(route_callback, pattern=f"^(?:{flow_prefixes}):"))
    app.add_handler(CallbackQueryHandler(common.unknown_button))
    # An open conversation takes any other message and stops later groups.
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, route_message))
    # Group 1: messages outside conversations; the catch-all stays last.
    # Links (typed, pasted, forwarded, text links), photos and image files are evidence.
    app.add_handler(MessageHandler(PRIVATE & EVIDENCE_MESSAGES, evidence.evidence_message), group=1)
    # Other documents: a caption "/import" previews an import; other files hear what is accepted.
    app.add_handler(
        MessageHandler(PRIVATE & importing.NON_IMAGE_DOCUMENT, importing.document_message), group=1
    )
    # Plain text that reads as a session ("guitar 30m scales") is offered for logging; other
    # text hears what works. Forwarded messages are not the user's own words: left to the rest.
    app.add_handler(
        MessageHandler(
            PRIVATE & filters.TEXT & ~filters.COMMAND & ~filters.FORWARDED, log.plain_message
        ),
        group=1,
    )
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, common.unexpected_content), group=1)
    app.add_error_handler(common.on_error)


def schedule_jobs(app: BotApp, settings: Settings) -> None:
    """Periodic sweeps; exactly-once is decided in the database, not by the scheduler."""
    if app.job_queue is None:
        return
    sweep = settings.sweep_interval_seconds
    # (callback, interval in seconds, first run after start-up; staggered so they don't collide)
    jobs: dict[str, tuple[JobCallback, float, float]] = {
        "expire-conversations": (expire_conversations, sweep, 5),
        # Reminders, streak reminders and weekly summaries: one sweep for all users; then the
        # forgotten-timer guard.
        "reminders": (reminders_job, sweep, 10),
        "purge-undo-snapshots": (purge_undo_job, sweep, 15),
        # Live timer messages, within a small share of the send rate (dropped first).
        "refresh-timers": (timer_refresh_job, settings.timer_refresh_seconds, 20),
        # Old reminder and summary records, in short batches.
        "prune-send-ledger": (ledger_prune_job, settings.ledger_prune_interval_minutes * 60, 120),
    }
    if "inbox" in app.bot_data:
        # Updates another instance stored and never finished (it died); old handled ones.
        # Every third of the lease at least: the claims of updates in hand are renewed.
        jobs["inbox-recovery"] = (inbox_job, min(sweep, settings.inbox_lease_seconds / 3), 2)
    for name, (callback, interval, first) in jobs.items():
        app.job_queue.run_repeating(callback, interval=interval, first=first, name=name)


async def on_startup(app: BotApp) -> None:
    """Hand pending inbox updates over (before any new one), then publish the command menu."""
    inbox: Inbox | None = app.bot_data.get("inbox")
    if inbox is not None:
        deps: Deps = app.bot_data["deps"]
        # SQLite serves one process: whatever is pending was this bot's before a crash.
        await inbox.recover(app.update_queue, all_pending=deps.settings.database_kind == "sqlite")
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def on_shutdown(app: BotApp) -> None:
    """Record the handled inbox updates, then close database connections."""
    deps: Deps = app.bot_data["deps"]
    inbox: Inbox | None = app.bot_data.get("inbox")
    if inbox is not None:
        await inbox.flush()
        inbox.close()
    await deps.engine.dispose()
