"""Unit of work: one session and transaction per update or job item; commit is explicit."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.account import AccountRepository
from storage.repositories.analytics import AnalyticsRepository
from storage.repositories.coach import CoachRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.evidence import EvidenceRepository
from storage.repositories.evidence_batches import EvidenceBatchRepository
from storage.repositories.goals import GoalRepository
from storage.repositories.history import HistoryRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.ledger_prune import LedgerPruneRepository
from storage.repositories.practice_logs import PracticeLogRepository
from storage.repositories.reminders import ReminderRepository
from storage.repositories.skills import SkillRepository
from storage.repositories.timers import TimerRepository
from storage.repositories.transfer import TransferRepository
from storage.repositories.undo import UndoRepository
from storage.repositories.users import UserRepository


class UnitOfWork:
    """Opens a session, exposes the repositories, and rolls back anything not committed."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        # Commits of user data (a service's write), told apart from bookkeeping commits, so a
        # failure after one is never reported as "nothing was saved".
        self.data_commits = 0
        # The stored update this unit handles: its first conversation step records it applied.
        self._applying: tuple[int, datetime] | None = None

    async def __aenter__(self) -> Self:
        self.session = self._factory()
        # Every repository shares this one session, so their writes commit or roll back together.
        self.users = UserRepository(self.session)
        self.skills = SkillRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        self.account = AccountRepository(self.session)
        self.evidence = EvidenceRepository(self.session)
        self.evidence_batches = EvidenceBatchRepository(self.session)
        self.analytics = AnalyticsRepository(self.session)
        self.transfer = TransferRepository(self.session)
        self.practice_logs = PracticeLogRepository(self.session)
        self.history = HistoryRepository(self.session)
        self.undo = UndoRepository(self.session)
        self.ledger_prune = LedgerPruneRepository(self.session)
        self.goals = GoalRepository(self.session)
        self.coach = CoachRepository(self.session)
        self.timers = TimerRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    def applies(self, update_id: int, at: datetime) -> None:
        """Record the update `update_id` (a stored inbox row) applied with its step's commit."""
        self._applying = (update_id, at)

    async def commit(self) -> None:
        """Make this unit's writes durable; call before telling the user they are saved."""
        # Not recorded applied: a save's replay is saved once by its own idempotency key.
        await self.session.commit()
        self.data_commits += 1

    async def commit_step(self) -> None:
        """Commit a conversation step: not user data, but the update's effect all the same."""
        applying = self._applying
        if applying is not None:
            # In the step's own transaction, so a crash leaves both (a replay must not take
            # the step again) or neither (a replay takes it). Once per update is enough.
            await InboxRepository(self.session).mark_step_applied(*applying)
        await self.session.commit()
        self._applying = None

    async def commit_read(self) -> None:
        """End the open transaction (a read's end, before a reply): nothing applied by it."""
        await self.session.commit()

    @property
    def saved(self) -> bool:
        """Whether a commit of user data has landed in this unit."""
        return self.data_commits > 0

    async def rollback(self) -> None:
        """Discard this unit's writes so far."""
        await self.session.rollback()
