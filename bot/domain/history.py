"""A practice session as history lists it, a position in that list, a filter and its totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in the newest-first order: a session's date and id."""

    practiced_on: date
    id: int


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which sessions a page lists: one skill or all, between two dates (inclusive, optional)."""

    skill_id: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A practice session with its skill's name (history, evidence screens, export).

    `evidence` is the number of evidence pieces attached, where the query counted them.
    """

    id: int
    skill_id: int
    skill_name: str
    practiced_on: date
    duration_minutes: int
    description: str
    difficulty: int | None
    confidence: int | None
    created_at: datetime
    updated_at: datetime
    evidence: int = 0

    @property
    def cursor(self) -> Cursor:
        """This row's position in the order."""
        return Cursor(self.practiced_on, self.id)


@dataclass(frozen=True, slots=True)
class HistoryTotals:
    """How many sessions and minutes a filter matches."""

    sessions: int
    minutes: int
