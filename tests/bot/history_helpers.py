"""Seeding and reading helpers for the /history tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from storage.models import Evidence, PracticeLog, UndoSnapshot
from tests.support import START, UnitOfWorkFactory

SARAH = 1001
MALLORY = 2002
TODAY = START.date()  # Wed 25 Nov 2026; users default to UTC
_TAG = re.compile(r"Session (\d+) notes")


def tag(n: int) -> str:
    """The description of seeded session n (findable in any screen)."""
    return f"Session {n:02d} notes about practice"


def shown(text: str) -> list[int]:
    """The seeded session numbers a screen lists, top to bottom."""
    return [int(m) for m in _TAG.findall(text)]


async def user_with_skills(
    uow_factory: UnitOfWorkFactory, user_id: int, *names: str, timezone: str = "UTC"
) -> dict[str, int]:
    """Register the user (in `timezone`) with skills; returns name -> id."""
    async with uow_factory() as uow:
        await uow.users.ensure(user_id, user_id, "User", timezone)
        await uow.users.set_timezone(user_id, timezone)
        ids = {name: (await uow.skills.add(user_id, name, name.casefold())).id for name in names}
        await uow.commit()
        return ids


async def add_sessions(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    sessions: Iterable[tuple[int, int, date, int]],
    ratings: dict[int, tuple[int, int]] | None = None,
) -> dict[int, int]:
    """Insert (number, skill id, date, minutes) sessions described by tag(number), with
    (difficulty, confidence) for the numbers in `ratings`; returns number -> id."""
    ids: dict[int, int] = {}
    async with uow_factory() as uow:
        for number, skill_id, day, minutes in sessions:
            row = PracticeLog(
                user_id=user_id,
                skill_id=skill_id,
                practiced_on=day,
                duration_minutes=minutes,
                description=tag(number),
                created_at=START - timedelta(days=1),
                updated_at=START - timedelta(days=1),
            )
            row.difficulty, row.confidence = (ratings or {}).get(number, (None, None))
            uow.session.add(row)
            await uow.session.flush()
            ids[number] = row.id
        await uow.commit()
    return ids


async def add_evidence(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    skill_id: int,
    log_id: int,
    kind: str,
    **content: Any,
) -> int:
    """Attach one piece of evidence to a session."""
    async with uow_factory() as uow:
        row = Evidence(
            user_id=user_id,
            skill_id=skill_id,
            practice_log_id=log_id,
            kind=kind,
            created_at=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
            **content,
        )
        uow.session.add(row)
        await uow.commit()
        return row.id


def columns(row: object) -> dict[str, Any]:
    """Every mapped column of an ORM row."""
    table = row.__table__  # type: ignore[attr-defined]
    return {c.key: getattr(row, c.key) for c in table.columns}


async def log_row(uow_factory: UnitOfWorkFactory, log_id: int) -> dict[str, Any] | None:
    """The practice_logs row with this id as a dict (any owner), or None."""
    async with uow_factory() as uow:
        row = await uow.session.get(PracticeLog, log_id)
        return columns(row) if row is not None else None


async def evidence_rows(uow_factory: UnitOfWorkFactory, user_id: int) -> list[dict[str, Any]]:
    """The user's evidence rows as dicts, by id."""
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(Evidence).where(Evidence.user_id == user_id).order_by(Evidence.id)
        )
        return [columns(row) for row in rows]


async def count(uow_factory: UnitOfWorkFactory, model: type[Any], user_id: int) -> int:
    """Rows of a table owned by the user."""
    async with uow_factory() as uow:
        return int(
            await uow.session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user_id)
            )
            or 0
        )


async def snapshots(uow_factory: UnitOfWorkFactory) -> list[dict[str, Any]]:
    """Every undo snapshot row."""
    async with uow_factory() as uow:
        return [columns(r) for r in await uow.session.scalars(select(UndoSnapshot))]


def data_of(message: dict[str, Any]) -> list[str]:
    """callback_data of every button of a message."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
