"""One row's cells -> a session checked by the /log rules, or a RowError with every reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.import_format.cells import (
    CellError,
    Rules,
    generated_description,
    is_blank,
    lenient_timestamp,
    read_date,
    read_description,
    read_duration,
    read_rating,
    read_skill,
    read_timestamp,
)
from bot.domain.import_format.model import ImportRow, RowError
from bot.domain.practice import SESSION_SOURCES

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row's cells for each field, before validation."""

    number: int
    date: object
    skill: object
    duration: object
    description: object = None
    difficulty: object = None
    confidence: object = None
    created_at: object = None
    updated_at: object = None
    source_id: int | None = None
    source: object = None


def build_row(raw: RawRow, rules: Rules) -> ImportRow | RowError:
    """Validate one row's cells with the /log rules, collecting every problem found."""
    reasons: list[str] = []

    def attempt(read: Callable[[], _T]) -> _T | None:
        try:
            return read()
        except CellError as exc:
            reasons.append(str(exc))
            return None

    practiced_on = attempt(lambda: read_date(raw.date, rules))
    skill = attempt(lambda: read_skill(raw.skill))
    minutes = attempt(lambda: read_duration(raw.duration, rules))
    generated = is_blank(raw.description) and rules.generate_description
    description: str | None = None
    if is_blank(raw.description) and not rules.generate_description:
        reasons.append("Missing description.")
    elif not generated:
        description = attempt(lambda: read_description(raw.description))
    difficulty = attempt(lambda: read_rating(raw.difficulty, "difficulty"))
    confidence = attempt(lambda: read_rating(raw.confidence, "confidence"))
    if rules.strict_timestamps:
        created_at = attempt(lambda: read_timestamp(raw.created_at, "created_at"))
        updated_at = attempt(lambda: read_timestamp(raw.updated_at, "updated_at"))
    else:
        # Only bookkeeping: a spreadsheet app may have reformatted it, so drop rather than refuse.
        created_at = lenient_timestamp(raw.created_at)
        updated_at = None
    if reasons or practiced_on is None or skill is None or minutes is None:
        return RowError(raw.number, " ".join(reasons))
    if description is None:
        description = generated_description(skill, minutes)
    return ImportRow(
        row_number=raw.number,
        practiced_on=practiced_on,
        skill_name=skill,
        duration_minutes=minutes,
        description=description,
        difficulty=difficulty,
        confidence=confidence,
        description_generated=generated,
        source_id=raw.source_id,
        created_at=created_at,
        updated_at=updated_at,
        # Bookkeeping, not the user's words: an unknown value counts as imported, not an error.
        source=raw.source
        if isinstance(raw.source, str) and raw.source in SESSION_SOURCES
        else None,
    )
