"""Per-update plumbing: dependencies, the Turn a handler works with, and the handler wrapper.

Every handler body receives a Turn whose unit of work was opened by the wrapper (never by the
body) and is rolled back on exit unless something committed: a service commits its write, and
Turn.begin/advance/finish commit a conversation step, both before the handler replies. Handlers
themselves never call commit().

The unit of work counts the services' commits apart from the steps', so when a reply then fails
the wrapper knows whether user data landed: the error handler then says what was saved (a
handler names it with Turn.if_unshown) instead of claiming nothing was.
"""

from __future__ import annotations

import functools
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ExtBot
from telegram.warnings import PTBUserWarning

from bot.config import Settings
from bot.core.delivery import deliver, is_expired_query
from bot.core.inbox import Inbox
from bot.core.logs import user_context
from bot.domain.errors import DomainError
from bot.domain.timezones import local_today
from bot.ui.callbacks import BadCallback, Callback, decode
from bot.ui.texts import STALE_BUTTON, esc
from storage.contact_cache import ContactCache
from storage.models import Conversation, User
from storage.repositories.users import Contact
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")
# Turn.show edits through Bot.do_api_request on purpose (see there); PTB warns on every such
# call that a typed method exists.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.editMessageText'", category=PTBUserWarning
)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass
class Deps:
    """Long-lived dependencies, built once and shared by every update and job."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    flows: dict[str, Flow] = field(default_factory=dict)
    # Users' contact rows between updates (SQLite only; see storage.contact_cache).
    contacts: ContactCache | None = None
    # The durable intake, when updates come through it (not in tests that feed the app).
    inbox: Inbox | None = None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work (use with `async with`)."""
        return UnitOfWork(self.session_factory)

    def flow_by_prefix(self, prefix: str) -> Flow | None:
        """The conversation flow whose buttons use this callback prefix."""
        return next((f for f in self.flows.values() if f.prefix == prefix), None)


class Flow(Protocol):
    """A conversation: a name stored in the row, a callback prefix, and its step handlers."""

    name: str
    prefix: str
    title: str

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """Handle a message while the conversation is at `conv.state`."""

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Handle a press of one of this flow's buttons at `conv.state`."""


@runtime_checkable
class AsksAgain(Protocol):
    """A flow that can show its current step again (to answer a replay of a step it took)."""

    async def ask_again(self, turn: Turn, conv: Conversation) -> None:
        """Show the question of `conv.state` again, changing nothing."""


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with typed access to our dependencies."""

    @property
    def deps(self) -> Deps:
        """The application's dependencies."""
        return cast(Deps, self.application.bot_data["deps"])


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


