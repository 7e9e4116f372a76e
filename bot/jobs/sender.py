"""Deliver scheduled messages within Telegram's limits: ~30/s overall, ~1/s per chat.

The sweep sends through a plain Bot that shares the application's HTTP connection pool but not
its rate limiter (see :func:`delivery_bot`), so the limiter never queues or retries a sweep
request behind our back. Both draw slots from one :class:`~bot.core.send_budget.SendBudget`
per instance (the application's, when it has one), so replies and the sweep together stay
within RATE_LIMIT_PER_SECOND, replies first:

- The Sender takes a background slot of the budget for every attempt (evenly spaced at 97.7% of
  the cap, never more than the cap in any window); keeps each chat to one message per
  ``per_chat_interval``; and on ``RetryAfter`` pauses the whole budget for the time Telegram
  asked, then resumes evenly spaced (no burst) and retries the message.
- Right before each attempt, after the wait for a slot, the caller's ``still_wanted`` re-check
  runs: a conditional message can become wrong while it waits.
- Network errors and 5xx answers are retried with exponential backoff.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.config import Settings
from bot.core.send_budget import (
    PACE,
    TELEGRAM_BULK_LIMIT,
    WINDOW_MARGIN,
    BudgetRateLimiter,
    SendBudget,
    retry_seconds,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["PACE", "WINDOW_MARGIN", "NoLongerWanted", "Sender", "delivery_bot", "retry_seconds"]

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


def shared_budget(bot: Bot) -> SendBudget | None:
    """The send budget of the application's bot, if its rate limiter has one."""
    if isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, BudgetRateLimiter):
        return bot.rate_limiter.budget
    return None


class Sender:
    """Paces Bot API calls: a budget slot each, a minimum gap per chat, retries."""

    def __init__(
        self,
        cap: float = TELEGRAM_BULK_LIMIT,
        *,
        budget: SendBudget | None = None,
        pace: float = PACE,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        network_attempts: int = NETWORK_ATTEMPTS,
        backoff: float = BACKOFF_SECONDS,
        retry_after_rounds: int = RETRY_AFTER_ROUNDS,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Draw slots from `budget`, or from a budget of its own: `cap`/s, slots at `cap * pace`."""
        self.budget = budget or SendBudget(cap, pace=pace, monotonic=monotonic, sleep=sleep)
        self._per_chat = per_chat_interval
        self._network_attempts = network_attempts
        self._backoff = backoff
        self._retry_after_rounds = retry_after_rounds
        self._monotonic = self.budget.now
        self._sleep = self.budget.sleep
        self._chat_ready: dict[int, float] = {}

    @property
    def rate(self) -> float:
        """The even pace in messages per second (0: unpaced)."""
        return self.budget.rate

    @property
    def pauses(self) -> list[float]:
        """Flood-control pauses so far, in seconds (the budget's, replies' included)."""
        return self.budget.pauses

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
            previous = await self._chat_turn(chat_id)
            async with self.budget.background_slot() as started:
                if still_wanted is not None:
                    try:
                        if not await still_wanted():
                            raise NoLongerWanted
                    except BaseException:
                        # Nothing was sent: the chat's turn is given back.
                        self._chat_ready[chat_id] = previous
                        raise
                if self._monotonic() < self.budget.resume_at:
                    # Flood control began while we waited: queue again after it.
                    self._chat_ready[chat_id] = previous
                    continue
                # The chat's next message counts from now, when this one really leaves.
                self._chat_ready[chat_id] = self._monotonic() + self._per_chat
                started()
            try:
                return await make()
            except (RetryAfter, NetworkError) as exc:
                if isinstance(exc, BadRequest):
                    raise
                # A refused attempt delivered nothing: it does not count against the chat.
                self._chat_ready[chat_id] = previous
                if isinstance(exc, RetryAfter):
                    pauses += 1
                    seconds = retry_seconds(exc.retry_after)
                    self.budget.pause(seconds)
                    log.warning("flood control: pausing sends for %.1f s", seconds)
                    if pauses > self._retry_after_rounds:
                        raise
                    continue
                failures += 1
                if failures >= self._network_attempts:
                    raise
                delay = min(MAX_BACKOFF_SECONDS, self._backoff * 2 ** (failures - 1))
                log.info("send to a chat failed (%s); retrying in %.1f s", exc, delay)
                await self._sleep(delay)

    async def _chat_turn(self, chat_id: int) -> float:
        """Wait until this chat may get a message and hold its turn; returns the previous one.

        The previous ready time gives the turn back if nothing is sent after all.
        """
        while True:
            now = self._monotonic()
            previous = self._chat_ready.get(chat_id, 0.0)
            ready = max(previous, self.budget.resume_at)
            if ready > now:
                await self._sleep(ready - now)
                continue
            # Hold the chat's turn while waiting for a slot: a second message queues behind.
            self._chat_ready[chat_id] = now + self._per_chat
            return previous
