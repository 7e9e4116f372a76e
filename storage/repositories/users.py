"""Users: registration, timezone and reachability."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User


class UserRepository:
    """Reads and writes rows of the users table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        """The user with this Telegram id, if registered."""
        return await self._session.get(User, user_id)

    async def ensure(
        self, user_id: int, chat_id: int, first_name: str | None, default_timezone: str
    ) -> tuple[User, bool]:
        """Fetch the user, creating them with defaults on first contact; True when created."""
        user = await self._session.get(User, user_id)
        if user is None:
            user = User(
                id=user_id, chat_id=chat_id, first_name=first_name, timezone=default_timezone
            )
            self._session.add(user)
            await self._session.flush()
            return user, True
        if user.chat_id != chat_id or not user.is_reachable or user.first_name != first_name:
            # Writing to the bot again means they unblocked it.
            user.chat_id, user.is_reachable, user.first_name = chat_id, True, first_name
        return user, False

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
