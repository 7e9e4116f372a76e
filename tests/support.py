"""Plain test support shared by fixtures and tests: the token, the start of time, a clock, types.

conftest.py holds fixtures only and imports these from here; tests import them from here too,
never from conftest or from another test module (tests/test_test_layout.py checks that).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from storage.uow import UnitOfWork

TEST_TOKEN = "123456789:AAHtestTOKENtestTOKENtestTOKEN12345"
START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SARAH = 1001  # the `sarah` fixture's user id
TODAY = date(2026, 11, 25)  # the clock starts 2026-11-25 12:00 UTC; Sarah's zone is UTC

UnitOfWorkFactory = Callable[[], UnitOfWork]


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward by timedelta(**delta)."""
        self.now += timedelta(**delta)

    def set(self, now: datetime) -> None:
        """Jump to `now` (aware)."""
        self.now = now
