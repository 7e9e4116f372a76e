"""The forgotten-timer guard, run by the reminder sweep: ask, then stop silently.

A timer nobody has touched for TIMER_GUARD_MINUTES gets one question ("Still practising?"),
claimed by setting guard_asked_at in one UPDATE, so it goes out at most once across instances
and restarts. Unanswered for TIMER_GUARD_ANSWER_MINUTES, the timer stops at the last time the
user was known to be there: the row is deleted in the same transaction as the session is saved,
so only one instance saves it. Users whose reminders are paused get no question; their timer
still stops the same way. No timer is ever saved longer than 24 hours.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.core.runtime import NO_PREVIEW, Deps
from bot.domain.errors import DomainError
from bot.domain.timer import TimerClock, stop_time, whole_minutes
from bot.services.timer import (
    GuardTimes,
    Stopped,
    claim_guard_questions,
    discard_timer,
    forgotten_timers,
    still_askable,
    stop_forgotten,
)
from bot.ui.cards import session_card_keyboard
from bot.ui.timer import guard_question, guard_stopped_text, local_clock_time, stopped_line
from storage.repositories.timers import GuardCandidate

log = logging.getLogger(__name__)


@dataclass
class GuardReport:
    """What one guard run did."""

    asked: int = 0
    stopped: int = 0


def guard_times(deps: Deps) -> GuardTimes:
    """The guard's thresholds now, from the settings."""
    settings = deps.settings
    return GuardTimes(
        now=deps.clock(),
        idle=timedelta(minutes=settings.timer_guard_minutes),
        answer=timedelta(minutes=settings.timer_guard_answer_minutes),
    )


async def guard_timers(deps: Deps, bot: Bot) -> GuardReport:
    """Stop the timers left unanswered, then ask about the newly idle ones."""
    times = guard_times(deps)
    report = GuardReport()
    async with deps.uow() as uow:
        forgotten = await forgotten_timers(uow, times)
    for candidate in forgotten:
        if await _stop(deps, bot, candidate, times):
            report.stopped += 1
    async with deps.uow() as uow:
        asked = await claim_guard_questions(uow, times)
    for candidate in asked:
        if still_askable(candidate, times.now):
            await _ask(bot, candidate, times)
            report.asked += 1
    return report


async def _ask(bot: Bot, candidate: GuardCandidate, times: GuardTimes) -> None:
    timer = candidate.timer
    clock = TimerClock(timer.started_at, timer.paused_at, timer.paused_seconds)
    text, keyboard = guard_question(
        candidate.skill_name,
        whole_minutes(clock.elapsed(times.now)),
        local_clock_time(timer.last_seen_at, candidate.timezone),
        timer.id,
    )
    await _send(bot, timer.chat_id, text, keyboard)


async def _stop(deps: Deps, bot: Bot, candidate: GuardCandidate, times: GuardTimes) -> bool:
    """Stop one forgotten timer (if still ours to stop) and say so."""
    timer = candidate.timer
    try:
        async with deps.uow() as uow:
            stopped: Stopped | None = await stop_forgotten(uow, candidate, times)
    except DomainError as exc:
        # The skill was archived meanwhile: the session cannot be saved, so drop the timer.
        async with deps.uow() as uow:
            gone = await discard_timer(uow, timer.user_id, timer.id)
        if gone is not None:
            await _send(bot, timer.chat_id, f"⏹ I stopped your timer. {exc}", None)
        return gone is not None
    except Exception:
        log.exception("timer %s: could not stop", timer.id)
        return False
    if stopped is None:
        return False  # answered, or stopped by another instance, meanwhile
    last_seen = local_clock_time(
        stop_time(timer.last_seen_at, timer.started_at), candidate.timezone
    )
    saved = stopped.logged.saved.log if stopped.logged else None
    text = guard_stopped_text(
        candidate.skill_name, saved.duration_minutes if saved else None, last_seen
    )
    keyboard = session_card_keyboard(saved.id, again_skill_id=timer.skill_id) if saved else None
    if timer.message_id is not None:
        try:
            await bot.edit_message_text(
                stopped_line(candidate.skill_name, stopped.measured, timer.intention),
                chat_id=timer.chat_id,
                message_id=timer.message_id,
                parse_mode=ParseMode.HTML,
            )
        except TelegramError:
            log.debug("live message of timer %s not updated", timer.id)
    await _send(bot, timer.chat_id, text, keyboard)
    return True


async def _send(bot: Bot, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    try:
        await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest:
        log.exception("timer guard message refused")
    except TelegramError as exc:
        log.warning("timer guard message not sent: %s", exc)
