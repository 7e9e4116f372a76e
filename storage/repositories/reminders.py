"""Scheduled reminders: set-based selection of due users, the send ledger, and summary figures.

Local time is computed per *time zone*, not per user: the sweep asks for the distinct zones its
users live in, works out each zone's local date and minute in Python (zoneinfo, so DST is
exact), and joins that small table (one JSON parameter) to users. Every rule of
bot.domain.reminders is then a plain SQL condition, so one statement per kind returns only the
users that are due, however many there are, and never loops over users in Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.reminders import LocalClock, ReminderKind
from bot.domain.skills import SkillRef
from storage.models import Evidence, PracticeLog, SendLedger, Skill, User
from storage.repositories.base import Repository
from storage.sql_functions import day_number, latest, utc_date

CLAIMED = "claimed"
SENT = "sent"
SKIPPED = "skipped"
BLOCKED = "blocked"
FAILED = "failed"
_ZONE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("tz", String()),
    ("today", Date()),
    ("yesterday", Date()),
    ("day_before", Date()),
    ("since", Date()),
    ("minute", Integer()),
    ("weekday", Integer()),
    ("pkey", String()),
)
# Neither a date any user can have practised on nor NULL: NULL would poison GREATEST on SQLite.
_NO_DATE = date(1, 1, 1)


@dataclass(frozen=True, slots=True)
class Claim:
    """A scheduled message this process has claimed and must now deliver (or settle)."""

    ledger_id: int
    user_id: int
    kind: str
    period_key: str
    claimed_at: datetime


@dataclass(frozen=True, slots=True)
class LedgerState:
    """A ledger row's status and claim time, to check a claim is still ours before sending."""

    status: str
    claimed_at: datetime


