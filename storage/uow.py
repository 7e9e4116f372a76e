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
        # The stored update this unit handles, recorded applied with its first write's commit
        # and its first step's (once each is recorded, later commits skip the extra UPDATE).
        self._applying: tuple[int, datetime] | None = None
        self._marked_applied = False
        self._marked_step = False

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
        """Record the update `update_id` (a stored inbox row) applied in this unit's commits."""
        self._applying = (update_id, at)

    async def commit(self) -> None:
        """Make this unit's writes durable; call before telling the user they are saved."""
        await self._commit_applied(step=False)
        self.data_commits += 1

    async def commit_step(self) -> None:
        """Commit a conversation step: not user data, but the update's effect all the same."""
        await self._commit_applied(step=True)

    async def commit_read(self) -> None:
        """End the open transaction (a read's end, before a reply): nothing applied by it."""
        await self.session.commit()

    async def _commit_applied(self, *, step: bool) -> None:
        # The mark rides in the transaction of the write, so a crash leaves either both (a
        # replay must not take the step again) or neither (a replay takes it).
        marking = self._applying is not None and not (
            self._marked_step if step else self._marked_applied
        )
        if self._applying is not None and marking:
            await InboxRepository(self.session).mark_applied(*self._applying, step=step)
        await self.session.commit()
        if marking:
            self._marked_applied = True
            self._marked_step = self._marked_step or step

    @property
    def saved(self) -> bool:
        """Whether a commit of user data has landed in this unit."""
        return self.data_commits > 0

    async def rollback(self) -> None:
        """Discard this unit's writes so far."""
        await self.session.rollback()
