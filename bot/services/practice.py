"""Saving and editing practice sessions: the one place every rule is checked before a write.

/log, Quick Log and (later) reminder buttons all save one session through save_practice_log, so
the per-user lock, the 24-hour day cap, ownership, archived skills and idempotency are decided
in one place. (Bulk import writes thousands of rows in batches: bot/services/bulk_import.py.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.domain.durations import validate_duration
from bot.domain.errors import NOT_FOUND, DomainError
from bot.domain.practice import (
    MAX_MINUTES_PER_DAY,
    SESSION_SOURCES,
    QuickOptions,
    RepeatChoice,
    check_daily_total,
    quick_description,
    validate_description,
    validate_practice_date,
    validate_rating,
)
from bot.domain.practice import SessionDraft as SessionDraft  # re-exported beside its saver
from bot.domain.skills import SkillRef
from storage.models import PracticeLog, Skill
from storage.repositories.practice_logs import AroundSkillName, LogChanges
from storage.uow import UnitOfWork

SOURCES = SESSION_SOURCES
# The streak needs only the dates since it began; a year and a bit covers any streak people
# keep, and keeps the read bounded however long the history is.
RECENT_DATES_DAYS = 400


class UnknownSkill(DomainError):
    """The skill is not the user's (forged id) or was deleted."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND)


class ArchivedSkill(DomainError):
    """The skill is archived; the caller may offer to unarchive it."""

    def __init__(self, skill: Skill) -> None:
        super().__init__(
            f"{skill.name} is archived. Unarchive it in /skills to log practice for it again."
        )
        self.skill_id = skill.id
        self.skill_name = skill.name


class DayIsFull(DomainError):
    """The session would take the day past 24 hours; ``left`` minutes still fit."""

    def __init__(self, message: str, left: int) -> None:
        super().__init__(message)
        self.left = left


class UnknownLog(DomainError):
    """The session is not the user's, or was deleted."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND)


@dataclass(frozen=True, slots=True)
class SavedSession:
    """What a save did: the row, its skill's name, whether it is new, and the streak's input.

    created is False when the client_token had been used: the row is the first save's.
    other_dates are the distinct dates of the user's other sessions in the last
    RECENT_DATES_DAYS, newest first: the streak before this session is compute_streak(
    other_dates, today); after it, add log.practiced_on. No extra query is needed for either.
    """

    log: PracticeLog
    skill_name: str
    created: bool
    other_dates: list[date]
    # False only when the save saw that the user and the skill have no goal, or that no
    # evidence waits in a batch, in its own statement: the card then skips reading them.
    has_goals: bool = True
    has_batch: bool = True


async def quick_options(uow: UnitOfWork, user_id: int) -> QuickOptions:
    """Load the user's active skills and their last session for a Quick Log keyboard."""
    summaries = await uow.skills.summaries(user_id, include_archived=False)
    skills = [SkillRef(s.id, s.name) for s in summaries]
    last = await uow.practice_logs.last_log(user_id)
    repeat = None
    if last is not None:
        name = next((s.name for s in skills if s.skill_id == last.skill_id), None)
        if name is not None:  # an archived skill's last session is not offered
            repeat = RepeatChoice(last.skill_id, name, last.duration_minutes)
    return QuickOptions(skills, repeat)


async def active_skill(uow: UnitOfWork, user_id: int, skill_id: int) -> Skill:
    """The user's skill if it exists and is not archived (UnknownSkill / ArchivedSkill)."""
    skill = await uow.skills.get(user_id, skill_id)
    if skill is None:
        raise UnknownSkill()
    if skill.archived:
        raise ArchivedSkill(skill)
    return skill


async def check_room(
    uow: UnitOfWork, user_id: int, day: date, minutes: int, exclude_log_id: int | None = None
) -> int:
    """Raise DayIsFull unless `minutes` more fit on `day`; returns the minutes already there."""
    existing = await uow.practice_logs.minutes_on_day(user_id, day, exclude_log_id)
    try:
        check_daily_total(existing, minutes)
    except DomainError as exc:
        raise DayIsFull(str(exc), max(0, MAX_MINUTES_PER_DAY - existing)) from None
    return existing


