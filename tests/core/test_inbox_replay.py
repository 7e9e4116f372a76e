"""A conversation step replayed after a crash: taken once, answered once.

A step has no idempotency key, so an update is recorded applied in the transaction of its step.
The crash is the one between that commit and the done mark: the update was handled (as
`process_update`, which records nothing done), and the bot restarts on the same database.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update

from bot.app import build_application, on_shutdown, on_startup
from bot.config import Settings
from bot.core.inbox import Inbox
from bot.core.runtime import BotApp
from bot.ui.texts import ANSWER_TAKEN, ANSWER_TAKEN_DONE
from storage.models import InboxUpdate
from tests.chat import ChatUser, callback_data
from tests.fakebot import FakeBotApi, FakeRequest
from tests.seed import logs, seed_skills
from tests.support import SARAH, FakeClock, UnitOfWorkFactory

DESCRIPTION = "Built a todo list component"
RATE_QUESTION = "Rate it"


@asynccontextmanager
async def running(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[BotApp]:
    """The bot as production starts it: with its updater (so the inbox), start-up recovery run."""
    app = build_application(
        settings, request=FakeRequest(api), get_updates_request=FakeRequest(api), clock=clock
    )
    await app.initialize()
    try:
        await on_startup(app)
        yield app
    finally:
        await app.shutdown()
        await on_shutdown(app)


def _inbox(app: BotApp) -> Inbox:
    inbox = app.bot_data["inbox"]
    assert isinstance(inbox, Inbox)
    return inbox


def _text_update(api: FakeBotApi, text: str) -> dict[str, Any]:
    message = {
        "message_id": api.next_message_id(SARAH),
        "date": api.now(),
        "chat": {"id": SARAH, "type": "private", "first_name": "Sarah"},
        "from": {"id": SARAH, "is_bot": False, "first_name": "Sarah"},
        "text": text,
    }
    api.record_incoming(message)
    return {"update_id": api.next_update_id(), "message": message}


def _tap_update(api: FakeBotApi, button: str) -> dict[str, Any]:
    shown = api.last_bot_message(SARAH)
    assert shown is not None
    labels = [b["text"] for row in shown["reply_markup"]["inline_keyboard"] for b in row]
    data = callback_data(shown)[labels.index(button)]
    query_id = f"replay{api.next_serial()}"
    api.register_callback_query(query_id, SARAH)
    return {
        "update_id": api.next_update_id(),
        "callback_query": {
            "id": query_id,
            "from": {"id": SARAH, "is_bot": False, "first_name": "Sarah"},
            "message": copy.deepcopy(shown),
            "chat_instance": f"chat-instance-{SARAH}",
            "data": data,
        },
    }


async def _crash_after(app: BotApp, data: dict[str, Any], *, handled: bool) -> int:
    """Store the update as the intake does; handle it or not; never record it done."""
    update = Update.de_json(copy.deepcopy(data), app.bot)
    assert await _inbox(app).store(update)
    if handled:
        await app.process_update(update)  # the processor's done mark is what the crash loses
    return update.update_id


async def _replay_after_restart(
    settings: Settings, api: FakeBotApi, clock: FakeClock, update_id: int
) -> list[str]:
    """Restart, handle what recovery hands over; the Bot API methods called, once it is done."""
    clock.advance(seconds=settings.inbox_lease_seconds + 1)  # PostgreSQL: the claim went stale
    async with running(settings, api, clock) as app:
        start = api.mark()
        handed = app.update_queue.get_nowait()
        assert isinstance(handed, Update) and handed.update_id == update_id
        assert app.update_queue.empty()
        await app.update_processor.process_update(handed, app.process_update(handed))
        calls = [call.method for call in api.calls_since(start)]
        await _inbox(app).flush()
    return calls


async def _conversation(uow_factory: UnitOfWorkFactory) -> tuple[str, dict[str, Any]] | None:
    async with uow_factory() as uow:
        conv = await uow.conversations.get(SARAH)
        return (conv.state, dict(conv.data)) if conv is not None else None


async def _inbox_row(uow_factory: UnitOfWorkFactory, update_id: int) -> tuple[bool, bool]:
    """Whether the update is recorded with its step applied, and done."""
    columns = (InboxUpdate.step_applied_at, InboxUpdate.done_at)
    async with uow_factory() as uow:
        row = (
            await uow.session.execute(select(*columns).where(InboxUpdate.update_id == update_id))
        ).one()
        return row[0] is not None, row[1] is not None


async def _to_description(app: BotApp, api: FakeBotApi, uow_factory: UnitOfWorkFactory) -> None:
    await seed_skills(uow_factory, "React")
    sarah = ChatUser(app, api, SARAH)
    await sarah.send("/log")
    await sarah.tap("React")
    await sarah.tap("30 min")
    await sarah.tap("Today")
    assert (await _conversation(uow_factory) or ("",))[0] == "description"


async def test_a_typed_description_applied_before_the_crash_is_asked_on_not_taken_again(
    settings: Settings, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    async with running(settings, api, clock) as app:
        await _to_description(app, api, uow_factory)
        update_id = await _crash_after(app, _text_update(api, DESCRIPTION), handled=True)
    assert await _inbox_row(uow_factory, update_id) == (True, False)  # applied, not done
    moved = await _conversation(uow_factory)
    assert moved is not None and moved[0] == "rate" and moved[1]["description"] == DESCRIPTION

    calls = await _replay_after_restart(settings, api, clock, update_id)

    # Answered once: the question the step had moved to, asked again; nothing taken twice.
    assert calls.count("sendMessage") == 1
    shown = api.last_bot_message(SARAH)
    assert shown is not None and RATE_QUESTION in str(shown["reply_markup"])
    assert "Tap ⭐ Rate it" not in shown["text"]  # the description was not read as an answer
    assert await _conversation(uow_factory) == moved
    assert await _inbox_row(uow_factory, update_id) == (True, True)
    # The flow goes on from there and saves the session once, with that description.
    async with running(settings, api, clock) as app:
        sarah = ChatUser(app, api, SARAH)
        await sarah.tap("Skip")
    assert [row.description for row in await logs(uow_factory)] == [DESCRIPTION]


async def test_a_typed_description_not_applied_before_the_crash_is_taken_on_replay(
    settings: Settings, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    async with running(settings, api, clock) as app:
        await _to_description(app, api, uow_factory)
        update_id = await _crash_after(app, _text_update(api, DESCRIPTION), handled=False)
    assert await _inbox_row(uow_factory, update_id) == (False, False)

    calls = await _replay_after_restart(settings, api, clock, update_id)

    assert calls.count("sendMessage") == 1
    moved = await _conversation(uow_factory)
    assert moved is not None and moved[0] == "rate" and moved[1]["description"] == DESCRIPTION


@pytest.mark.parametrize("applied", [True, False])
async def test_a_rating_tap_replayed_after_a_crash_is_never_taken_as_the_next_answer(
    settings: Settings,
    api: FakeBotApi,
    clock: FakeClock,
    uow_factory: UnitOfWorkFactory,
    applied: bool,
) -> None:
    async with running(settings, api, clock) as app:
        await _to_description(app, api, uow_factory)
        sarah = ChatUser(app, api, SARAH)
        await sarah.send(DESCRIPTION)
        await sarah.tap("⭐ Rate it")
        update_id = await _crash_after(app, _tap_update(api, "3"), handled=applied)

    calls = await _replay_after_restart(settings, api, clock, update_id)

    # The difficulty is 3 once; the confidence is still to be asked, never set by the replay.
    state, data = await _conversation(uow_factory) or ("", {})
    assert (state, data.get("difficulty"), data.get("confidence")) == ("confidence", 3, None)
    assert "answerCallbackQuery" in calls
    assert calls.count("editMessageText") == 1  # the confidence question, shown once


async def test_a_flow_that_cannot_ask_again_points_back_at_its_question_and_takes_nothing(
    settings: Settings, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    async with running(settings, api, clock) as app:
        await ChatUser(app, api, SARAH).send("/start")
        assert (await _conversation(uow_factory) or ("",))[0] == "tz"
        update_id = await _crash_after(app, _text_update(api, "Europe/Berlin"), handled=True)
    assert (await _conversation(uow_factory) or ("",))[0] == "skill"

    calls = await _replay_after_restart(settings, api, clock, update_id)

    # Not read as the first skill's name: the user is pointed at the question they are on.
    assert calls.count("sendMessage") == 1
    assert api.texts(SARAH)[-1] == ANSWER_TAKEN
    assert (await _conversation(uow_factory) or ("",))[0] == "skill"
    async with uow_factory() as uow:
        assert await uow.skills.count(SARAH) == 0
        user = await uow.users.get(SARAH)
        assert user is not None and user.timezone == "Europe/Berlin"


async def test_a_write_that_landed_before_its_step_is_taken_again_as_the_same_answer(
    settings: Settings, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    """The time zone committed, then the reply failed before the step to "skill" committed."""
    async with running(settings, api, clock) as app:
        await ChatUser(app, api, SARAH).send("/start")
        api.fail_next("sendMessage", status=500, times=20)
        update_id = await _crash_after(app, _text_update(api, "Europe/Berlin"), handled=True)
        api.clear_failures()
    assert await _inbox_row(uow_factory, update_id) == (False, False)
    assert (await _conversation(uow_factory) or ("",))[0] == "tz"

    calls = await _replay_after_restart(settings, api, clock, update_id)

    # Read again at the step it answers (setting the same zone), then the next question.
    assert calls.count("sendMessage") == 1
    assert "first skill" in api.texts(SARAH)[-1]
    assert (await _conversation(uow_factory) or ("",))[0] == "skill"
    async with uow_factory() as uow:
        assert await uow.skills.count(SARAH) == 0


async def test_an_answer_whose_step_ended_the_conversation_is_not_read_as_a_new_message(
    settings: Settings, api: FakeBotApi, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    """/timezone took the typed zone and closed; the crash lost only the reply and the done mark."""
    async with running(settings, api, clock) as app:
        await ChatUser(app, api, SARAH).send("/timezone")
        assert (await _conversation(uow_factory) or ("",))[0] == "tz"
        update_id = await _crash_after(app, _text_update(api, "Europe/Berlin"), handled=True)
    assert await _conversation(uow_factory) is None
    assert await _inbox_row(uow_factory, update_id) == (True, False)
    before = len(api.texts(SARAH))

    calls = await _replay_after_restart(settings, api, clock, update_id)

    # One true line, not the plain-message handlers' reading of "Europe/Berlin".
    assert calls.count("sendMessage") == 1
    assert api.texts(SARAH)[before:] == [ANSWER_TAKEN_DONE]
    assert await _conversation(uow_factory) is None
    async with uow_factory() as uow:
        user = await uow.users.get(SARAH)
        assert user is not None and user.timezone == "Europe/Berlin"
