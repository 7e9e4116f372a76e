"""Deliver scheduled messages within Telegram's limits: ~30/s overall, ~1/s per chat.

The sweep sends through a plain Bot that shares the application's HTTP connection pool but not
its AIORateLimiter (see :func:`delivery_bot`), so exactly one limiter governs sweep traffic and
the two never queue or retry the same request:

- PTB's AIORateLimiter lets a burst of 30 through and then 30/s, and on a 429 it halts and
  retries *inside* the request. Under it, our own pacing would be invisible to it and its pause
  invisible to us: requests parked in its pause would all leave together when it ends.
- The Sender hands out send slots evenly spaced at 97.7% of its cap (29.3/s of 30/s: the cap
  is RATE_LIMIT_PER_SECOND, PTB's limiter's setting too), and never starts a 31st attempt
  within a second of the 30th before it (a late wake-up can't squeeze a window); keeps each
  chat to one message per ``per_chat_interval``; and on
  ``RetryAfter`` stops handing out slots for the time Telegram asked, then resumes evenly
  spaced (no burst) and retries the message.
  Network errors and 5xx answers are retried with exponential backoff.

Interactive replies keep PTB's limiter. The budgets are separate, so a full-speed sweep plus
busy chats can briefly exceed 30/s; Telegram's 429 then pauses whichever side it hits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.config import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# Telegram's bulk limit, the default cap (RATE_LIMIT_PER_SECOND overrides it).
TELEGRAM_BULK_LIMIT = 30.0
# Slots are spaced evenly a little under the cap (29.3/s of 30), so the window guard below only
# acts after a stall. Never more than the cap start in any window of WINDOW_MARGIN seconds per
# second allowed: the 2% margin absorbs a late wake-up between our clock and the request leaving.
PACE = 29.3 / 30
WINDOW_MARGIN = 1.02
PER_CHAT_INTERVAL = 1.0
NETWORK_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0
RETRY_AFTER_ROUNDS = 5


class NoLongerWanted(Exception):
    """A message's re-check right before sending said it should not go out any more."""

    def __init__(self, outcome: str = "skipped") -> None:
        super().__init__(outcome)
        self.outcome = outcome


def retry_seconds(value: int | float | timedelta) -> float:
    """RetryAfter.retry_after in seconds: an int, or a timedelta with PTB_TIMEDELTA set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def delivery_bot(bot: Bot, settings: Settings) -> Bot:
    """The same bot without PTB's rate limiter, sharing its HTTP connection pool."""
    if isinstance(bot, ExtBot) and bot.rate_limiter is not None:
        return Bot(
            bot.token,
            base_url=settings.bot_api_base_url,
            base_file_url=settings.bot_api_file_url,
            request=bot.request,
            get_updates_request=bot.request,
        )
    return bot


