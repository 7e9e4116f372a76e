"""How many Bot API messages per second this instance may send, as a limiter accepts it."""

from __future__ import annotations


def limiter_window(rate_per_second: float) -> tuple[float, float]:
    """(max messages, per seconds) for a rate; below 1/s one message per 1/rate seconds.

    aiolimiter refuses to acquire more than its capacity, so a capacity of 0.5 messages per
    second could never send one: express 0.5/s as 1 message per 2 seconds instead.
    """
    if rate_per_second <= 0:
        return 0.0, 0.0
    if rate_per_second < 1:
        return 1.0, 1.0 / rate_per_second
    return rate_per_second, 1.0
