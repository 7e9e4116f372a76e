"""HistoryRepository and UndoRepository on a real database: keyset order with ties, filters,
owner scoping, totals, evidence counts, and snapshots that restore every column."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.domain.history import Cursor, HistoryFilter
from storage.models import Evidence, PracticeLog
from tests.seed import seed_interleaved_history
from tests.support import UnitOfWorkFactory

SARAH, MALLORY = 1001, 2002
DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def test_keyset_pages_walk_the_order_both_ways(uow_factory: UnitOfWorkFactory) -> None:
    react, sql, ids = await seed_interleaved_history(uow_factory, 12, first_name="x")
    # Newest first: later dates first, and within a date the higher id first.
    order = sorted(ids, key=lambda i: (DAY - timedelta(days=ids.index(i) // 3), i), reverse=True)
    everything = HistoryFilter()
    async with uow_factory() as uow:
        repo = uow.history
        first = await repo.older(SARAH, everything, None, 5)
        assert [r.id for r in first] == order[:5]
        second = await repo.older(SARAH, everything, first[-1].cursor, 5)
        assert [r.id for r in second] == order[5:10]
        again = await repo.older(SARAH, everything, second[0].cursor, 5, inclusive=True)
        assert again == second
        back = await repo.newer(SARAH, everything, second[0].cursor, 5)
        assert back == first
        assert await repo.has_newer(SARAH, everything, second[0].cursor)
        assert not await repo.has_newer(SARAH, everything, first[0].cursor)
        last = (await repo.older(SARAH, everything, None, 12))[-1]
        assert last.id == order[-1]
        assert not await repo.has_older(SARAH, everything, last.cursor)
        assert await repo.has_older(SARAH, everything, Cursor(DAY, order[0]))
        # Filters: one skill, one date range, both.
        only_sql = await repo.older(SARAH, HistoryFilter(skill_id=sql), None, 20)
        assert {r.skill_name for r in only_sql} == {"SQL"} and len(only_sql) == 4
        days = HistoryFilter(start=DAY - timedelta(days=1), end=DAY - timedelta(days=1))
        assert [r.practiced_on for r in await repo.older(SARAH, days, None, 20)] == [
            DAY - timedelta(days=1)
        ] * 3
        both = HistoryFilter(skill_id=react, start=DAY - timedelta(days=1))
        assert len(await repo.older(SARAH, both, None, 20)) == 4
        totals = await repo.totals(SARAH, HistoryFilter(skill_id=sql))
        assert (totals.sessions, totals.minutes) == (4, 10 + 13 + 16 + 19)
        assert (await repo.totals(SARAH, everything)).sessions == 12


async def test_every_read_is_scoped_to_the_owner(uow_factory: UnitOfWorkFactory) -> None:
    react, _, ids = await seed_interleaved_history(uow_factory, 12, first_name="x")
    async with uow_factory() as uow:
        repo = uow.history
        assert await repo.row(MALLORY, ids[0]) is None
        assert await repo.older(MALLORY, HistoryFilter(skill_id=react), None, 50) == []
        assert (await repo.totals(MALLORY, HistoryFilter(skill_id=react))).sessions == 0
        mallory = await repo.older(MALLORY, HistoryFilter(), None, 50)
        assert len(mallory) == 12 and {r.skill_name for r in mallory} == {"Chess"}
        assert await uow.undo.session_rows(MALLORY, ids[0]) is None


async def test_evidence_counts_and_a_snapshot_restores_every_column(
    uow_factory: UnitOfWorkFactory,
) -> None:
    react, _, ids = await seed_interleaved_history(uow_factory, 12, first_name="x")
    log_id = ids[1]
    async with uow_factory() as uow:
        for kind, content in (("link", {"url": "https://a.example"}), ("note", {"note": "n"})):
            uow.session.add(
                Evidence(
                    user_id=SARAH,
                    skill_id=react,
                    practice_log_id=log_id,
                    kind=kind,
                    created_at=NOW,
                    **content,
                )
            )
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.history.evidence_counts(SARAH, [log_id, ids[2]]) == {log_id: 2}
        assert await uow.history.evidence_counts(MALLORY, [log_id]) == {}
        row = await uow.history.row(SARAH, log_id)
        assert row is not None and row.evidence == 2
        rows = await uow.undo.session_rows(SARAH, log_id)
        assert rows is not None
        before = (
            await uow.session.execute(select(PracticeLog.__table__).where(PracticeLog.id == log_id))
        ).one()
        await uow.practice_logs.delete(SARAH, log_id)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.history.totals(SARAH, HistoryFilter())).sessions == 11
        restored = await uow.undo.restore_session(SARAH, rows)
        assert restored is not None and restored.same_ids and restored.log_id == log_id
        await uow.commit()
    async with uow_factory() as uow:
        after = (
            await uow.session.execute(select(PracticeLog.__table__).where(PracticeLog.id == log_id))
        ).one()
        assert after == before
        assert await uow.history.evidence_counts(SARAH, [log_id]) == {log_id: 2}
        # A snapshot names its owner's skill only: restoring it for someone else does nothing.
        assert await uow.undo.restore_session(MALLORY, rows) is None
