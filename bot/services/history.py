"""Deleting a session with a few minutes to undo it, putting it back, and purging old snapshots.

The delete and its snapshot are one transaction, so a session is never gone without a way
back; the undo takes the snapshot (once) and restores the same rows, same ids and timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from bot.domain.errors import DomainError
from bot.domain.history import SessionRow
from bot.services.practice import UnknownLog, check_room
from storage.uow import UnitOfWork

UNDO_MINUTES: Final = 10
SNAPSHOT_KIND: Final = "session"


class UndoUnavailable(DomainError):
    """The snapshot is gone: restored already, or past its time and purged (or not the user's)."""

    def __init__(self) -> None:
        super().__init__(
            "There's nothing to undo any more: it was already restored, or more than "
            f"{UNDO_MINUTES} minutes have passed. Nothing was changed."
        )


class UndoExpired(DomainError):
    """The Undo window has passed."""

    def __init__(self) -> None:
        super().__init__(
            f"Too late to undo: a deleted session can be restored for {UNDO_MINUTES} minutes. "
            "Nothing was changed."
        )


class SkillGone(DomainError):
    """The session's skill was deleted after the session, so the session cannot come back."""

    def __init__(self, skill_name: str) -> None:
        super().__init__(
            f"The skill {skill_name} has been deleted since, so its session can't come back."
        )


@dataclass(frozen=True, slots=True)
class DeletedSession:
    """A delete: what went (the summary names it), and the snapshot an Undo button names."""

    snapshot_id: int
    summary: SessionRow


@dataclass(frozen=True, slots=True)
class RestoredSession:
    """An undo: the restored session's id (the old one unless it was taken), and where to return."""

    log_id: int
    summary: SessionRow
    same_ids: bool
    back: str


async def delete_session(
    uow: UnitOfWork, user_id: int, log_id: int, now: datetime, *, back: str = ""
) -> DeletedSession:
    """Snapshot the user's session with its evidence, then delete both (UnknownLog if absent).

    `back` (opaque to this service) is kept with the snapshot so an undo can return there.
    Commits.
    """
    await uow.users.lock(user_id)
    row = await uow.history.row(user_id, log_id)
    rows = await uow.undo.session_rows(user_id, log_id)
    if row is None or rows is None:
        raise UnknownLog()
    payload = {"rows": rows, "skill_name": row.skill_name, "back": back}
    snapshot_id = await uow.undo.add(
        user_id, SNAPSHOT_KIND, payload, now, now + timedelta(minutes=UNDO_MINUTES)
    )
    # The evidence rows go with it: ON DELETE CASCADE on (practice_log_id, user_id).
    await uow.practice_logs.delete(user_id, log_id)
    await uow.commit()
    return DeletedSession(snapshot_id, row)


async def undo_delete(
    uow: UnitOfWork, user_id: int, snapshot_id: int, now: datetime
) -> RestoredSession:
    """Restore a deleted session and its evidence from the user's snapshot.

    Raises UndoUnavailable / UndoExpired, SkillGone, or DayIsFull when the day has since filled
    up (nothing is written then, so the snapshot stays for another try). Commits.
    """
    await uow.users.lock(user_id)
    taken = await uow.undo.take(user_id, snapshot_id)
    if taken is None or taken.kind != SNAPSHOT_KIND:
        raise UndoUnavailable()
    if taken.expires_at <= now:
        raise UndoExpired()
    rows = taken.payload["rows"]
    skill_name = str(taken.payload.get("skill_name", ""))
    day = date.fromisoformat(rows["log"]["practiced_on"])
    minutes = int(rows["log"]["duration_minutes"])
    await check_room(uow, user_id, day, minutes)
    restored = await uow.undo.restore_session(user_id, rows)
    if restored is None:
        raise SkillGone(skill_name)
    session = await uow.history.row(user_id, restored.log_id)
    assert session is not None  # restored just now, under the user's lock
    await uow.commit()
    return RestoredSession(
        restored.log_id, session, restored.same_ids, str(taken.payload.get("back", ""))
    )


async def purge_expired_snapshots(uow: UnitOfWork, now: datetime) -> int:
    """Delete undo snapshots past their window (all users); returns how many. Commits."""
    purged = await uow.undo.purge_expired(now)
    await uow.commit()
    return purged
