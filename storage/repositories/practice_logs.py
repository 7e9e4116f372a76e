"""Practice logs: one user's sessions, with checked, idempotent adds keyed by a client token."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Insert,
    Integer,
    SmallInteger,
    String,
    bindparam,
    column,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, make_transient_to_detached
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.goals import GoalKind
from bot.domain.practice import SessionDraft
from bot.domain.records import field_values
from storage.models import PracticeLog, Skill
from storage.repositories.base import Repository
from storage.types import UTCDateTime, utcnow


class LogChanges(TypedDict, total=False):
    """The fields an edit may change (spec section 6: never the skill, owner or created time)."""

    practiced_on: date
    duration_minutes: int
    description: str
    difficulty: int | None
    confidence: int | None


EDITABLE_FIELDS = frozenset(LogChanges.__annotations__)


@dataclass(frozen=True, slots=True)
class AroundSkillName:
    """A description made in SQL around the skill's stored name: prefix + name + suffix.

    Lets a generated description ("Quick practice: 30 min of React") be written by the same
    statement that checks the skill, without reading the skill first.
    """

    prefix: str
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class AddedLog:
    """A session add_checked inserted, with what the saved-entry card needs."""

    log: PracticeLog
    skill_name: str
    # Distinct dates of the user's OTHER sessions since `dates_since`, newest first: the streak
    # before this session; add log.practiced_on for the streak after it.
    other_dates: list[date]
    # Whether the user or this skill has a goal, and whether evidence waits in a batch: the
    # card reads those only when there is something to read.
    has_goals: bool = True
    has_batch: bool = True


# SQLAlchemy renders RETURNING columns unqualified, even inside subqueries, so the correlated
# subqueries that read other tables there are written out. Both see only other rows, so they
# mean the same on SQLite (where RETURNING subqueries see the new row) and PostgreSQL (where
# they don't).
_SKILL_NAME_SQL = "SELECT skills.name FROM skills WHERE skills.id = practice_logs.skill_id"
_HAS_GOALS_SQL = (
    "SELECT EXISTS (SELECT 1 FROM users WHERE users.id = practice_logs.user_id AND ("
    "users.weekly_goal_minutes IS NOT NULL OR users.weekly_goal_sessions IS NOT NULL "
    "OR users.weekly_goal_days IS NOT NULL OR users.daily_goal_minutes IS NOT NULL) "
    "UNION ALL SELECT 1 FROM skills WHERE skills.id = practice_logs.skill_id AND ("
    "skills.weekly_goal_minutes IS NOT NULL OR skills.weekly_goal_sessions IS NOT NULL "
    "OR skills.weekly_goal_days IS NOT NULL OR skills.daily_goal_minutes IS NOT NULL))"
)
# A new kind of goal must be added above, or cards would not show it.
assert all(_HAS_GOALS_SQL.count(f".{kind.value} ") == 2 for kind in GoalKind)
_HAS_BATCH_SQL = (
    "SELECT EXISTS (SELECT 1 FROM evidence_batches "
    "WHERE evidence_batches.user_id = practice_logs.user_id)"
)
_OTHER_DATES_SQL = {
    "sqlite": (
        "SELECT group_concat(d) FROM (SELECT DISTINCT other.practiced_on AS d "
        "FROM practice_logs AS other WHERE other.user_id = practice_logs.user_id "
        "AND other.id <> practice_logs.id AND other.practiced_on >= :dates_since)"
    ),
    "postgresql": (
        "SELECT string_agg(DISTINCT other.practiced_on::text, ',') "
        "FROM practice_logs AS other WHERE other.user_id = practice_logs.user_id "
        "AND other.id <> practice_logs.id AND other.practiced_on >= :dates_since"
    ),
}


@functools.cache
def _checked_insert(dialect_name: str, around_name: bool) -> Insert:
    """INSERT ... SELECT FROM skills WHERE <rules> ON CONFLICT DO NOTHING RETURNING ...

    Built once per dialect with bind parameters: building this statement per call costs more
    CPU than running it.
    """
    user_id = bindparam("user_id", type_=BigInteger)
    day = bindparam("practiced_on", type_=Date)
    minutes = bindparam("duration_minutes", type_=Integer)
    now = bindparam("now", type_=UTCDateTime)
    text_: ColumnElement[str] = bindparam("description", type_=String)
    if around_name:
        text_ = text_ + Skill.name + bindparam("suffix", type_=String)
    day_total = (
        select(func.coalesce(func.sum(PracticeLog.duration_minutes), 0))
        .where(PracticeLog.user_id == user_id, PracticeLog.practiced_on == day)
        .scalar_subquery()
    )
    columns: dict[str, ColumnElement[Any] | InstrumentedAttribute[Any]] = {
        "user_id": user_id,
        "skill_id": Skill.id,
        "practiced_on": day,
        "duration_minutes": minutes,
        "description": text_,
        "difficulty": bindparam("difficulty", type_=SmallInteger),
        "confidence": bindparam("confidence", type_=SmallInteger),
        "source": bindparam("source", type_=String),
        "client_token": bindparam("client_token", type_=String),
        "created_at": now,
        "updated_at": now,
    }
    allowed = select(*columns.values()).where(
        Skill.id == bindparam("skill_id", type_=Integer),
        Skill.user_id == user_id,
        Skill.archived_at.is_(None),
        day_total + minutes <= bindparam("max_day_minutes", type_=Integer),
    )
    skill_name = text(_SKILL_NAME_SQL).columns(column("name", String)).scalar_subquery()
    other_dates = (
        text(_OTHER_DATES_SQL[dialect_name])
        .bindparams(bindparam("dates_since", type_=Date))
        .columns(column("dates", String))
        .scalar_subquery()
    )
    has_goals = text(_HAS_GOALS_SQL).columns(column("has_goals", Boolean)).scalar_subquery()
    has_batch = text(_HAS_BATCH_SQL).columns(column("has_batch", Boolean)).scalar_subquery()
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    statement: Insert = (
        dialect.insert(PracticeLog)
        .from_select(list(columns), allowed)
        .on_conflict_do_nothing(index_elements=["user_id", "client_token"])
        # Only what the caller cannot know already: every other column is a bound value.
        .returning(PracticeLog.id, skill_name, other_dates, has_goals, has_batch)
    )
    return statement


class PracticeLogRepository(Repository):
    """Reads and writes a user's practice sessions; every method filters by the owner."""

    async def add_checked(
        self,
        user_id: int,
        draft: SessionDraft,
        description: str | AroundSkillName,
        *,
        max_day_minutes: int,
        dates_since: date,
    ) -> AddedLog | None:
        """Insert a checked draft in ONE statement, only if every stored-data rule holds; else None.

        `description` is what to store in place of the draft's: its tidied text, or the Quick
        Log text around the skill's name. The rules: the skill is this user's and not archived,
        the user's minutes on that date stay within max_day_minutes, and no session carries the
        draft's client_token. On None the caller reads which rule failed (the rare path). One
        round trip is what decides Quick Log's speed on SQLite. Concurrent saves for one user
        must hold uow.users.lock first (the day total is read inside this statement, not locked).
        """
        around = isinstance(description, AroundSkillName)
        now = utcnow()
        # The new row's columns, bar id and description: bound into the statement, then reused
        # for the ORM object that stands for the inserted row.
        columns = field_values(draft, user_id=user_id)
        del columns["description"]
        params: dict[str, Any] = {
            **columns,
            "description": description,
            "now": now,
            "max_day_minutes": max_day_minutes,
            "dates_since": dates_since,
        }
        if isinstance(description, AroundSkillName):
            params["description"], params["suffix"] = description.prefix, description.suffix
        statement = _checked_insert(self._session.get_bind().dialect.name, around)
        connection = await self._session.connection()
        row = (await connection.execute(statement, params)).one_or_none()
        if row is None:
            return None
        log_id, skill_name, dates, has_goals, has_batch = row
        if isinstance(description, AroundSkillName):
            description = description.prefix + skill_name + description.suffix
        log = PracticeLog(
            id=log_id, description=description, created_at=now, updated_at=now, **columns
        )
        # Known to be in the database already: attach it without another round trip.
        make_transient_to_detached(log)
        self._session.add(log)
        return AddedLog(log, str(skill_name), _parse_dates(dates), bool(has_goals), bool(has_batch))

    async def by_token(self, user_id: int, client_token: str) -> PracticeLog | None:
        """The user's session saved with this client token, if any."""
        return await self._session.scalar(
            select(PracticeLog).where(
                PracticeLog.user_id == user_id, PracticeLog.client_token == client_token
            )
        )

    async def get(self, user_id: int, log_id: int) -> PracticeLog | None:
        """The user's session with this id, or None (also when it belongs to someone else)."""
        return await self._session.scalar(
            select(PracticeLog).where(PracticeLog.id == log_id, PracticeLog.user_id == user_id)
        )

    async def update(self, user_id: int, log_id: int, changes: LogChanges) -> PracticeLog | None:
        """Apply validated changes to the user's session; None if it is not theirs or gone."""
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        row = await self.get(user_id, log_id)
        if row is None:
            return None
        for name, value in changes.items():
            setattr(row, name, value)
        await self._session.flush()
        return row

    async def delete(self, user_id: int, log_id: int) -> bool:
        """Delete the user's session (its evidence goes with it); False if it was not there."""
        return await self._delete_owned(PracticeLog, log_id, user_id)

    async def minutes_on_day(
        self, user_id: int, day: date, exclude_log_id: int | None = None
    ) -> int:
        """Minutes the user logged on a date (one session left out when editing it)."""
        query = select(func.coalesce(func.sum(PracticeLog.duration_minutes), 0)).where(
            PracticeLog.user_id == user_id, PracticeLog.practiced_on == day
        )
        if exclude_log_id is not None:
            query = query.where(PracticeLog.id != exclude_log_id)
        return int(await self._session.scalar(query) or 0)

    async def last_log(self, user_id: int) -> PracticeLog | None:
        """The user's latest session: newest practice date, then the latest added that day.

        By practice date rather than creation time, so importing old history does not turn a
        years-old row into "the last session".
        """
        return await self._session.scalar(
            select(PracticeLog)
            .where(PracticeLog.user_id == user_id)
            .order_by(PracticeLog.practiced_on.desc(), PracticeLog.id.desc())
            .limit(1)
        )

    async def practice_dates(
        self, user_id: int, since: date, until: date, exclude_log_id: int | None = None
    ) -> list[date]:
        """Distinct dates with at least one session between since and until, newest first."""
        query = (
            select(PracticeLog.practiced_on)
            .where(
                PracticeLog.user_id == user_id,
                PracticeLog.practiced_on >= since,
                PracticeLog.practiced_on <= until,
            )
            .distinct()
            .order_by(PracticeLog.practiced_on.desc())
        )
        if exclude_log_id is not None:
            query = query.where(PracticeLog.id != exclude_log_id)
        return list(await self._session.scalars(query))


def _parse_dates(joined: str | None) -> list[date]:
    """'2026-11-20,2026-11-21' from the aggregate subquery, as dates newest first."""
    if not joined:
        return []
    return sorted((date.fromisoformat(part) for part in joined.split(",")), reverse=True)
