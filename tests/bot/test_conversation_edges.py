"""Edge cases found in review: stale Cancel, edited messages, /timezone with an argument."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.core.runtime import BotApp
from bot.core.updates import PerUserUpdateProcessor
from tests.chat import ChatUser
from tests.support import UnitOfWorkFactory


async def test_an_older_screens_cancel_leaves_the_current_conversation_alone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone")
    old_prompt = sarah.last_message()
    await sarah.send("/addskill")  # a newer conversation replaces the /timezone question
    await sarah.tap("✖ Cancel", message=old_prompt)
    assert "Closed" in sarah.last_text()
    async with uow_factory() as uow:
        conv = await uow.conversations.get(1001)
        assert conv is not None
        assert conv.name == "skill_name"
    await sarah.send("Guitar")
    assert "Added Guitar" in sarah.last_text()


async def test_an_edited_message_is_not_taken_as_a_new_answer(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill")
    before = len(sarah.texts())
    await sarah.send_update(
        {
            "edited_message": {
                "message_id": 1,
                "date": 1764072000,
                "edit_date": 1764072060,
                "chat": {"id": 1001, "type": "private", "first_name": "Sarah"},
                "from": {"id": 1001, "is_bot": False, "first_name": "Sarah"},
                "text": "Edited into a skill name",
            }
        }
    )
    assert len(sarah.texts()) == before
    async with uow_factory() as uow:
        assert await uow.skills.count(1001) == 0


async def test_timezone_with_an_argument_answers_the_open_question(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone")
    await sarah.send("/timezone Europe/Berlin")
    async with uow_factory() as uow:
        assert await uow.conversations.get(1001) is None
    await sarah.send("Tokyo")  # no longer taken as a time zone
    assert "not sure what to do" in sarah.last_text()


def _update(user_id: int, update_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1764072000,
                "text": "hi",
                "chat": {"id": user_id, "type": "private", "first_name": "U"},
                "from": {"id": user_id, "is_bot": False, "first_name": "U"},
            },
        },
        None,
    )


async def test_one_users_burst_does_not_hold_every_slot(app: BotApp) -> None:
    processor = PerUserUpdateProcessor(2)
    order: list[str] = []
    release = asyncio.Event()

    async def slow(tag: str) -> None:
        order.append(f"start {tag}")
        await release.wait()
        order.append(f"end {tag}")

    async def fast(tag: str) -> None:
        order.append(f"run {tag}")

    burst: list[Any] = [
        asyncio.create_task(processor.process_update(_update(1, n), slow(f"a{n}")))
        for n in range(4)
    ]
    await asyncio.sleep(0)
    other = asyncio.create_task(processor.process_update(_update(2, 9), fast("b")))
    await asyncio.wait_for(other, timeout=2)  # finishes while user 1 is still busy
    assert "run b" in order
    assert order.count("start a0") == 1
    assert not any(o.startswith("start a1") for o in order)  # user 1 stays in order
    release.set()
    await asyncio.gather(*burst)
    assert [o for o in order if o.startswith("end")] == ["end a0", "end a1", "end a2", "end a3"]


async def test_quick_undo_keeps_attached_evidence_restorable(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill React")
    await sarah.send("/quick")
    await sarah.tap("React 30m")
    card = sarah.last_message()
    await sarah.send("/note Hooks clicked today, finally")
    await sarah.tap_containing("React · today")
    await sarah.tap("↩️ Undo", message=card)
    assert "1 piece of evidence" in sarah.last_text()
    async with uow_factory() as uow:
        assert await uow.practice_logs.last_log(1001) is None
    await sarah.tap("↩️ Restore")
    async with uow_factory() as uow:
        restored = await uow.practice_logs.last_log(1001)
        assert restored is not None
        assert await uow.evidence.count_for_session(1001, restored.id) == 1
