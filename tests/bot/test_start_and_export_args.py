"""/start from someone already set up greets them; /export honours json/csv — real Application."""

from __future__ import annotations

import pytest

from tests.bot.transfer_helpers import sent_document
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.seed import seed_skills
from tests.support import UnitOfWorkFactory


async def test_start_after_set_up_greets_and_shows_what_i_can_do(sarah: ChatUser) -> None:
    await sarah.send("/start")
    await sarah.tap("Berlin")
    await sarah.tap("Skip")  # no first skill: set-up still ends here
    await sarah.send("/start")
    text = sarah.last_text()
    assert "Welcome back, Sarah!" in text and "Europe/Berlin" in text
    assert "/timezone changes it" in text and "/log" in text and "/history" in text
    assert "Which time zone are you in?" not in text
    assert sarah.buttons() == []
    await sarah.send("Europe/Paris")  # no set-up conversation was opened
    assert "not sure what to do" in sarah.last_text()


async def test_start_from_a_user_with_skills_greets_too(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")  # e.g. added with /addskill, never ran /start
    await sarah.send("/start")
    assert "Welcome back" in sarah.last_text()


async def test_start_for_a_new_user_still_asks_for_the_time_zone(sarah: ChatUser) -> None:
    await sarah.send("/start")
    assert "Which time zone are you in?" in sarah.last_text()
    await sarah.send("/cancel")  # cancelled before the end: not set up yet
    await sarah.send("/start")
    assert "Which time zone are you in?" in sarah.last_text()


@pytest.mark.parametrize(("arg", "ext"), [("csv", ".csv"), ("json", ".json"), ("CSV", ".csv")])
async def test_export_with_a_format_sends_it_at_once(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory, arg: str, ext: str
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(f"/export {arg}")
    name, data, _ = sent_document(api, sarah.user_id)
    assert name.endswith(ext) and data
    assert sarah.last_text() == f"✅ Here's your export: {name}."
    assert sarah.buttons() == []


async def test_export_with_an_unknown_format_asks(sarah: ChatUser, api: FakeBotApi) -> None:
    await sarah.send("/export pdf")
    assert "I can export as JSON or CSV, not “pdf”" in sarah.last_text()
    assert api.sent("sendDocument") == []
    await sarah.tap("📊 CSV")
    name, _, _ = sent_document(api, sarah.user_id)
    assert name.endswith(".csv")
