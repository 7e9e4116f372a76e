"""Open conversations, stored so any instance (or a restarted one) can continue them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete

from storage.models import Conversation
from storage.repositories.base import Repository, oldest_expired


@dataclass(frozen=True, slots=True)
class ExpiredConversation:
    """A conversation the sweep removed because it sat idle too long."""

    user_id: int
    chat_id: int
    name: str
    message_id: int | None


class ConversationRepository(Repository):
    """Reads and writes the conversations table."""

    async def get(self, user_id: int) -> Conversation | None:
        """The user's open conversation, if any (expired ones included; the caller decides)."""
        return await self._session.get(Conversation, user_id, populate_existing=True)

    async def save(self, conversation: Conversation) -> None:
        """Insert or update the conversation row."""
        await self._session.merge(conversation)
        await self._session.flush()

    async def delete(self, user_id: int) -> None:
        """Close the user's conversation."""
        await self._session.execute(delete(Conversation).where(Conversation.user_id == user_id))

    async def pop_expired(self, now: datetime, limit: int = 500) -> list[ExpiredConversation]:
        """Delete and return conversations idle past their expiry (each is returned once)."""
        due = oldest_expired(Conversation.user_id, Conversation.expires_at, now, limit)
        result = await self._session.execute(
            delete(Conversation)
            .where(Conversation.user_id.in_(due), Conversation.expires_at <= now)
            .returning(
                Conversation.user_id,
                Conversation.chat_id,
                Conversation.name,
                Conversation.message_id,
            )
        )
        return [ExpiredConversation(*row) for row in result.all()]
