"""Running practice timers: start (one per user), pause/resume, and atomic claims to stop,
refresh or guard them, so two instances never act on the same timer twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.records import field_names
from storage.models import Evidence, Skill, Timer, User
from storage.repositories.base import Repository


@dataclass(frozen=True, slots=True)
class TimerRow:
    """A timer as claimed (stopped, due for a refresh, or asked about)."""

    id: int
    user_id: int
    skill_id: int
    chat_id: int
    message_id: int | None
    intention: str | None
    started_at: datetime
    paused_at: datetime | None
    paused_seconds: int
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class GuardCandidate:
    """A timer the guard may act on, with what it needs to word the message."""

    timer: TimerRow
    skill_name: str
    timezone: str
    paused_until: date | None


# The timer's columns a claim returns: TimerRow's fields, which are named after them.
_COLUMNS = tuple(getattr(Timer, name) for name in field_names(TimerRow))


def _row(values: tuple[object, ...]) -> TimerRow:
    return TimerRow(*values)  # type: ignore[arg-type]


class TimerRepository(Repository):
    """Reads and writes users' running timers; every user-facing call is scoped to its owner."""

    async def running(self, user_id: int) -> Timer | None:
        """The user's running (or paused) timer, or None."""
        return await self._session.scalar(select(Timer).where(Timer.user_id == user_id))

    async def start(
        self,
        user_id: int,
        *,
        skill_id: int,
        chat_id: int,
        intention: str | None,
        now: datetime,
        refresh_at: datetime,
    ) -> int | None:
        """Start a timer; None if the user already has one (the unique key decides)."""
        values = {
            "user_id": user_id,
            "skill_id": skill_id,
            "chat_id": chat_id,
            "intention": intention,
            "started_at": now,
            "paused_seconds": 0,
            "last_seen_at": now,
            "refresh_at": refresh_at,
        }
        if self._session.get_bind().dialect.name == "postgresql":
            statement = (
                pg_insert(Timer)
                .values(values)
                .on_conflict_do_nothing(index_elements=["user_id"])
                .returning(Timer.id)
            )
        else:
            statement = (
                sqlite_insert(Timer)
                .values(values)
                .on_conflict_do_nothing(index_elements=["user_id"])
                .returning(Timer.id)
            )
        timer_id = await self._session.scalar(statement)
        return int(timer_id) if timer_id is not None else None

    async def claim_stop(self, user_id: int, timer_id: int) -> TimerRow | None:
        """Delete the user's timer and return it; None if it is gone (stopped elsewhere)."""
        return await self._take(Timer.id == timer_id, Timer.user_id == user_id)

    async def claim_forgotten(
        self, timer_id: int, *, answer_before: datetime, idle_before: datetime, day_before: datetime
    ) -> TimerRow | None:
        """Delete a timer the guard may stop (still forgotten now); None if it moved on."""
        return await self._take(
            Timer.id == timer_id, _forgotten(answer_before, idle_before, day_before)
        )

    async def _take(self, *conditions: ColumnElement[bool]) -> TimerRow | None:
        """Delete the timer that still meets `conditions` and return it; None if none does."""
        result = await self._session.execute(
            delete(Timer)
            .where(*conditions)
            .returning(*_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        row = result.first()
        return _row(tuple(row)) if row is not None else None

    async def set_message(self, user_id: int, timer_id: int, message_id: int) -> None:
        """Remember the live message now showing the timer."""
        await self._session.execute(
            update(Timer)
            .where(Timer.id == timer_id, Timer.user_id == user_id)
            .values(message_id=message_id)
            .execution_options(synchronize_session=False)
        )

    async def attach_evidence(
        self, user_id: int, skill_id: int, log_id: int, since: datetime, until: datetime
    ) -> int:
        """Move the skill's evidence sent while the timer ran onto the saved session."""
        result = await self._session.execute(
            update(Evidence)
            .where(
                Evidence.user_id == user_id,
                Evidence.skill_id == skill_id,
                Evidence.practice_log_id.is_(None),
                Evidence.created_at >= since,
                Evidence.created_at <= until,
            )
            .values(practice_log_id=log_id)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def claim_refreshes(
        self,
        now: datetime,
        *,
        fast_since: datetime,
        fast_next: datetime,
        slow_next: datetime,
        limit: int,
    ) -> list[tuple[TimerRow, str]]:
        """Claim up to `limit` timers due for a refresh by moving their next refresh on.

        Started since `fast_since`: next at `fast_next`, else `slow_next`. The compare on
        refresh_at in the UPDATE makes a row go to one claimer only. Returns rows with the
        skill's name.
        """
        due = list(
            await self._session.scalars(
                select(Timer.id)
                .where(Timer.refresh_at <= now, Timer.message_id.is_not(None))
                .order_by(Timer.refresh_at, Timer.id)
                .limit(limit)
            )
        )
        if not due:
            return []
        result = await self._session.execute(
            update(Timer)
            .where(Timer.id.in_(due), Timer.refresh_at <= now)
            .values(refresh_at=case((Timer.started_at > fast_since, fast_next), else_=slow_next))
            .returning(*_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        # RETURNING comes in no set order (PostgreSQL's follows its plan): keep the longest-due
        # first, the order the claim chose them in.
        place = {timer_id: index for index, timer_id in enumerate(due)}
        rows = sorted((_row(tuple(r)) for r in result.all()), key=lambda row: place[row.id])
        return list(zip(rows, await self._skill_names(rows), strict=True))

    async def release_refreshes(self, timer_ids: list[int], now: datetime) -> None:
        """Make claimed refreshes due again (shed, not sent), unless paused meanwhile."""
        if not timer_ids:
            return
        await self._session.execute(
            update(Timer)
            .where(Timer.id.in_(timer_ids), Timer.paused_at.is_(None), Timer.refresh_at > now)
            .values(refresh_at=now)
            .execution_options(synchronize_session=False)
        )

    async def claim_guard_questions(
        self, now: datetime, *, idle_before: datetime, not_paused_after: date, limit: int
    ) -> list[GuardCandidate]:
        """Mark up to `limit` idle, unasked timers as asked, and return them (claimed once).

        Users whose reminders may be paused (paused_until on or after `not_paused_after`) are
        not asked; the silent stop still ends their timer later.
        """
        idle = (
            select(Timer.id)
            .join(User, User.id == Timer.user_id)
            .where(
                Timer.guard_asked_at.is_(None),
                Timer.last_seen_at <= idle_before,
                or_(User.paused_until.is_(None), User.paused_until < not_paused_after),
            )
            .order_by(Timer.last_seen_at)
            .limit(limit)
            .scalar_subquery()
        )
        result = await self._session.execute(
            update(Timer)
            .where(Timer.id.in_(idle), Timer.guard_asked_at.is_(None))
            .values(guard_asked_at=now)
            .returning(*_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        return await self._candidates([_row(tuple(r)) for r in result.all()])

    async def forgotten(
        self, *, answer_before: datetime, idle_before: datetime, day_before: datetime, limit: int
    ) -> list[GuardCandidate]:
        """Timers the guard should stop now (each is then claimed with claim_forgotten)."""
        result = await self._session.execute(
            select(*_COLUMNS)
            .where(_forgotten(answer_before, idle_before, day_before))
            .order_by(Timer.id)
            .limit(limit)
        )
        return await self._candidates([_row(tuple(r)) for r in result.all()])

    async def by_ids(self, timer_ids: list[int]) -> list[TimerRow]:
        """The timers with these ids that still run (a job's re-check before it sends)."""
        if not timer_ids:
            return []
        result = await self._session.execute(select(*_COLUMNS).where(Timer.id.in_(timer_ids)))
        return [_row(tuple(r)) for r in result.all()]

    async def next_focuses(self, user_id: int) -> list[tuple[str, str]]:
        """(skill name, next focus) of the user's active skills that have one, by name."""
        result = await self._session.execute(
            select(Skill.name, Skill.next_focus)
            .where(
                Skill.user_id == user_id,
                Skill.archived_at.is_(None),
                Skill.next_focus.is_not(None),
            )
            .order_by(Skill.name_key)
        )
        return [(name, focus) for name, focus in result.all() if focus]

    async def next_focus_by_skill(self, user_id: int) -> dict[int, str]:
        """Skill id -> next focus, for the user's active skills that have one (/today)."""
        result = await self._session.execute(
            select(Skill.id, Skill.next_focus).where(
                Skill.user_id == user_id,
                Skill.archived_at.is_(None),
                Skill.next_focus.is_not(None),
            )
        )
        return {int(skill_id): focus for skill_id, focus in result.all() if focus}

    async def _skill_names(self, rows: list[TimerRow]) -> list[str]:
        if not rows:
            return []
        result = await self._session.execute(
            select(Skill.id, Skill.name).where(Skill.id.in_({row.skill_id for row in rows}))
        )
        names: dict[int, str] = dict(list(result.all()))
        return [names.get(row.skill_id, "?") for row in rows]

    async def _candidates(self, rows: list[TimerRow]) -> list[GuardCandidate]:
        if not rows:
            return []
        names = await self._skill_names(rows)
        result = await self._session.execute(
            select(User.id, User.timezone, User.paused_until).where(
                User.id.in_({row.user_id for row in rows})
            )
        )
        users = {user_id: (zone, paused) for user_id, zone, paused in result.all()}
        return [
            GuardCandidate(row, name, *users.get(row.user_id, ("UTC", None)))
            for row, name in zip(rows, names, strict=True)
        ]


def _forgotten(
    answer_before: datetime, idle_before: datetime, day_before: datetime
) -> ColumnElement[bool]:
    """Asked and unanswered; or idle past the question and its answer time (never asked,
    e.g. on vacation); or running for a whole day."""
    return or_(
        Timer.guard_asked_at <= answer_before,
        Timer.last_seen_at <= idle_before,
        Timer.started_at <= day_before,
    )
