"""Setting the user's time zone: it decides their "today", streak days and reminder times."""

from __future__ import annotations

from bot.domain.timezones import parse_timezone
from storage.uow import UnitOfWork


async def set_timezone(uow: UnitOfWork, user_id: int, raw: str) -> str:
    """Parse a zone name or UTC offset, store it and commit; returns the IANA name."""
    zone = parse_timezone(raw)
    await uow.users.set_timezone(user_id, zone)
    await uow.commit()
    return zone
