"""Whether a user has been through /start's set-up, so /start knows to greet or to ask."""

from __future__ import annotations

from datetime import datetime

from storage.uow import UnitOfWork


async def is_onboarded(uow: UnitOfWork, user_id: int) -> bool:
    """True once set-up has ended, or if the user has skills anyway (added without /start)."""
    if await uow.users.onboarded_at(user_id) is not None:
        return True
    return await uow.skills.count(user_id) > 0


async def finish_onboarding(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    """Record the end of set-up; committed by the step that ends the set-up conversation."""
    await uow.users.mark_onboarded(user_id, now)
