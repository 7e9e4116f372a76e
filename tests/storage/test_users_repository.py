"""UserRepository.ensure on a real database: the contact row every update starts with."""

from __future__ import annotations

from storage.models import User
from storage.repositories.users import Contact
from tests.support import UnitOfWorkFactory

SARAH, MALLORY = 1001, 2002


async def _row(uow_factory: UnitOfWorkFactory, user_id: int) -> tuple[object, ...]:
    """(chat_id, first_name, timezone, is_reachable, streak_minute) as stored."""
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        return (user.chat_id, user.first_name, user.timezone, user.is_reachable, user.streak_minute)


async def test_first_contact_registers_with_the_default_zone(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        contact = await uow.users.ensure(SARAH, 77, "Sarah", "Europe/Berlin")
        await uow.commit()
    assert contact == Contact(SARAH, 77, "Sarah", "Europe/Berlin", True)
    assert await _row(uow_factory, SARAH) == (77, "Sarah", "Europe/Berlin", True, 20 * 60)


async def test_a_known_user_keeps_their_zone_and_settings(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        uow.session.add(
            User(
                id=SARAH, chat_id=SARAH, first_name="Sarah", timezone="Asia/Tokyo", streak_minute=9
            )
        )
        uow.session.add(User(id=MALLORY, chat_id=MALLORY, first_name="M", timezone="UTC"))
        await uow.commit()
    async with uow_factory() as uow:
        contact = await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC")
    assert contact == Contact(SARAH, SARAH, "Sarah", "Asia/Tokyo", True)
    assert await _row(uow_factory, SARAH) == (SARAH, "Sarah", "Asia/Tokyo", True, 9)


async def test_contact_details_and_reachability_are_brought_up_to_date(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        uow.session.add(
            User(id=SARAH, chat_id=1, first_name="Old", timezone="UTC", is_reachable=False)
        )
        uow.session.add(User(id=MALLORY, chat_id=MALLORY, first_name="M", timezone="UTC"))
        await uow.commit()
    async with uow_factory() as uow:
        contact = await uow.users.ensure(SARAH, 55, "New", "UTC")
        await uow.commit()
    assert contact == Contact(SARAH, 55, "New", "UTC", True)
    assert await _row(uow_factory, SARAH) == (55, "New", "UTC", True, 20 * 60)
    assert await _row(uow_factory, MALLORY) == (MALLORY, "M", "UTC", True, 20 * 60)


async def test_set_timezone_changes_only_that_user(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC")
        await uow.users.ensure(MALLORY, MALLORY, "M", "UTC")
        await uow.users.set_timezone(SARAH, "America/New_York")
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC")).timezone == "America/New_York"
        assert (await uow.users.ensure(MALLORY, MALLORY, "M", "UTC")).timezone == "UTC"