class ReminderRepository(Repository):
    """Due-user selection, claims and ledger updates, and the figures reminders show."""

    # ----- selection and claims -----

    async def timezones(self) -> list[str]:
        """The distinct time zones of users who can still be reached."""
        rows = await self._session.scalars(
            select(User.timezone).where(User.is_reachable.is_(True)).distinct()
        )
        return list(rows.all())

    async def claim_due(
        self,
        kind: str,
        clocks: Sequence[LocalClock],
        now: datetime,
        *,
        rival: str | None,
        active_days: int,
        lease: timedelta,
        limit: int,
        after_user: int = -1,
        upto_user: int | None = None,
    ) -> tuple[list[Claim], int, int]:
        """Claim up to `limit` due messages of `kind` for users with after_user < id <= upto_user.

        Returns (claims, due rows selected, last user id selected). Each claim is returned to
        exactly one caller; fewer claims than rows selected means another instance claimed some
        of them first. Bounding the id range bounds the work of one statement: PostgreSQL
        evaluates every user in range before the LIMIT.

        `rival` is the kind that must not have been claimed for the same period (the other daily
        nudge); `active_days` is the weekly summary's "practised recently" window.

        New claims are inserted with ON CONFLICT DO NOTHING on (user, kind, period), so of two
        instances claiming the same user only one gets the row back. A claim left unsent for
        longer than `lease` (its process died) is taken over with a compare-and-set on
        claimed_at, as long as the message is still due in its period.
        """
        if not clocks:
            return [], 0, after_user
        zones = _zones(self._dialect(), clocks, active_days)
        same_period = and_(
            SendLedger.user_id == User.id,
            SendLedger.kind == kind,
            SendLedger.period_key == zones.c.pkey,
        )
        # Done for this period: sent or settled, or claimed by a process still within its lease.
        done = exists().where(
            same_period,
            or_(SendLedger.status != CLAIMED, SendLedger.claimed_at >= now - lease),
        )
        stale_claim = select(SendLedger.id).where(same_period).scalar_subquery()
        cheap, costly = _due_conditions(kind, rival, zones)
        query = (
            select(User.id, zones.c.pkey, stale_claim)
            .join(zones, zones.c.tz == User.timezone)
            .where(
                User.id > after_user,
                *([] if upto_user is None else [User.id <= upto_user]),
                *cheap,
                # One index probe that drops everyone already handled, before the costly ones.
                ~done,
                *costly,
            )
            .order_by(User.id)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).all()
        fresh = [(int(uid), str(key)) for uid, key, ledger_id in rows if ledger_id is None]
        stale = [int(ledger_id) for _, _, ledger_id in rows if ledger_id is not None]
        claims: list[Claim] = []
        if fresh:
            insert = (
                self._insert()
                .on_conflict_do_nothing(index_elements=["user_id", "kind", "period_key"])
                .returning(SendLedger.id, SendLedger.user_id, SendLedger.period_key)
            )
            inserted = await self._session.execute(
                insert,
                [
                    {
                        "user_id": uid,
                        "kind": kind,
                        "period_key": key,
                        "status": CLAIMED,
                        "claimed_at": now,
                    }
                    for uid, key in fresh
                ],
            )
            claims += [Claim(int(i), int(u), kind, str(k), now) for i, u, k in inserted.all()]
        if stale:
            taken = await self._session.execute(
                update(SendLedger)
                .where(
                    SendLedger.id.in_(stale),
                    SendLedger.status == CLAIMED,
                    SendLedger.claimed_at < now - lease,
                )
                .values(claimed_at=now)
                .returning(SendLedger.id, SendLedger.user_id, SendLedger.period_key)
            )
            claims += [Claim(int(i), int(u), kind, str(k), now) for i, u, k in taken.all()]
        last = int(rows[-1][0]) if rows else after_user
        return sorted(claims, key=lambda c: c.user_id), len(rows), last

    async def user_id_after(self, after_user: int, count: int) -> int | None:
        """The id `count` users after `after_user` in id order (None: fewer are left)."""
        value: int | None = await self._session.scalar(
            select(User.id).where(User.id > after_user).order_by(User.id).offset(count - 1).limit(1)
        )
        return value

    async def ledger_state(self, user_id: int, ledger_id: int) -> LedgerState | None:
        """The current status and claim time of one of the user's ledger rows."""
        row = (
            await self._session.execute(
                select(SendLedger.status, SendLedger.claimed_at).where(
                    SendLedger.id == ledger_id, SendLedger.user_id == user_id
                )
            )
        ).one_or_none()
        return None if row is None else LedgerState(str(row[0]), row[1])

    async def settle(
        self,
        user_id: int,
        ledger_id: int,
        status: str,
        now: datetime,
        message_id: int | None = None,
    ) -> None:
        """Record how a claimed message ended: sent, skipped, blocked or failed."""
        await self._session.execute(
            update(SendLedger)
            .where(SendLedger.id == ledger_id, SendLedger.user_id == user_id)
            .values(
                status=status,
                sent_at=now if status == SENT else None,
                message_id=message_id,
            )
        )

    async def rival_claimed(self, user_id: int, rival: str, key: str) -> bool:
        """Whether a message of kind `rival` was claimed (or sent) for this period."""
        found = await self._session.scalar(select(_rival_row(user_id, rival, key)))
        return bool(found)

    async def claim_once(self, user_id: int, kind: str, key: str) -> bool:
        """Claim a one-off event (e.g. a milestone); True only for the first caller ever."""
        result = await self._session.execute(
            self._insert()
            .values(user_id=user_id, kind=kind, period_key=key, status=SENT)
            .on_conflict_do_nothing(index_elements=["user_id", "kind", "period_key"])
            .returning(SendLedger.id)
        )
        return result.first() is not None

    # ----- what the messages say -----

    async def last_practiced(self, user_id: int) -> date | None:
        """The user's latest practice date (an index seek)."""
        value: date | None = await self._session.scalar(
            select(func.max(PracticeLog.practiced_on)).where(PracticeLog.user_id == user_id)
        )
        return value

    async def evidence_counts(self, user_id: int, start: datetime, end: datetime) -> dict[str, int]:
        """Evidence items added in [start, end), by kind."""
        rows = await self._session.execute(
            select(Evidence.kind, func.count())
            .where(
                Evidence.user_id == user_id,
                Evidence.created_at >= start,
                Evidence.created_at < end,
            )
            .group_by(Evidence.kind)
        )
        return {str(kind): int(n) for kind, n in rows.all()}

    async def quick_skills(self, user_id: int, since: date) -> list[SkillRef]:
        """Unarchived skills, most practised (minutes since `since`) first, then by name."""
        recent = (
            select(PracticeLog.skill_id, func.sum(PracticeLog.duration_minutes).label("minutes"))
            .where(PracticeLog.user_id == user_id, PracticeLog.practiced_on >= since)
            .group_by(PracticeLog.skill_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(Skill.id, Skill.name)
            .outerjoin(recent, recent.c.skill_id == Skill.id)
            .where(Skill.user_id == user_id, Skill.archived_at.is_(None))
            .order_by(func.coalesce(recent.c.minutes, 0).desc(), Skill.name_key, Skill.id)
        )
        return [SkillRef(int(i), str(n)) for i, n in rows.all()]

    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def _insert(self) -> Any:
        return (pg_insert if self._dialect() == "postgresql" else sqlite_insert)(SendLedger)


def _zones(dialect: str, clocks: Sequence[LocalClock], active_days: int) -> Any:
    """Each zone's local clock as a table (tz, dates the rules need, minute, weekday, pkey).

    The rows travel as one JSON parameter, not a VALUES list: SQLAlchemy cannot cache a
    statement with multi-row VALUES, and the statement is the same every sweep.
    """
    rows = [
        {
            "tz": c.timezone,
            "today": c.today.isoformat(),
            "yesterday": (c.today - timedelta(days=1)).isoformat(),
            "day_before": (c.today - timedelta(days=2)).isoformat(),
            "since": (c.today - timedelta(days=active_days - 1)).isoformat(),
            "minute": c.minute,
            "weekday": c.weekday,
            "pkey": c.period_key,
        }
        for c in clocks
    ]
    payload = bindparam("zones", json.dumps(rows), type_=String)
    if dialect == "postgresql":
        return (
            func.json_to_recordset(cast(payload, JSON))
            .table_valued(*(column(name, type_) for name, type_ in _ZONE_COLUMNS))
            .render_derived(name="zones", with_types=True)
        )
    each = func.json_each(payload).table_valued("value")
    # MATERIALIZED: parse the JSON once, not once per user row of the join.
    return (
        select(
            *(
                type_coerce(func.json_extract(each.c.value, f"$.{name}"), type_).label(name)
                for name, type_ in _ZONE_COLUMNS
            )
        )
        .select_from(each)
        .cte("zones")
        .prefix_with("MATERIALIZED")
    )


def _practised_on(day: Any) -> ColumnElement[bool]:
    return exists().where(PracticeLog.user_id == User.id, PracticeLog.practiced_on == day)


def _rival_row(user_id: Any, rival: str, key: Any) -> Any:
    return exists().where(
        SendLedger.user_id == user_id,
        SendLedger.kind == rival,
        SendLedger.period_key == key,
        SendLedger.status.in_((CLAIMED, SENT)),
    )


def _due_conditions(
    kind: str, rival: str | None, zones: Any
) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """bot.domain.reminders' rules for `kind` as SQL over users joined to the zones table.

    Returned as (column tests, subquery tests): SQLite evaluates WHERE terms in order.
    """
    common = [
        User.is_reachable.is_(True),
        or_(User.paused_until.is_(None), User.paused_until < zones.c.today),
    ]
    not_rival = [~_rival_row(User.id, rival, zones.c.pkey)] if rival else []
    if kind == ReminderKind.STREAK:
        return [
            User.streak_enabled.is_(True),
            User.streak_minute <= zones.c.minute,
            *common,
        ], [
            ~_practised_on(zones.c.today),
            _practised_on(zones.c.yesterday),
            _practised_on(zones.c.day_before),
            *not_rival,
        ]
    if kind == ReminderKind.INACTIVITY:
        last = (
            select(func.max(PracticeLog.practiced_on))
            .where(PracticeLog.user_id == User.id)
            .scalar_subquery()
        )
        no_date = literal(_NO_DATE, Date)
        base = latest(
            func.coalesce(last, no_date),
            func.coalesce(User.paused_until, no_date),
            utc_date(User.created_at),
        )
        elapsed = day_number(zones.c.today) - day_number(base)
        every = User.inactivity_days
        return [
            User.inactivity_enabled.is_(True),
            User.inactivity_minute <= zones.c.minute,
            *common,
        ], [
            elapsed.in_([every, every * 2, every * 3]),
            *not_rival,
        ]
    if kind != ReminderKind.WEEKLY:
        raise ValueError(f"no selection rules for kind {kind!r}")
    return [
        User.weekly_enabled.is_(True),
        User.weekly_weekday == zones.c.weekday,
        User.weekly_minute <= zones.c.minute,
        *common,
    ], [
        exists().where(
            PracticeLog.user_id == User.id,
            PracticeLog.practiced_on >= zones.c.since,
            PracticeLog.practiced_on <= zones.c.today,
        ),
    ]
