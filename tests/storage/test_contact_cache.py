"""The contact cache: filled by ensure() on SQLite, forgotten by any write to users, never on PG."""

from __future__ import annotations

from sqlalchemy import text

from storage.contact_cache import ContactCache
from storage.db import create_engine, create_session_factory
from storage.repositories.users import Contact
from storage.uow import UnitOfWork

SARAH = 1001


async def test_a_read_is_kept_until_anything_writes_the_users_table(db_url: str) -> None:
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    cache = ContactCache(engine)
    sqlite = db_url.startswith("sqlite")
    try:
        async with UnitOfWork(factory) as uow:  # registering stores nothing: it may roll back
            await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC", cache=cache)
            await uow.commit()
        assert cache.get(SARAH) is None
        async with UnitOfWork(factory) as uow:
            await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC", cache=cache)
        kept = Contact(SARAH, SARAH, "Sarah", "UTC", True)
        # Several instances share PostgreSQL: nothing is kept there.
        assert cache.get(SARAH) == (kept if sqlite else None)
        async with UnitOfWork(factory) as uow:  # other tables leave it alone
            await uow.skills.add(SARAH, "Chess", "chess")
            await uow.commit()
        assert cache.get(SARAH) == (kept if sqlite else None)
        async with UnitOfWork(factory) as uow:  # even a write rolled back forgets it
            await uow.users.set_timezone(SARAH, "Asia/Tokyo")
        assert cache.get(SARAH) is None
        async with UnitOfWork(factory) as uow:
            await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC", cache=cache)
            await uow.users.mark_unreachable(SARAH)
            await uow.commit()
        assert cache.get(SARAH) is None
        async with UnitOfWork(factory) as uow:  # a changed name is written, not kept
            contact = await uow.users.ensure(SARAH, SARAH, "Sally", "UTC", cache=cache)
            await uow.commit()
        assert contact == Contact(SARAH, SARAH, "Sally", "UTC", True)
        assert cache.get(SARAH) is None
        async with UnitOfWork(factory) as uow:
            await uow.users.ensure(SARAH, SARAH, "Sally", "UTC", cache=cache)
        assert (cache.get(SARAH) is not None) is sqlite
        async with UnitOfWork(factory) as uow:  # hand-written SQL too
            await uow.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": SARAH})
            await uow.commit()
        assert cache.get(SARAH) is None
    finally:
        await engine.dispose()


async def test_a_cached_row_answers_without_reading_and_a_stale_chat_is_rewritten(
    db_url: str,
) -> None:
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    cache = ContactCache(engine)
    try:
        async with UnitOfWork(factory) as uow:
            await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC", cache=cache)
            await uow.commit()
        async with UnitOfWork(factory) as uow:
            await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC", cache=cache)
        async with UnitOfWork(factory) as uow:
            await uow.users.ensure(SARAH, SARAH, "Sarah", "UTC", cache=cache)
            # Served from memory on SQLite: the unit of work has not touched the database.
            assert uow.session.in_transaction() is not db_url.startswith("sqlite")
        async with UnitOfWork(factory) as uow:  # a new chat id is not the cached one
            contact = await uow.users.ensure(SARAH, 77, "Sarah", "UTC", cache=cache)
            await uow.commit()
        assert contact.chat_id == 77
        async with UnitOfWork(factory) as uow:
            assert (await uow.users.ensure(SARAH, 77, "Sarah", "UTC")).chat_id == 77
    finally:
        await engine.dispose()
