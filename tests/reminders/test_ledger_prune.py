"""Pruning the send ledger: old periodic rows go in batches, nothing the sweep reads goes."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import event, func, insert, select, update

from bot.config import Settings
from bot.core.runtime import BotApp
from bot.domain.reminders import ReminderKind
from bot.jobs.ledger_prune import batch_size, prune_send_ledger
from bot.jobs.reminders import LEASE, sweep
from bot.services.milestones import MILESTONE_KIND
from storage.models import LEDGER_PERIODIC_KINDS, LEDGER_PERIODIC_SQL, SendLedger, User
from tests.chat import ChatUser, run_job
from tests.fakebot import FakeBotApi
from tests.reminders.helpers import add_sessions, add_user, another_app, chats, deps_of, ledger
from tests.support import FakeClock, UnitOfWorkFactory

SARAH = 1001
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # the test clock's start
# With the default 35 days: rows claimed before this, with an earlier period, may go.
CUTOFF = NOW - timedelta(days=35)
QUIET: dict[str, Any] = {"weekly_enabled": False, "inactivity_enabled": False}


def _job(app: BotApp, name: str) -> Any:
    assert app.job_queue is not None
    return next(job for job in app.job_queue.jobs() if job.name == name)


async def _add_rows(uow_factory: UnitOfWorkFactory, rows: list[dict[str, Any]]) -> None:
    """Ledger rows as given: user_id, kind, period_key, status, claimed_at."""
    async with uow_factory() as uow:
        await uow.session.execute(insert(SendLedger), rows)
        await uow.commit()


def _row(user_id: int, kind: str, key: str, status: str, claimed_at: datetime) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "kind": kind,
        "period_key": key,
        "status": status,
        "claimed_at": claimed_at,
    }


async def _count(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(SendLedger)) or 0)


async def test_a_month_and_more_of_streak_reminders_with_the_prune_job_in_between(
    app: BotApp, api: FakeBotApi, clock: FakeClock, sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    async with uow_factory() as uow:  # only the streak reminder, so each evening has one message
        await uow.session.execute(update(User).where(User.id == SARAH).values(weekly_enabled=False))
        await uow.commit()
    await add_sessions(uow_factory, SARAH, [date(2026, 11, 23), date(2026, 11, 24)])
    reminders, prune = _job(app, "reminders"), _job(app, "prune-send-ledger")
    milestones: set[tuple[Any, ...]] = set()
    first_evening = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    start = api.mark()
    for day in range(40):
        clock.set(first_evening + timedelta(days=day))
        await run_job(app, api, reminders)
        reminder = sarah.last_message()
        assert f"{day + 2}-day streak ends at midnight" in sarah.last_text()
        await sarah.tap("Guitar 15m", message=reminder)
        assert "Guitar — 15 min, today" in sarah.last_text()
        milestones |= {row for row in await ledger(uow_factory, SARAH) if row[1] == "milestone"}
        await run_job(app, api, prune)
        # The sweep after the prune finds today's claim and sends nothing again.
        clock.advance(minutes=30)
        before = api.mark()
        await run_job(app, api, reminders)
        assert chats(api, since=before) == []
    assert len(chats(api, since=start)) == 40  # one streak reminder an evening, never two
    # The milestones were celebrated (days 7 and 30 of the streak) and their rows all stayed.
    assert {row[2].split(":")[0] for row in milestones} >= {"streak_7", "streak_30"}
    rows = await ledger(uow_factory, SARAH)
    assert milestones <= set(rows)
    # Today's period is 2027-01-03: the 35 days before it stayed, the four before those went.
    kept = sorted(row[2] for row in rows if row[1] == "streak")
    assert kept[0] == "2026-11-29"
    assert kept[-1] == "2027-01-03"
    assert len(kept) == 36
    assert {row[3] for row in rows if row[1] == "streak"} == {"sent"}


async def test_what_is_pruned_and_what_stays(
    app: BotApp, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1)
    await add_user(uow_factory, 2)
    old = CUTOFF - timedelta(days=30)
    doomed = [
        # Every status is final once the day is over, "claimed" included: the takeover of a
        # crashed process's claim only ever looks at the current day.
        _row(1, "inactivity", "2026-09-20", "sent", old),
        _row(1, "streak", "2026-09-21", "skipped", old),
        _row(1, "weekly", "2026-09-20", "blocked", old),
        _row(1, "inactivity", "2026-09-22", "failed", old),
        _row(1, "streak", "2026-09-23", "expired", old),
        _row(1, "streak", "2026-09-24", "claimed", old),
        _row(2, "streak", "2026-09-24", "sent", old),
        # The day before the cutoff's date, claimed that evening (before the cutoff).
        _row(2, "streak", "2026-10-20", "sent", datetime(2026, 10, 20, 20, 0, tzinfo=UTC)),
    ]
    kept = [
        # The cutoff's own date stays even though it was claimed before the cutoff instant.
        _row(2, "inactivity", "2026-10-21", "sent", CUTOFF - timedelta(hours=6)),
        # An old key but claimed recently (here: within the lease): someone holds it, it stays.
        _row(1, "weekly", "2026-09-27", "claimed", NOW - LEASE / 2),
        # Old key, claimed after the cutoff: stays until its claim is old too.
        _row(2, "weekly", "2026-09-27", "sent", CUTOFF + timedelta(minutes=1)),
        # Recent and current periods, whatever their status.
        _row(1, "inactivity", "2026-11-24", "sent", NOW - timedelta(days=1)),
        _row(1, "streak", "2026-11-25", "claimed", NOW - timedelta(minutes=1)),
        # One-off events stay forever, however old: they stop a milestone being celebrated twice.
        _row(1, "milestone", "streak_7:2025-01-01", "sent", datetime(2025, 1, 7, tzinfo=UTC)),
        _row(1, "milestone", "new_longest:2025-03-01", "sent", datetime(2025, 3, 9, tzinfo=UTC)),
        # (kept by their kind, not by the shape of their key)
        _row(2, "milestone", "2025-04-01", "sent", datetime(2025, 4, 1, tzinfo=UTC)),
        # A kind the prune does not know is kept: it may not be keyed by a date at all.
        _row(2, "monthly", "2025-01", "sent", datetime(2025, 2, 1, tzinfo=UTC)),
    ]
    await _add_rows(uow_factory, doomed + kept)
    report = await prune_send_ledger(deps_of(app))
    assert (report.deleted, report.batches) == (len(doomed), 1)
    expected = sorted((r["user_id"], r["kind"], r["period_key"], r["status"]) for r in kept)
    assert await ledger(uow_factory) == expected
    again = await prune_send_ledger(deps_of(app))
    assert again.deleted == 0
    assert await ledger(uow_factory) == expected


async def test_a_crashed_claim_of_today_survives_the_prune_and_is_sent_once(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    await add_user(uow_factory, 1, **QUIET)
    await add_sessions(uow_factory, 1, [date(2026, 11, 23), date(2026, 11, 24)])
    clock.set(datetime(2026, 11, 25, 20, 30, tzinfo=UTC))
    # A process claimed the streak reminder at 20:00 and died before sending it.
    crashed = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    await _add_rows(uow_factory, [_row(1, "streak", "2026-11-25", "claimed", crashed)])
    assert (await prune_send_ledger(deps_of(app))).deleted == 0
    await sweep(deps_of(app), app.bot)
    assert chats(api) == [1]
    await prune_send_ledger(deps_of(app))
    clock.advance(minutes=15)
    await sweep(deps_of(app), app.bot)
    assert chats(api) == [1]
    assert await ledger(uow_factory) == [(1, "streak", "2026-11-25", "sent")]


async def _backlog(uow_factory: UnitOfWorkFactory, users: int, old_days: int) -> tuple[int, int]:
    """Old rows of every periodic kind for `users` users, and five recent days; both counts."""
    for user_id in range(1, users + 1):
        await add_user(uow_factory, user_id)
    first_old = CUTOFF.date() - timedelta(days=old_days + 1)
    rows = []
    for user_id in range(1, users + 1):
        for kind in ("inactivity", "streak", "weekly"):
            for n in range(old_days):
                day = first_old + timedelta(days=n)
                claimed = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
                rows.append(_row(user_id, kind, day.isoformat(), "sent", claimed))
            for n in range(1, 6):
                claimed = NOW - timedelta(days=n)
                rows.append(_row(user_id, kind, claimed.date().isoformat(), "sent", claimed))
    await _add_rows(uow_factory, rows)
    return users * 3 * old_days, users * 3 * 5


async def test_a_backlog_goes_in_batches(app: BotApp, uow_factory: UnitOfWorkFactory) -> None:
    old, recent = await _backlog(uow_factory, users=50, old_days=90)
    size = batch_size(deps_of(app).settings)  # 1,000 on SQLite, 5,000 on PostgreSQL
    assert old == 13_500 > 2 * size
    report = await prune_send_ledger(deps_of(app))
    assert (report.deleted, report.batches) == (old, math.ceil(old / size))
    assert await _count(uow_factory) == recent
    # A backlog that is an exact multiple of the batch ends with one empty batch.
    ancient = CUTOFF - timedelta(days=200)
    await _add_rows(
        uow_factory, [_row(1, "streak", f"2026-0{m}-01", "sent", ancient) for m in range(1, 5)]
    )
    exact = await prune_send_ledger(deps_of(app), batch=2)
    assert (exact.deleted, exact.batches) == (4, 3)
    assert await _count(uow_factory) == recent


async def test_two_instances_pruning_at_once_delete_each_row_once(
    app: BotApp, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    old, recent = await _backlog(uow_factory, users=20, old_days=50)
    async with another_app(app.bot_data["deps"].settings, api, clock) as other:
        first, second = await asyncio.gather(
            prune_send_ledger(deps_of(app), batch=500, rest_ratio=0),
            prune_send_ledger(deps_of(other), batch=500, rest_ratio=0),
        )
    assert first.deleted + second.deleted == old
    assert await _count(uow_factory) == recent


async def test_the_prune_finds_its_rows_through_its_own_partial_index(
    app: BotApp, uow_factory: UnitOfWorkFactory
) -> None:
    # A partial index is used only if the query states its condition (SQLite: word for word);
    # otherwise every run would quietly scan the whole table.
    await _backlog(uow_factory, users=3, old_days=3)
    engine = deps_of(app).engine
    deletes: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("DELETE FROM send_ledger"):
            deletes.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        await prune_send_ledger(deps_of(app))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    statement, parameters = deletes[0]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table
            plan = await conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        else:
            plan = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        lines = [str(row[-1]) for row in plan.all()]
    assert any("ix_send_ledger_claimed_at" in line for line in lines), lines


def test_the_periodic_kinds_are_the_reminder_kinds_and_spelled_alike_in_sql() -> None:
    assert set(LEDGER_PERIODIC_KINDS) == {kind.value for kind in ReminderKind}
    quoted = ", ".join(f"'{kind}'" for kind in LEDGER_PERIODIC_KINDS)
    assert f"kind IN ({quoted})" == LEDGER_PERIODIC_SQL
    assert MILESTONE_KIND not in LEDGER_PERIODIC_KINDS


async def test_the_prune_runs_hourly_by_default_and_keeps_at_least_a_week(app: BotApp) -> None:
    trigger = _job(app, "prune-send-ledger").job.trigger
    assert trigger.interval == timedelta(hours=1)
    with pytest.raises(ValidationError, match="ledger_retention_days"):
        Settings(ledger_retention_days=3, _env_file=None)  # type: ignore[call-arg]
    custom = Settings(ledger_prune_interval_minutes=15, _env_file=None)  # type: ignore[call-arg]
    assert custom.ledger_prune_interval_minutes == 15
