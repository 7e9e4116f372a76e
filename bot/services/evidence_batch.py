"""The batch of evidence waiting for the user to pick where it goes (no Telegram types here).

The batch lives in its own row, not in the conversation, so a /log, /stats or any other
command started before the user picks leaves it waiting. Pictures of one album (one
media_group_id) join the prompt the album's first picture sent instead of sending their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.services.evidence import Pending
from storage.models import EvidenceBatch
from storage.uow import UnitOfWork

#: A batch nobody picked a place for within this long is forgotten.
BATCH_LIFETIME: Final = timedelta(days=1)
#: An album's files arrive within seconds of each other; a route older than this is stale.
ALBUM_ROUTE_LIFETIME: Final = timedelta(minutes=10)


class Prompt(StrEnum):
    """What the update that changed the batch should do about the 'where?' message."""

    NEW = "new"  # send a new prompt (and take the keyboard off the previous one)
    EDIT = "edit"  # the album's prompt exists: update it
    WAIT = "wait"  # another update of the album is sending the prompt right now


@dataclass(frozen=True, slots=True)
class BatchChange:
    """The batch after adding to it, and what to do about its prompt."""

    items: list[Pending]
    prompt: Prompt
    message_id: int | None  # EDIT: the prompt to update; NEW: the previous prompt, if any
    left_out: int


def _live_items(batch: EvidenceBatch, now: datetime) -> list[Pending]:
    if batch.updated_at + BATCH_LIFETIME <= now:
        return []
    return [Pending.from_json(item) for item in batch.items]


def merge(
    pending: Sequence[Pending], new: Sequence[Pending], limit: int
) -> tuple[list[Pending], int]:
    """Add new pieces to a batch without duplicates, up to `limit`; also how many were left out."""
    merged = list(pending)
    left_out = 0
    for item in new:
        if any(item.key == existing.key for existing in merged):
            continue
        if len(merged) >= limit:
            left_out += 1
            continue
        merged.append(item)
    return merged, left_out


async def add_to_batch(
    uow: UnitOfWork,
    user_id: int,
    items: Sequence[Pending],
    *,
    media_group_id: str | None,
    now: datetime,
    limit: int,
) -> BatchChange:
    """Add pieces to the user's batch under its lock and commit; say who sends the prompt."""
    batch = await uow.evidence_batches.locked(user_id, now)
    current = _live_items(batch, now)
    merged, left_out = merge(current, items, limit)
    same_album = bool(current) and media_group_id is not None
    same_album = same_album and batch.media_group_id == media_group_id
    if same_album:
        prompt = Prompt.EDIT if batch.message_id is not None else Prompt.WAIT
        message_id = batch.message_id
    else:
        prompt, message_id = Prompt.NEW, (batch.message_id if current else None)
        batch.message_id = None
        batch.media_group_id = media_group_id
    batch.items = [item.to_json() for item in merged]
    batch.updated_at = now
    await uow.commit()
    return BatchChange(merged, prompt, message_id, left_out)


async def set_prompt(
    uow: UnitOfWork,
    user_id: int,
    message_id: int,
    media_group_id: str | None,
    now: datetime,
    *,
    replacing: int | None = None,
) -> list[Pending] | None:
    """Record the prompt just sent and commit; the batch as it is now, None if superseded.

    Pieces of the album that arrived while the prompt was on its way are in the result, so the
    sender can update the prompt to cover them. `replacing`: the album's earlier prompt, gone
    from the chat, that this one stands in for.
    """
    batch = await uow.evidence_batches.locked(user_id, now)
    current = _live_items(batch, now)
    if batch.message_id is not None and batch.message_id != replacing:
        return None
    if not current or batch.media_group_id != media_group_id:
        return None
    batch.message_id = message_id
    await uow.commit()
    return current


async def pending_items(uow: UnitOfWork, user_id: int, now: datetime) -> list[Pending]:
    """What is waiting in the user's batch (nothing once it is too old)."""
    batch = await uow.evidence_batches.get(user_id)
    return _live_items(batch, now) if batch is not None else []


@dataclass(frozen=True, slots=True)
class TakenBatch:
    """The pieces taken out of a batch, the prompt that asked about them, and their album."""

    items: list[Pending]
    message_id: int | None
    media_group_id: str | None = None


async def peek_batch(
    uow: UnitOfWork, user_id: int, now: datetime, *, prompt_id: int | None = None
) -> TakenBatch | None:
    """The waiting batch (that `prompt_id` asks about, if given) without taking it, or None."""
    batch = await uow.evidence_batches.get(user_id)
    if batch is None or (prompt_id is not None and batch.message_id != prompt_id):
        return None
    current = _live_items(batch, now)
    return TakenBatch(current, batch.message_id, batch.media_group_id) if current else None


async def take_batch(
    uow: UnitOfWork, user_id: int, now: datetime, *, prompt_id: int | None = None
) -> TakenBatch | None:
    """Remove the batch to attach it (not committed: the caller commits it with the attach).

    With `prompt_id`, only the batch that prompt asks about; None if there is no such batch."""
    if await uow.evidence_batches.get(user_id) is None:
        return None
    batch = await uow.evidence_batches.locked(user_id, now)
    current = _live_items(batch, now)
    message_id = batch.message_id
    if not current or (prompt_id is not None and message_id != prompt_id):
        return None
    taken = TakenBatch(current, message_id, batch.media_group_id)
    batch.items, batch.message_id, batch.media_group_id = [], None, None
    return taken


async def drop_batch(uow: UnitOfWork, user_id: int, *, prompt_id: int | None = None) -> bool:
    """Throw the batch away and commit; False if there was none (or another prompt's)."""
    batch = await uow.evidence_batches.get(user_id)
    if batch is None or (prompt_id is not None and batch.message_id != prompt_id):
        return False
    await uow.evidence_batches.delete(user_id)
    await uow.commit()
    return True


async def route_album(
    uow: UnitOfWork, user_id: int, media_group_id: str, target: dict[str, int], now: datetime
) -> None:
    """Send the album's later files where its first went ({"s": log_id} or {"k": skill_id})."""
    batch = await uow.evidence_batches.locked(user_id, now)
    batch.album_route = {"id": media_group_id, **target, "at": now.isoformat()}
    await uow.commit()


async def album_target(
    uow: UnitOfWork, user_id: int, media_group_id: str, now: datetime
) -> dict[str, int] | None:
    """Where the album's first file went, if it went straight somewhere a moment ago."""
    batch = await uow.evidence_batches.get(user_id)
    route = batch.album_route if batch is not None else None
    if not route or route.get("id") != media_group_id:
        return None
    if datetime.fromisoformat(str(route["at"])) + ALBUM_ROUTE_LIFETIME <= now:
        return None
    return {key: int(route[key]) for key in ("s", "k") if key in route}
