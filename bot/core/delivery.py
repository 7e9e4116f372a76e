"""Delivering a reply through Bot API faults: bounded retries, and knowing when to stop.

PTB's rate limiter already waits out a RetryAfter a few times inside one call, so a RetryAfter
that reaches us comes after those waits. One deadline, measured from the first attempt,
counts them too: a further attempt is made only while the wait still fits, so the total time
a reply can take stays bounded whatever the rate limiter did.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 3
DEADLINE_SECONDS = 12.0
BACKOFF_SECONDS = (0.3, 1.0)

# Telegram's words for a button press that can no longer be answered: answered already, or
# older than its answer window (about 15 minutes). Redelivery makes both expected.
_EXPIRED_QUERY = ("query is too old", "query id is invalid")


def is_expired_query(error: TelegramError) -> bool:
    """Whether answering a callback query failed only because it was answered or expired."""
    return isinstance(error, BadRequest) and any(
        words in error.message.lower() for words in _EXPIRED_QUERY
    )


def is_delivery_failure(error: Exception) -> bool:
    """Whether a Bot API call failed on Telegram's side or the network's, not by our mistake."""
    return isinstance(error, NetworkError | RetryAfter) and not isinstance(error, BadRequest)


def retry_seconds(value: int | float | timedelta) -> float:
    """RetryAfter.retry_after in seconds: an int, or a timedelta with PTB_TIMEDELTA set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def deliver(
    send: Callable[[], Awaitable[T]],
    *,
    resend_safe: bool,
    attempts: int = ATTEMPTS,
    deadline: float = DEADLINE_SECONDS,
) -> T:
    """Run one Bot API call, retrying flood control and server errors within bounds.

    A timeout may come after Telegram delivered the message: a call that would then show twice
    (a new message, a document) is not resent (`resend_safe=False`); an edit is.
    """
    started = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except BadRequest:
            raise  # our request is wrong: sending it again gets the same answer
        except RetryAfter as exc:
            wait = retry_seconds(exc.retry_after)
            error: TelegramError = exc
        except TimedOut as exc:
            if not resend_safe:
                raise
            wait, error = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1], exc
        except NetworkError as exc:
            # A 5xx or a refused connection: Telegram did not take the message.
            wait, error = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1], exc
        if attempt == attempts or time.monotonic() - started + wait > deadline:
            raise error
        log.info("Bot API call failed (%s); retrying in %.1f s", error, wait)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")