class Turn:
    """One update being handled: who, when, the unit of work, and ways to answer."""

    def __init__(
        self, update: Update, context: BotContext, uow: UnitOfWork, contact: Contact
    ) -> None:
        self.update = update
        self.context = context
        self.uow = uow
        self.user_id: int = contact.id
        self.chat_id: int = contact.chat_id
        self.first_name: str | None = contact.first_name
        self.timezone: str = contact.timezone
        self.deps = context.deps
        self.now = self.deps.clock()
        self.conversation: Conversation | None = None
        self._answered = False
        self._unshown: str | None = None
        # A send that timed out may still have reached the chat: nothing may be said after it.
        self.maybe_delivered = False
        inbox = self.deps.inbox
        # Handed over again after a crash that followed its conversation step's commit: the
        # step is answered again, never taken a second time (bot/core/conversation.py).
        self.replayed_step = inbox is not None and inbox.step_landed(update.update_id)
        if inbox is not None:
            uow.applies(update.update_id, self.now)

    def if_unshown(self, text: str) -> None:
        """What to tell the user, should the reply fail, about the write that just landed."""
        self._unshown = text

    def outcome(self) -> TurnOutcome:
        """What this turn did so far: saved user data, answered the press, maybe replied."""
        return TurnOutcome(
            saved=self.uow.saved,
            unshown=self._unshown,
            answered=self._answered,
            maybe_delivered=self.maybe_delivered,
        )

    async def load_user(self) -> User:
        """The user's full row (reminder settings and the like), to show or change it."""
        user = await self.uow.users.get(self.user_id)
        if user is None:  # the wrapper registered them in this same transaction
            raise RuntimeError("the user's row vanished mid-update")
        return user

    @property
    def today(self) -> date:
        """The user's local calendar date."""
        return local_today(self.timezone, self.now)

    @property
    def query(self) -> CallbackQuery | None:
        """The callback query of this update, if it is a button press."""
        return self.update.callback_query

    @property
    def message(self) -> Message | None:
        """The user's message of this update, if any."""
        return self.update.effective_message if self.query is None else None

    @property
    def text(self) -> str:
        """The text (or caption) the user sent, '' if none."""
        msg = self.message
        return (msg.text or msg.caption or "") if msg else ""

    def callback(self) -> Callback:
        """The decoded callback_data (BadCallback if forged or malformed)."""
        return decode(self.query.data if self.query else None)

    async def release(self) -> None:
        """End the open transaction before talking to Telegram.

        On SQLite every transaction holds the write lock (BEGIN IMMEDIATE), so a read-only
        handler that replied inside its transaction would block all writers for a network
        round trip. Handlers that wrote have committed already; this commits what is left.
        """
        if self.uow.session.in_transaction():
            # Not a step: a reply failing after this must leave the update to be applied again.
            await self.uow.commit_read()

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer the button press once (stops the client's spinner; optional toast).

        Best effort: a press redelivered or answered late can no longer be answered, and a
        toast that fails must not stop the handling that follows it.
        """
        if self.query is not None and not self._answered:
            self._answered = True
            await self.release()
            query = self.query
            try:
                await query.answer(text, show_alert=alert)
            except BadRequest as exc:
                if not is_expired_query(exc):
                    raise
                log.debug("button press already answered or expired: %s", exc.message)
            except (NetworkError, RetryAfter) as exc:
                log.warning("could not answer a button press: %s", exc)

    async def send(self, call: Callable[[], Awaitable[T]], *, resend_safe: bool = False) -> T:
        """Make a Bot API call that shows the user something, with bounded retries."""
        await self.release()
        try:
            return await deliver(call, resend_safe=resend_safe)
        except TimedOut:
            self.maybe_delivered = not resend_safe
            raise

    async def reply(
        self,
        text: str,
        keyboard: InlineKeyboardMarkup | None = None,
        *,
        quote: int | None = None,
    ) -> Message:
        """Send a new message to the user's chat, as a reply to message ``quote`` if given."""
        return await self.send(
            lambda: self.context.bot.send_message(
                self.chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                link_preview_options=NO_PREVIEW,
                reply_parameters=(
                    ReplyParameters(quote, allow_sending_without_reply=True) if quote else None
                ),
            )
        )

    async def show(self, text: str, keyboard: InlineKeyboardMarkup | None = None) -> int:
        """Replace the pressed message's content, or send a new one; returns its message id."""
        query = self.query
        # A photo or document (a chart, an export) has no text to replace: answer below it.
        if query is not None and isinstance(query.message, Message) and query.message.text:
            kwargs: dict[str, Any] = {
                "chat_id": query.message.chat_id,
                "message_id": query.message.message_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "link_preview_options": NO_PREVIEW,
            }
            if keyboard is not None:
                kwargs["reply_markup"] = keyboard
            try:
                # editMessageText through the raw request: PTB would parse the returned Message
                # (about half of an edit's cost) only for us to drop it. An edit is safe to
                # resend: one that landed before a timeout is "not modified".
                await self.send(
                    lambda: self.context.bot.do_api_request("editMessageText", api_kwargs=kwargs),
                    resend_safe=True,
                )
            except BadRequest as exc:
                # A double tap re-renders the same screen; Telegram refuses identical edits.
                if "not modified" not in exc.message.lower():
                    raise
            return query.message.message_id
        return (await self.reply(text, keyboard)).message_id

    async def remove_keyboard(self, message_id: int | None) -> None:
        """Remove the keyboard of an earlier bot message in this chat (best effort)."""
        if message_id is None:
            return
        await self.release()
        try:
            await self.context.bot.edit_message_reply_markup(self.chat_id, message_id)
        except BadRequest:
            log.debug("keyboard of message %s already gone", message_id)
        except (NetworkError, RetryAfter) as exc:
            log.warning("could not remove an old keyboard: %s", exc)

    async def drop_keyboard(self) -> None:
        """Remove the inline keyboard from the pressed message (best effort)."""
        query = self.query
        if query is not None and isinstance(query.message, Message):
            await self.release()
            try:
                await query.message.edit_reply_markup(reply_markup=None)
            except BadRequest:
                log.debug("keyboard already gone")
            except (NetworkError, RetryAfter) as exc:
                log.warning("could not remove the pressed keyboard: %s", exc)

    # --- conversations (state lives in the database, see bot/core/conversation.py) ---

    async def load_conversation(self) -> Conversation | None:
        """The user's open, unexpired conversation."""
        conv = await self.uow.conversations.get(self.user_id)
        self.conversation = conv if conv is not None and conv.expires_at > self.now else None
        return self.conversation

    async def begin(
        self,
        name: str,
        state: str,
        data: Mapping[str, Any] | None = None,
        message_id: int | None = None,
        *,
        commit: bool = True,
    ) -> Conversation:
        """Start (or replace) the user's conversation at `state`, and commit (see _step)."""
        conv = Conversation(
            user_id=self.user_id,
            chat_id=self.chat_id,
            name=name,
            state=state,
            data=dict(data or {}),
            message_id=message_id,
            expires_at=self._expiry(),
        )
        await self.uow.conversations.save(conv)
        self.conversation = conv
        await self._step(commit)
        return conv

    async def advance(self, state: str, message_id: int | None = None, **data: Any) -> None:
        """Move the open conversation to `state`, merging `data` in, and commit (see _step)."""
        conv = self.conversation
        if conv is None:
            raise RuntimeError("advance() without an open conversation")
        conv.state = state
        conv.data = {**conv.data, **data}
        if message_id is not None:
            conv.message_id = message_id
        conv.expires_at = self._expiry()
        await self.uow.conversations.save(conv)
        await self._step(commit=True)

    async def finish(self, *, commit: bool = True) -> None:
        """Close the user's conversation, and commit (see _step)."""
        await self.uow.conversations.delete(self.user_id)
        self.conversation = None
        await self._step(commit)

    async def _step(self, commit: bool) -> None:
        # A conversation step is plumbing, so it commits here and handlers never call commit().
        # commit=False stages the step for a service to commit together with its write: the
        # step and the write then land (or roll back) as one, so a retry never repeats a save.
        if commit:
            await self.uow.commit_step()

    def _expiry(self) -> datetime:
        return self.now + timedelta(minutes=self.deps.settings.conversation_timeout_minutes)


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """What a turn had done when it failed, so the error handler can tell the truth."""

    saved: bool
    unshown: str | None
    answered: bool
    maybe_delivered: bool


class TurnFailed(Exception):
    """A handler raised; the cause is chained, the outcome says what had already happened."""

    def __init__(self, outcome: TurnOutcome) -> None:
        super().__init__("the handler failed")
        self.outcome = outcome


TurnHandler = Callable[[Turn], Awaitable[None]]
PtbCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def handler(fn: TurnHandler) -> PtbCallback:
    """Wrap a Turn handler: open the unit of work, register the user, handle untrusted input."""

    @functools.wraps(fn)
    async def callback(update: Update, context: BotContext) -> None:
        tg_user, chat = update.effective_user, update.effective_chat
        if tg_user is None or chat is None:
            return
        deps = context.deps
        async with deps.uow() as uow:
            contact = await uow.users.ensure(
                tg_user.id,
                chat.id,
                tg_user.first_name,
                deps.settings.default_timezone,
                cache=deps.contacts,
            )
            turn = Turn(update, context, uow, contact)
            try:
                try:
                    await fn(turn)
                except BadCallback as exc:
                    log.info("refused callback data: %s", exc)
                    await uow.rollback()
                    await turn.answer(STALE_BUTTON)
                    await turn.drop_keyboard()
                except DomainError as exc:
                    await uow.rollback()
                    await turn.answer()
                    await turn.reply(esc(exc))
                await turn.answer()
            except ApplicationHandlerStop:
                raise
            except Exception as exc:
                raise TurnFailed(turn.outcome()) from exc

    # Every line logged while handling carries the user's hashed id.
    @functools.wraps(fn)
    async def logged(update: Update, context: BotContext) -> None:
        user = update.effective_user
        with user_context(user.id if user else None):
            started = time.perf_counter()
            await callback(update, context)
            log.debug(
                "update %s handled by %s in %.1f ms",
                update.update_id,
                fn.__name__,
                (time.perf_counter() - started) * 1000,
            )

    return logged
