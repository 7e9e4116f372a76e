"""Refresh the live timer messages: set-based, at a modest cadence, and the first to be shed.

A timer's minutes come from its stored timestamps, so a refresh that is late or never sent only
leaves a stale display; nothing saved depends on it. Each run claims the timers whose refresh is
due (oldest due first) by moving their next refresh on in one statement, at most the run's
budget of them, and edits each message once. Timers past the budget stay due and are claimed
first next run. A refused edit is dropped, never retried: user replies come first.

Edits take the lowest lane of the instance's send budget (SendBudget.take_spare): a slot only
when no reply and no reminder wants it. When none comes within the patience (a second, or
three slots at low rates), the rest of the run is shed: given back as due, so the next run
tries them again. After any wait for a slot the timer is re-read, so a Stop that landed
meanwhile is never overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.core.runtime import BotContext, Deps
from bot.core.send_budget import SendBudget, retry_seconds
from bot.domain.timer import FAST_REFRESH, FAST_REFRESH_FOR, SLOW_REFRESH, whole_minutes
from bot.jobs.sender import delivery_bot, shared_budget
from bot.services.timer import TimerView, due_refreshes, give_back_refreshes, still_live
from bot.ui.timer import timer_keyboard, timer_text

log = logging.getLogger(__name__)


@dataclass
class RefreshReport:
    """What one run did."""

    claimed: int = 0
    edited: int = 0
    dropped: int = 0
    shed: int = 0  # no spare slot in time: left due for the next run


def refresh_budget(deps: Deps) -> int:
    """Edits one run may send: the refreshes' share of the rate over the run's interval."""
    settings = deps.settings
    rate = settings.rate_limit_per_second or 30.0
    return max(1, int(rate * settings.timer_refresh_share * settings.timer_refresh_seconds))


Rendered = tuple[str, InlineKeyboardMarkup]
# Claimed timers are re-read this many at a time, right before their edits: a stop, pause or
# newer message meanwhile must not be overwritten by a stale view (one query per chunk).
RECHECK_CHUNK = 25
# How long a refresh may wait for a spare slot before the run sheds the rest: a second, or three
# slots at rates below 3/s. Waiting costs no reply anything (spare slots are never reserved).
SPARE_PATIENCE_SECONDS = 1.0
SPARE_PATIENCE_SLOTS = 3


class Shed:
    """No spare slot came in time."""


SHED = Shed()


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


async def spare_slot(deps: Deps, slots: SendBudget, view: TimerView) -> TimerView | Shed | None:
    """A spare slot for the edit: the timer as it is now (None: not live), or SHED if none soon."""
    patience = max(SPARE_PATIENCE_SECONDS, SPARE_PATIENCE_SLOTS / slots.rate if slots.rate else 0)
    deadline = slots.now() + patience
    waited = False
    while True:
        wait = slots.spare_wait()
        if wait > 0:
            if slots.now() + wait > deadline:
                return SHED
            await slots.sleep(wait)
            waited = True
            continue
        if waited:
            # A stop, pause or newer message may have landed while we waited.
            async with deps.uow() as uow:
                fresh = await still_live(uow, [view])
            if not fresh:
                return None
            view = fresh[0]
        if slots.take_spare():
            return view
        waited = True  # a reply took the slot during the re-read


async def refresh_timers(deps: Deps, bot: Bot, *, budget: int | None = None) -> RefreshReport:
    """Claim the due refreshes (at most `budget`) and edit each live message once.

    `bot` is the application's: edits go out without its rate limiter, in the spare slots of
    its send budget (when it has one).
    """
    now = deps.clock()
    limit = budget if budget is not None else refresh_budget(deps)
    slots = shared_budget(bot)
    out = delivery_bot(bot, deps.settings)
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
            if slots is not None:
                taken = await spare_slot(deps, slots, view)
                if isinstance(taken, Shed):
                    report.shed += await _shed(deps, live[index:] + due[first + len(chunk) :])
                    return report
                if taken is None:
                    report.dropped += 1
                    continue
                view = taken
            assert view.message_id is not None  # still_live matched it
            try:
                sent = await send_refresh(
                    out, view.chat_id, view.message_id, *render(view, deps.clock())
                )
            except RetryAfter as exc:
                if slots is not None:
                    slots.pause(retry_seconds(exc.retry_after))  # replies wait it out too
                report.shed += await _shed(deps, live[index:] + due[first + len(chunk) :])
                return report
            if sent:
                report.edited += 1
            else:
                report.dropped += 1
    return report


async def _shed(deps: Deps, views: list[TimerView]) -> int:
    """Give the claimed refreshes back as due; how many."""
    async with deps.uow() as uow:
        await give_back_refreshes(uow, [view.timer_id for view in views], deps.clock())
    return len(views)


async def timer_refresh_job(context: BotContext) -> None:
    """Job callback: one refresh run."""
    deps = context.deps
    report = await refresh_timers(deps, context.bot)
    if report.claimed:
        log.debug("timer refresh: %s", report)
