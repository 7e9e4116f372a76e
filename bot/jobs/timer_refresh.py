"""Refresh the live timer messages: set-based, at a modest cadence, and the first to be shed.

A timer's minutes come from its stored timestamps, so a refresh that is late or never sent only
leaves a stale display; nothing saved depends on it. Each run claims the timers whose refresh is
due (oldest due first) by moving their next refresh on in one statement, at most the run's
budget of them, and edits each message once. Timers past the budget stay due and are claimed
first next run. A refused edit is dropped, never retried: user replies come first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.core.runtime import BotContext, Deps
from bot.domain.timer import FAST_REFRESH, FAST_REFRESH_FOR, SLOW_REFRESH, whole_minutes
from bot.jobs.sender import delivery_bot
from bot.services.timer import TimerView, due_refreshes, still_live
from bot.ui.timer import timer_keyboard, timer_text

log = logging.getLogger(__name__)


@dataclass
class RefreshReport:
    """What one run did."""

    claimed: int = 0
    edited: int = 0
    dropped: int = 0


def refresh_budget(deps: Deps) -> int:
    """Edits one run may send: the refreshes' share of the rate over the run's interval."""
    settings = deps.settings
    rate = settings.rate_limit_per_second or 30.0
    return max(1, int(rate * settings.timer_refresh_share * settings.timer_refresh_seconds))


Rendered = tuple[str, InlineKeyboardMarkup]
# Claimed timers are re-read this many at a time, right before their edits: a stop, pause or
# newer message meanwhile must not be overwritten by a stale view (one query per chunk).
RECHECK_CHUNK = 25


async def send_refresh(
    bot: Bot, chat_id: int, message_id: int, text: str, keyboard: InlineKeyboardMarkup
) -> bool:
    """The one place a timer refresh is sent (lowest priority: any refusal drops it)."""
    try:
        await bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
    except RetryAfter:
        raise  # Telegram asks us to slow down: the caller sheds the rest of the run
    except (BadRequest, Forbidden) as exc:
        # "not modified", a message the user deleted, a blocked bot: nothing to do about it.
        log.debug("timer refresh in chat %s dropped: %s", chat_id, exc)
        return False
    except TelegramError as exc:
        log.info("timer refresh dropped: %s", exc)
        return False
    return True


def render(view: TimerView, now: datetime) -> Rendered:
    """The live message as a refresh shows it."""
    text = timer_text(
        view.skill_name,
        whole_minutes(view.clock.elapsed(now)),
        view.intention,
        paused=view.paused,
    )
    return text, timer_keyboard(view.timer_id, paused=view.paused)


async def refresh_timers(deps: Deps, bot: Bot, *, budget: int | None = None) -> RefreshReport:
    """Claim the due refreshes (at most `budget`) and edit each live message once."""
    now = deps.clock()
    limit = budget if budget is not None else refresh_budget(deps)
    async with deps.uow() as uow:
        due = await due_refreshes(
            uow,
            now,
            fast_since=now - FAST_REFRESH_FOR,
            fast_next=now + FAST_REFRESH,
            slow_next=now + SLOW_REFRESH,
            limit=limit,
        )
    report = RefreshReport(claimed=len(due))
    for first in range(0, len(due), RECHECK_CHUNK):
        chunk = due[first : first + RECHECK_CHUNK]
        async with deps.uow() as uow:
            live = await still_live(uow, chunk)
        report.dropped += len(chunk) - len(live)
        for index, view in enumerate(live):
            assert view.message_id is not None  # still_live matched it
            try:
                sent = await send_refresh(
                    bot, view.chat_id, view.message_id, *render(view, deps.clock())
                )
            except RetryAfter:
                report.dropped += len(live) - index + len(due) - first - len(chunk)
                return report
            if sent:
                report.edited += 1
            else:
                report.dropped += 1
    return report


async def timer_refresh_job(context: BotContext) -> None:
    """Job callback: one refresh run."""
    deps = context.deps
    report = await refresh_timers(deps, delivery_bot(context.bot, deps.settings))
    if report.claimed:
        log.debug("timer refresh: %s", report)
