"""Setting the user's time zone: it decides their "today", streak days and reminder times."""

from __future__ import annotations

from bot.domain.dates import DateOrder
from bot.domain.timezones import date_order_for_zone, parse_timezone
from storage.uow import UnitOfWork


async def set_timezone(uow: UnitOfWork, user_id: int, raw: str) -> str:
    """Parse a zone name or UTC offset, store it and commit; returns the IANA name.

    Until the user has chosen how they write numeric dates, the zone's region decides it.
    """
    zone = parse_timezone(raw)
    await uow.users.set_timezone(user_id, zone)
    await uow.users.infer_date_order(user_id, date_order_for_zone(zone))
    await uow.commit()
    return zone


async def date_order(uow: UnitOfWork, user_id: int) -> tuple[DateOrder, bool]:
    """How the user writes numeric dates, and whether they chose it (else it was inferred)."""
    order, chosen = await uow.users.date_order(user_id)
    return ("month_first" if order == "month_first" else "day_first"), chosen


async def choose_date_order(uow: UnitOfWork, user_id: int, order: DateOrder) -> None:
    """Remember the user's numeric date order for good, and commit."""
    await uow.users.choose_date_order(user_id, order)
    await uow.commit()
