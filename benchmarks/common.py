"""Pieces the benchmark scripts share."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete

from storage.db import create_engine, create_session_factory
from storage.models import User
from storage.uow import UnitOfWork


async def remove_users(url: str, user_ids: Iterable[int]) -> None:
    """Delete the benchmark's users (and by cascade everything they own)."""
    engine = create_engine(url)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        await uow.session.execute(delete(User).where(User.id.in_(list(user_ids))))
        await uow.commit()
    await engine.dispose()
