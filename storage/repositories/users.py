"""Users: registration, timezone and reachability."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.contact_cache import ContactCache
from storage.models import User
from storage.repositories.base import Repository
from storage.sqlite_driver import fetch_all


@dataclass(frozen=True, slots=True)
class Contact:
    """The columns of a user that every update needs: who, where to answer, which time zone."""

    id: int
    chat_id: int
    first_name: str | None
    timezone: str
    is_reachable: bool


_CONTACT = select(User.id, User.chat_id, User.first_name, User.timezone, User.is_reachable)
_CONTACT_SQLITE = "SELECT id, chat_id, first_name, timezone, is_reachable FROM users WHERE id = ?"


class UserRepository(Repository):
    """Reads and writes rows of the users table."""

    async def get(self, user_id: int) -> User | None:
        """The user with this Telegram id, if registered."""
        return await self._session.get(User, user_id)

    async def ensure(
        self,
        user_id: int,
        chat_id: int,
        first_name: str | None,
        default_timezone: str,
        *,
        cache: ContactCache | None = None,
    ) -> Contact:
        """The user's contact row, registering them with defaults on first contact.

        Runs on every update, so it reads five columns rather than loading the ORM row (handlers
        that change settings load that with get()), or none when `cache` holds the row (call it
        first in a transaction to use one). Writing to the bot again means they unblocked it, so
        reachability and the chat are brought up to date here.
        """
        cached = cache.get(user_id) if cache is not None else None
        if cached is not None and _current(cached, chat_id, first_name):
            return cached
        contact = await self._contact(user_id)
        if contact is not None and cache is not None and _current(contact, chat_id, first_name):
            cache.store(contact)
        if contact is None:
            user = User(
                id=user_id, chat_id=chat_id, first_name=first_name, timezone=default_timezone
            )
            self._session.add(user)
            await self._session.flush()
            return Contact(user_id, chat_id, first_name, default_timezone, True)
        if not _current(contact, chat_id, first_name):
            await self._session.execute(
                update(User)
                .where(User.id == user_id)
                .values(chat_id=chat_id, is_reachable=True, first_name=first_name)
            )
            contact = replace(contact, chat_id=chat_id, first_name=first_name, is_reachable=True)
        return contact

    async def _contact(self, user_id: int) -> Contact | None:
        connection = await self._session.connection()
        if connection.dialect.name == "sqlite":
            row = await _sqlite_contact(connection, user_id)
        else:
            row = (await connection.execute(_CONTACT.where(User.id == user_id))).first()
        if row is None:
            return None
        id_, chat_id, first_name, timezone, reachable = row
        return Contact(id_, chat_id, first_name, timezone, bool(reachable))

    async def set_timezone(self, user_id: int, zone: str) -> None:
        """Store the user's IANA time zone (validated by the caller)."""
        await self._session.execute(update(User).where(User.id == user_id).values(timezone=zone))

    async def infer_date_order(self, user_id: int, order: str) -> None:
        """Store a numeric date order inferred from the time zone, unless the user chose one."""
        await self._session.execute(
            update(User)
            .where(User.id == user_id, User.date_order_chosen.is_(False))
            .values(date_order=order)
        )

    async def choose_date_order(self, user_id: int, order: str) -> None:
        """Store the numeric date order the user chose; it is not inferred again."""
        await self._session.execute(
            update(User).where(User.id == user_id).values(date_order=order, date_order_chosen=True)
        )

    async def date_order(self, user_id: int) -> tuple[str, bool]:
        """(numeric date order, whether the user chose it) for this user."""
        row = (
            await self._session.execute(
                select(User.date_order, User.date_order_chosen).where(User.id == user_id)
            )
        ).one()
        return str(row[0]), bool(row[1])

    async def mark_onboarded(self, user_id: int, now: datetime) -> None:
        """Record that the user finished /start's set-up (the first time only)."""
        await self._session.execute(
            update(User)
            .where(User.id == user_id, User.onboarded_at.is_(None))
            .values(onboarded_at=now)
        )

    async def onboarded_at(self, user_id: int) -> datetime | None:
        """When the user finished /start's set-up, if they did."""
        return await self._session.scalar(select(User.onboarded_at).where(User.id == user_id))

    async def lock(self, user_id: int) -> None:
        """Serialise this user's concurrent writes (row lock on PostgreSQL; SQLite is serial)."""
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(select(User.id).where(User.id == user_id).with_for_update())

    async def mark_unreachable(self, user_id: int) -> None:
        """Remember that Telegram refused delivery (the user blocked the bot)."""
        await self._session.execute(
            update(User).where(User.id == user_id).values(is_reachable=False)
        )

    async def delete(self, user_id: int) -> None:
        """Erase the user; every row they own goes with them (ON DELETE CASCADE)."""
        await self._session.execute(delete(User).where(User.id == user_id))


def _current(contact: Contact, chat_id: int, first_name: str | None) -> bool:
    """Whether the stored row already says what this update does (nothing to write)."""
    return contact.chat_id == chat_id and contact.first_name == first_name and contact.is_reachable


async def _sqlite_contact(connection: AsyncConnection, user_id: int) -> Any:
    """The contact row read straight through aiosqlite, inside the session's transaction.

    Every update starts with this read. Through SQLAlchemy's adapter it costs greenlet
    switches and result processing; straight to the driver it is one hand-off to aiosqlite's
    thread (which also carries the transaction's BEGIN), and it is what decides Quick Log's
    speed on SQLite (benchmarks/quick_log.py).
    """
    raw = await connection.get_raw_connection()
    rows = await fetch_all(raw.dbapi_connection, _CONTACT_SQLITE, (user_id,))
    return rows[0] if rows else None
