"""/start, /timezone, /help, /cancel, unknown input: a new user's first minutes."""

from __future__ import annotations

from bot.app import on_startup
from bot.core.runtime import BotApp
from storage.models import Skill
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.support import UnitOfWorkFactory


async def _timezone(uow_factory: UnitOfWorkFactory, user_id: int) -> str | None:
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
        return user.timezone if user else None


async def test_start_registers_asks_timezone_then_first_skill(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/start")
    assert "Hi Sarah" in sarah.last_text()
    assert "time zone" in sarah.last_text()
    await sarah.tap("Berlin")
    assert "Europe/Berlin" in sarah.last_text()
    assert "first skill" in sarah.last_text()
    await sarah.send("  React   Native ")
    assert "Added React Native" in sarah.last_text()

    assert await _timezone(uow_factory, 1001) == "Europe/Berlin"
    async with uow_factory() as uow:
        summaries = await uow.skills.summaries(1001)
    assert [s.name for s in summaries] == ["React Native"]


async def test_start_accepts_typed_offsets_and_city_names(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/start")
    await sarah.send("Mars/Olympus")
    assert "I don't know the time zone" in sarah.last_text()
    assert await _timezone(uow_factory, 1001) == "UTC"
    await sarah.send("UTC+13")
    assert "Etc/GMT-13" in sarah.last_text()
    await sarah.tap("Skip")
    assert "Add skills any time" in sarah.last_text()


async def test_timezone_command_with_argument_and_with_buttons(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone tokyo")
    assert "Asia/Tokyo" in sarah.last_text()
    await sarah.send("/timezone")
    await sarah.tap("Keep Asia/Tokyo")
    assert "stays" in sarah.last_text()
    await sarah.send("/timezone")
    await sarah.send("-10")
    assert "Etc/GMT+10" in sarah.last_text()
    assert await _timezone(uow_factory, 1001) == "Etc/GMT+10"


async def test_sticker_where_text_is_expected_changes_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone")
    await sarah.send_sticker()
    assert "I need a time zone as text" in sarah.last_text()
    assert await _timezone(uow_factory, 1001) == "UTC"


async def test_cancel_leaves_the_conversation(sarah: ChatUser) -> None:
    await sarah.send("/start")
    await sarah.send("/cancel")
    assert "Cancelled the set-up" in sarah.last_text()
    await sarah.send("Europe/Paris")  # no conversation any more: not taken as a zone
    assert "not sure what to do" in sarah.last_text()
    await sarah.send("/cancel")
    assert "nothing to cancel" in sarah.last_text()


async def test_cancel_button_and_stale_step_buttons(sarah: ChatUser) -> None:
    await sarah.send("/start")
    first = sarah.last_message()
    await sarah.tap("✖ Cancel")
    assert "Cancelled" in sarah.last_text()
    await sarah.tap_data("su:z:Europe/Paris", message_id=first["message_id"])
    assert "expired" in sarah.answers()[-1]


async def test_help_unknown_command_and_unexpected_content(sarah: ChatUser) -> None:
    await sarah.send("/help")
    assert "/log" in sarah.last_text()
    await sarah.send("/frobnicate now")
    assert "I don't know the command /frobnicate" in sarah.last_text()
    await sarah.send_sticker()
    assert "can't use stickers" in sarah.last_text()
    await sarah.send_location()
    assert "can't use locations" in sarah.last_text()


async def test_forged_and_unknown_buttons_are_answered_politely(sarah: ChatUser) -> None:
    await sarah.send("/help")
    await sarah.tap_data("zz:whatever")
    assert "expired" in sarah.answers()[-1]
    await sarah.tap_data("sk:o:notanumber:0")
    assert "expired" in sarah.answers()[-1]


async def test_startup_publishes_the_command_menu(app: BotApp, api: FakeBotApi) -> None:
    await on_startup(app)
    call = api.last("setMyCommands")
    assert call is not None
    names = [c["command"] for c in call.params["commands"]]
    assert {"skills", "addskill", "timezone", "help", "cancel"} <= set(names)


async def test_skill_rows_are_not_created_by_a_failed_first_name(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/start")
    await sarah.tap("Keep UTC")
    await sarah.send("x" * 65)
    assert "at most 64" in sarah.last_text()
    async with uow_factory() as uow:
        assert await uow.skills.count(1001) == 0
    assert Skill.__tablename__ == "skills"
