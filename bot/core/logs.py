"""Logging set-up: one line per event, user ids hashed, secrets never printed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The Telegram user whose update is being handled (set by the handler wrapper); None outside.
_current_user: ContextVar[int | None] = ContextVar("log_user", default=None)
NO_USER = "-"


@contextmanager
def user_context(user_id: int | None) -> Iterator[None]:
    """Attribute every log line inside the block to `user_id` (logged hashed, never raw)."""
    token = _current_user.set(user_id)
    try:
        yield
    finally:
        _current_user.reset(token)


def hash_user_id(user_id: int, salt: str) -> str:
    """A short, stable, salted hash of a user id: the same user gives the same 10 hex digits."""
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:10]


class UserFilter(logging.Filter):
    """Add `record.user`: the hashed id of the user being served, or '-'."""

    def __init__(self, salt: str) -> None:
        super().__init__()
        self._salt = salt

    def filter(self, record: logging.LogRecord) -> bool:
        """Set the attribute; never drops a record."""
        user_id = _current_user.get()
        record.user = NO_USER if user_id is None else hash_user_id(user_id, self._salt)
        return True


class OneLineFormatter(logging.Formatter):
    """Format a record, traceback included, as one line with every secret masked."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """The whole event on one line: newlines of tracebacks become ' | '."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return " | ".join(line for line in text.splitlines() if line.strip())


LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s u=%(user)s: %(message)s"


def configure_logging(level: str, secrets: list[str], *, salt: str = "") -> None:
    """Log to stderr at `level`, one line per event, masking `secrets`, hashing user ids."""
    # The token's secret half alone must not show either (e.g. in a URL split oddly).
    expanded = [*secrets, *(s.split(":", 1)[1] for s in secrets if ":" in s)]
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(LINE_FORMAT, expanded))
    handler.addFilter(UserFilter(salt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs each request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # aiosqlite traces every cursor call at DEBUG: noise that buries the bot's own lines.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
