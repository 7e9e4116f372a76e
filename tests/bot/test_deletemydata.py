"""/deletemydata: a confirmation with exact counts, then every row of the user is gone."""

from __future__ import annotations

import json

from storage.models import User
from tests.bot.transfer_helpers import export
from tests.chat import ChatUser
from tests.seed import owned_counts, owned_rows, seed_account
from tests.support import UnitOfWorkFactory

DELETE = "🗑 Delete everything"
KEEP = "Keep my data"


async def test_delete_everything_after_confirming_and_come_back_a_stranger(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_account(uow_factory, sarah.user_id, "Sarah")
    await seed_account(uow_factory, mallory.user_id, "Mallory")
    mallorys_rows = await owned_rows(uow_factory, mallory.user_id)

    await sarah.send("/deletemydata")
    screen = sarah.last_text()
    assert "Delete all your data?" in screen
    assert "2 skills" in screen
    assert "3 practice sessions" in screen
    assert "3 pieces of evidence" in screen
    assert sarah.buttons() == [[DELETE, KEEP]]
    confirmation = sarah.last_message()

    await sarah.tap(DELETE)
    assert "I erased all your data" in sarah.last_text()
    assert "2 skills" in sarah.last_text()
    assert sarah.buttons() == []
    assert sarah.answers()[-1] == "Deleted"
    assert all(n == 0 for n in (await owned_counts(uow_factory, sarah.user_id)).values())
    assert await owned_rows(uow_factory, mallory.user_id) == mallorys_rows
    _, document = await export(sarah, "json")
    exported = json.loads(document)
    assert (exported["skills"], exported["practice_logs"], exported["evidence"]) == ([], [], [])
    assert "Europe/Berlin" not in document.decode()

    await sarah.tap_data("dmd:yes", confirmation["message_id"])  # the old confirmation again
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."

    await sarah.send("/start")
    assert "Which time zone are you in?" in sarah.last_text()
    assert ["Keep UTC"] in sarah.buttons(), "the seeded Europe/Berlin should be forgotten"
    async with uow_factory() as uow:
        user = await uow.session.get(User, sarah.user_id)
        assert user is not None and user.timezone == "UTC"
        assert await uow.skills.count(sarah.user_id) == 0


async def test_keep_my_data_deletes_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_account(uow_factory, sarah.user_id, "Sarah")
    await sarah.send("/deletemydata")
    before = await owned_rows(uow_factory, sarah.user_id)
    await sarah.tap(KEEP)
    assert sarah.last_text() == "Kept. Nothing was deleted."
    assert sarah.buttons() == []
    after = await owned_rows(uow_factory, sarah.user_id)
    assert after["conversations"] == []
    assert {k: v for k, v in after.items() if k != "conversations"} == {
        k: v for k, v in before.items() if k != "conversations"
    }


async def test_a_new_user_with_nothing_saved_sees_zero_counts(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/deletemydata")
    assert "0 skills" in sarah.last_text()
    assert "0 practice sessions" in sarah.last_text()
    await sarah.tap(DELETE)
    assert "I erased all your data" in sarah.last_text()
    async with uow_factory() as uow:
        assert await uow.session.get(User, sarah.user_id) is None


async def test_data_saved_after_the_question_is_counted_before_anything_goes(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send("/deletemydata")
    assert "1 skill\n" in sarah.last_text()
    await sarah.send("/addskill Piano")
    await sarah.tap(DELETE)
    assert "Your data changed since I asked" in sarah.last_text()
    assert "2 skills" in sarah.last_text()
    async with uow_factory() as uow:
        assert await uow.skills.count(sarah.user_id) == 2
    await sarah.tap(DELETE)
    assert "I erased all your data" in sarah.last_text()
    async with uow_factory() as uow:
        assert await uow.skills.count(sarah.user_id) == 0


async def test_only_the_newest_confirmation_works_and_cancel_leaves(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send("/deletemydata")
    old = sarah.last_message()
    await sarah.send("/deletemydata")
    await sarah.tap(DELETE, message=old)
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."
    await sarah.send("yes please")
    assert "Tap <b>🗑 Delete everything</b>" in sarah.api.last("sendMessage").params["text"]
    await sarah.send("/cancel")
    assert sarah.last_text() == "Cancelled the data deletion. Nothing was saved."
    await sarah.tap_data("dmd:yes")
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."
    async with uow_factory() as uow:
        assert await uow.skills.count(sarah.user_id) == 1
