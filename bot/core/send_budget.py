"""One send budget per instance: every message the bot sends takes a slot from it.

Telegram allows about 30 messages a second per bot. Interactive replies (through PTB's rate
limiter hook, :class:`BudgetRateLimiter`) and the reminder sweep (``bot/jobs/sender.py``) draw
slots from the same :class:`SendBudget`, so together they never exceed RATE_LIMIT_PER_SECOND:

- slots are handed out evenly spaced at 97.7% of the cap (29.3/s of 30), and never more than
  the cap start within any window of 1.02 s (a late wake-up can't squeeze a second);
- replies take priority: they reserve the next free slot at once, while the sweep goes through
  one lane, holding at most one reservation at a time, so a reply waits at most one sweep slot;
- spare slots come last (timer refreshes): taken only when due right now and wanted by no
  reply and no background send, never reserved ahead, so a caller that finds none sheds;
- a 429 (``RetryAfter``) from either side pauses both for the time Telegram asked.

A rate below 1 (e.g. 0.5 when 60 instances share 30/s) is one message per 1/rate seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

# Telegram's bulk limit, the default cap (RATE_LIMIT_PER_SECOND overrides it).
TELEGRAM_BULK_LIMIT = 30.0
# Slots are spaced evenly a little under the cap (29.3/s of 30), so the window guard below only
# acts after a stall. Never more than the cap start in any window of WINDOW_MARGIN seconds per
# second allowed: the 2% margin absorbs a late wake-up between our clock and the request leaving.
PACE = 29.3 / 30
WINDOW_MARGIN = 1.02
# Replies retry a 429 this many times (waiting as asked) before the error reaches the handler.
REPLY_RETRIES = 3


def retry_seconds(value: int | float | timedelta) -> float:
    """RetryAfter.retry_after in seconds: an int, or a timedelta with PTB_TIMEDELTA set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SendBudget:
    """Evenly spaced send slots shared by replies (first) and background sends."""

    def __init__(
        self,
        cap: float = TELEGRAM_BULK_LIMIT,
        *,
        pace: float = PACE,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`cap` messages per second at most (0: no overall limit); slots at `cap * pace`."""
        if cap < 0 or not 0 < pace <= 1:
            raise ValueError("cap must be >= 0 and pace within (0, 1]")
        self.cap = cap
        self._interval = 1.0 / (cap * pace) if cap else 0.0
        # At most `burst` sends start within any `window` seconds (1 per 1/cap s below 1/s).
        self._burst = max(1, int(cap)) if cap else 0
        self._window_seconds = self._burst / cap * WINDOW_MARGIN if cap else 0.0
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        self._resume_at = 0.0
        self._recent: deque[float] = deque(maxlen=self._burst or None)
        self._background = asyncio.Lock()
        self._replies_waiting = 0
        self.pauses: list[float] = []

    @property
    def rate(self) -> float:
        """The even pace in messages per second (0: unpaced)."""
        return 1.0 / self._interval if self._interval else 0.0

    @property
    def resume_at(self) -> float:
        """The monotonic time flood control ends (in the past when there is none)."""
        return self._resume_at

    def now(self) -> float:
        """The budget's clock."""
        return self._monotonic()

    async def sleep(self, seconds: float) -> None:
        """Sleep on the budget's clock."""
        await self._sleep(seconds)

    async def reply_slot(self) -> None:
        """Wait for the next free slot, ahead of any background send not yet in its slot."""
        self._replies_waiting += 1
        try:
            await self._take()
        finally:
            self._replies_waiting -= 1

    @asynccontextmanager
    async def background_slot(self) -> AsyncIterator[Callable[[], None]]:
        """Wait for a slot no reply wants; one background send holds the lane at a time.

        Yields `started`: call it right before the request leaves (after any last re-check),
        so the window guard counts when the message really went, not when its slot came.
        A caller that sends nothing simply doesn't call it.
        """
        async with self._background:
            while self._replies_waiting:
                await self._sleep(self._interval or 0.001)
            await self._take(record=False)
            yield self._started

    def spare_wait(self) -> float:
        """Seconds until a spare slot may be free (0: now); a short poll while others want one."""
        if self._replies_waiting or self._background.locked():
            return self._interval or 0.001
        now = self._monotonic()
        free_at = max(self._resume_at, self._next_slot, self._window_free_at())
        return max(0.0, free_at - now)

    def take_spare(self) -> bool:
        """Take the current slot if it is free and nobody else wants it; never waits.

        Call it right before the request leaves: the slot counts as started now.
        """
        if self.spare_wait() > 0:
            return False
        self._next_slot = self._monotonic() + self._interval
        self._started()
        return True

    def _window_free_at(self) -> float:
        """When the window guard lets the next send start."""
        if self._burst and len(self._recent) == self._burst:
            return self._recent[0] + self._window_seconds
        return 0.0

    def pause(self, seconds: float) -> None:
        """Flood control: no slot for anyone during the next `seconds`."""
        resume = self._monotonic() + max(0.0, seconds)
        self.pauses.append(seconds)
        self._resume_at = max(self._resume_at, resume)
        self._next_slot = max(self._next_slot, self._resume_at)

    def _started(self) -> None:
        if self._burst:
            self._recent.append(self._monotonic())

    async def _take(self, *, record: bool = True) -> None:
        while True:
            now = self._monotonic()
            if self._resume_at > now:
                await self._sleep(self._resume_at - now)
                continue
            # Reserve before sleeping: slots are handed out in order, evenly spaced.
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await self._sleep(slot - now)
            await self._window()
            if self._monotonic() >= self._resume_at:
                if record:
                    self._started()
                return
            # Flood control began while we waited for the slot: queue again after it.

    async def _window(self) -> None:
        """Wait while `burst` sends already started within the last window."""
        if self._burst and len(self._recent) == self._burst:
            wait = self._recent[0] + self._window_seconds - self._monotonic()
            if wait > 0:
                await self._sleep(wait)


class BudgetRateLimiter(BaseRateLimiter[int]):
    """PTB's rate-limiter hook: every Bot API call to a chat takes a reply slot of the budget.

    Calls without a chat (getUpdates, answerCallbackQuery, setMyCommands) are not messages and
    pass at once. A RetryAfter pauses the whole budget and is retried up to REPLY_RETRIES times.
    """

    def __init__(self, budget: SendBudget, max_retries: int = REPLY_RETRIES) -> None:
        self.budget = budget
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Take a slot for a message to a chat, run the call, wait out and retry flood control."""
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            if data.get("chat_id") is not None:
                await self.budget.reply_slot()
            elif attempt:
                await self.budget.sleep(max(0.0, self.budget.resume_at - self.budget.now()))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc.retry_after)
                self.budget.pause(seconds)
                if attempt >= retries:
                    raise
                attempt += 1
                log.info("flood control on %s: retrying after %.1f s", endpoint, seconds)