class Sender:
    """Paces Bot API calls: even spacing overall, a minimum gap per chat, retries."""

    def __init__(
        self,
        cap: float = TELEGRAM_BULK_LIMIT,
        *,
        pace: float = PACE,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        network_attempts: int = NETWORK_ATTEMPTS,
        backoff: float = BACKOFF_SECONDS,
        retry_after_rounds: int = RETRY_AFTER_ROUNDS,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`cap` messages per second at most (0: no overall limit); slots at `cap * pace`."""
        if cap < 0 or not 0 < pace <= 1:
            raise ValueError("cap must be >= 0 and pace within (0, 1]")
        self._interval = 1.0 / (cap * pace) if cap else 0.0
        # At most `burst` attempts start within any `window` seconds.
        self._burst = max(1, int(cap)) if cap else 0
        self._window_seconds = self._burst / cap * WINDOW_MARGIN if cap else 0.0
        self._per_chat = per_chat_interval
        self._network_attempts = network_attempts
        self._backoff = backoff
        self._retry_after_rounds = retry_after_rounds
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        self._resume_at = 0.0
        self._chat_ready: dict[int, float] = {}
        self._recent: deque[float] = deque(maxlen=self._burst or None)
        self.pauses: list[float] = []

    @property
    def rate(self) -> float:
        """The even pace in messages per second (0: unpaced)."""
        return 1.0 / self._interval if self._interval else 0.0

    async def send(
        self,
        chat_id: int,
        make: Callable[[], Awaitable[T]],
        *,
        still_wanted: Callable[[], Awaitable[bool]] | None = None,
    ) -> T:
        """Run one Bot API call to `chat_id` in its turn, retrying flood control and network errors.

        Once the turn has come, right before each attempt, `still_wanted` (if given) is asked,
        and NoLongerWanted is raised if the message should not go out any more: the wait for a
        slot can take seconds, and a streak reminder is wrong once the user has logged.
        Forbidden, BadRequest and other refusals are raised at once; network errors after the
        last attempt.
        """
        failures = 0
        pauses = 0
        while True:
            previous = await self._turn(chat_id)
            if still_wanted is not None:
                try:
                    if not await still_wanted():
                        raise NoLongerWanted
                except BaseException:
                    # Nothing was sent: the chat's turn is given back.
                    self._chat_ready[chat_id] = previous
                    raise
                if self._monotonic() < self._resume_at:
                    # Flood control began while we re-checked: queue again after it.
                    self._chat_ready[chat_id] = previous
                    continue
                # The chat's next message counts from now, when this one really leaves.
                self._chat_ready[chat_id] = self._monotonic() + self._per_chat
            try:
                return await make()
            except (RetryAfter, NetworkError) as exc:
                if isinstance(exc, BadRequest):
                    raise
                # A refused attempt delivered nothing: it does not count against the chat.
                self._chat_ready[chat_id] = previous
                if isinstance(exc, RetryAfter):
                    pauses += 1
                    if not self._after_flood(exc, pauses):
                        raise
                    continue
                failures += 1
                if failures >= self._network_attempts:
                    raise
                delay = min(MAX_BACKOFF_SECONDS, self._backoff * 2 ** (failures - 1))
                log.info("send to a chat failed (%s); retrying in %.1f s", exc, delay)
                await self._sleep(delay)

    def _after_flood(self, exc: RetryAfter, pauses: int) -> bool:
        """Pause all sends for the time asked; True to retry, False to give up (re-raise)."""
        seconds = retry_seconds(exc.retry_after)
        self._pause(seconds)
        log.warning("flood control: pausing scheduled sends for %.1f s", seconds)
        return pauses <= self._retry_after_rounds

    async def _turn(self, chat_id: int) -> float:
        """Wait until this chat may get a message and a global slot is free, then take both.

        Returns the chat's previous ready time, to give the turn back if the attempt fails.
        """
        while True:
            now = self._monotonic()
            previous = self._chat_ready.get(chat_id, 0.0)
            ready = max(previous, self._resume_at)
            if ready > now:
                await self._sleep(ready - now)
                continue
            # Reserve before sleeping: slots are handed out in order, evenly spaced.
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            self._chat_ready[chat_id] = slot + self._per_chat
            if slot > now:
                await self._sleep(slot - now)
            await self._window()
            if self._monotonic() >= self._resume_at:
                if self._burst:
                    self._recent.append(self._monotonic())
                return previous
            # Flood control began while we waited for the slot: queue again after it.
            self._chat_ready[chat_id] = previous

    async def _window(self) -> None:
        """Wait while `burst` attempts already started within the last window."""
        if self._burst and len(self._recent) == self._burst:
            wait = self._recent[0] + self._window_seconds - self._monotonic()
            if wait > 0:
                await self._sleep(wait)

    def _pause(self, seconds: float) -> None:
        resume = self._monotonic() + max(0.0, seconds)
        self.pauses.append(seconds)
        self._resume_at = max(self._resume_at, resume)
        self._next_slot = max(self._next_slot, self._resume_at)