async def save_practice_log(
    uow: UnitOfWork, user_id: int, today: date, draft: SessionDraft
) -> SavedSession:
    """Check every rule and add the session (or return the one saved with its client token).

    The field rules run in Python first (bot.domain.practice). Then one statement inserts the
    row only if the skill is the user's and active, the day keeps within 24 hours and the token
    is new; only when it refuses do we read why, to say so. The user is locked first so two
    concurrent saves cannot both squeeze under the day cap. `today` is the user's local date.
    Flushes; the caller commits.
    """
    if draft.source not in SOURCES:
        raise ValueError(f"unknown source {draft.source!r}")
    validate_duration(draft.duration_minutes)
    validate_practice_date(draft.practiced_on, today)
    description: str | AroundSkillName = (
        validate_description(draft.description)
        if draft.description is not None
        else _quick_description_around_name(draft.duration_minutes)
    )
    difficulty = validate_rating(draft.difficulty, "difficulty")
    confidence = validate_rating(draft.confidence, "confidence")
    await uow.users.lock(user_id)
    dates_since = today - timedelta(days=RECENT_DATES_DAYS)
    added = await uow.practice_logs.add_checked(
        user_id,
        replace(draft, difficulty=difficulty, confidence=confidence),
        description,
        max_day_minutes=MAX_MINUTES_PER_DAY,
        dates_since=dates_since,
    )
    if added is not None:
        return SavedSession(
            added.log,
            added.skill_name,
            True,
            added.other_dates,
            has_goals=added.has_goals,
            has_batch=added.has_batch,
        )
    # Refused: find out which rule, in the order the user should hear about them.
    if draft.client_token is not None:
        existing = await uow.practice_logs.by_token(user_id, draft.client_token)
        if existing is not None:
            skill = await uow.skills.get(user_id, existing.skill_id)
            assert skill is not None  # the foreign key keeps a session's skill alive
            others = await uow.practice_logs.practice_dates(
                user_id, dates_since, today, exclude_log_id=existing.id
            )
            return SavedSession(existing, skill.name, False, others)
    await active_skill(uow, user_id, draft.skill_id)
    await check_room(uow, user_id, draft.practiced_on, draft.duration_minutes)
    raise RuntimeError("the insert was refused but every rule holds")


# A placeholder the name rules can never produce, swapped for the stored name in SQL. Stored
# names are already normalised and at most 64 characters, so the text equals what
# quick_description would make from them.
_NAME_SLOT = "SKILLNAMESLOT"


def _quick_description_around_name(minutes: int) -> AroundSkillName:
    """quick_description(name, minutes) with the name left for the database to fill in."""
    prefix, suffix = quick_description(_NAME_SLOT, minutes).split(_NAME_SLOT)
    return AroundSkillName(prefix, suffix)


async def update_practice_log(
    uow: UnitOfWork, user_id: int, today: date, log_id: int, changes: LogChanges
) -> PracticeLog:
    """Validate and apply an edit (date, duration, description, ratings) under the same rules.

    The day cap counts the other sessions on the (possibly new) date, leaving this one out.
    Commits; a refused edit writes nothing.
    """
    await uow.users.lock(user_id)
    log = await uow.practice_logs.get(user_id, log_id)
    if log is None:
        raise UnknownLog()
    clean: LogChanges = {}
    if "practiced_on" in changes:
        clean["practiced_on"] = validate_practice_date(changes["practiced_on"], today)
    if "duration_minutes" in changes:
        clean["duration_minutes"] = validate_duration(changes["duration_minutes"])
    if "description" in changes:
        clean["description"] = validate_description(changes["description"])
    if "difficulty" in changes:
        clean["difficulty"] = validate_rating(changes["difficulty"], "difficulty")
    if "confidence" in changes:
        clean["confidence"] = validate_rating(changes["confidence"], "confidence")
    if "practiced_on" in clean or "duration_minutes" in clean:
        day = clean.get("practiced_on", log.practiced_on)
        minutes = clean.get("duration_minutes", log.duration_minutes)
        await check_room(uow, user_id, day, minutes, exclude_log_id=log.id)
    updated = await uow.practice_logs.update(user_id, log_id, clean)
    assert updated is not None  # locked and fetched above
    await uow.commit()
    return updated
