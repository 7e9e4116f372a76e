"""Button presses under Bot API faults: a failed export upload offers Retry instead of a stuck
"Preparing", and a redelivered or expired press is expected, not an error."""

from __future__ import annotations

import logging

import pytest

from bot.core.delivery import ATTEMPTS
from bot.core.runtime import BotApp
from bot.ui.texts import NOTHING_SAVED
from tests.bot.transfer_helpers import sent_document
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.seed import count_logs, seed_skills
from tests.support import SARAH, UnitOfWorkFactory


@pytest.fixture
def sarah(app: BotApp, api: FakeBotApi) -> ChatUser:
    """Sarah, whose failed updates are reported to the error handler, not raised in the test."""
    return ChatUser(app, api, user_id=SARAH, first_name="Sarah", raise_errors=False)


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_failed_export_upload_offers_retry_and_retry_sends_it(
    sarah: ChatUser,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/export")
    api.fail_next("sendDocument", status=500, times=ATTEMPTS)
    with caplog.at_level(logging.WARNING):
        calls = await sarah.tap("📄 JSON")
    assert not [c for c in calls if c.method == "sendDocument" and c.ok]
    text = sarah.last_text()
    assert text.startswith("❌ I couldn't send your JSON export")
    assert "Preparing" not in " ".join(sarah.texts())
    assert sarah.buttons() == [["🔁 Retry", "✖ Cancel"]]
    assert sarah.answers() == ["Preparing your export…"]  # answered once, never again
    assert all(NOTHING_SAVED not in t for t in sarah.texts())
    assert errors(caplog) == []

    await sarah.tap("🔁 Retry")
    name, data, _ = sent_document(api, SARAH)
    assert name.endswith(".json") and b'"skills"' in data
    assert sarah.last_text() == f"✅ Here's your export: {name}."
    assert sarah.unanswered() == []


async def test_a_timed_out_export_upload_says_it_may_have_arrived(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/export")
    api.time_out_next("sendDocument")
    calls = await sarah.tap("📊 CSV")
    # Not sent twice: a document that may have arrived is not uploaded again on its own.
    assert len([c for c in calls if c.method == "sendDocument"]) == 1
    assert sarah.last_text().startswith("⌛ Sending your CSV export took too long")
    assert sarah.buttons() == [["🔁 Retry", "✖ Cancel"]]


async def test_a_redelivered_press_is_handled_once_and_logs_no_error(
    sarah: ChatUser,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/quick")
    with caplog.at_level(logging.DEBUG):
        await sarah.tap("Guitar 30m")
        calls = await sarah.redeliver()
    # Telegram refuses the second answer ("query is too old"): expected, the handling goes on.
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert [c.status for c in answers] == [400]
    assert errors(caplog) == []
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert any("already answered or expired" in r.getMessage() for r in caplog.records)
    assert "⚡ Already logged: Guitar — 30 min" in sarah.last_text()
    assert sarah.errors == []
    assert await count_logs(uow_factory) == 1


async def test_an_expired_press_on_a_failing_update_is_not_answered_twice(
    sarah: ChatUser,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/quick")
    await sarah.tap("Guitar 30m")
    api.fail_next("editMessageText", status=500, times=ATTEMPTS)
    with caplog.at_level(logging.DEBUG):
        calls = await sarah.redeliver()
    # The redelivered press saved nothing new; the edit failed, so the error handler speaks,
    # and its one try to answer the expired press is refused quietly.
    assert len([c for c in calls if c.method == "answerCallbackQuery"]) == 1
    assert not [r for r in caplog.records if "query" in r.getMessage().lower() and r.exc_info]
    assert await count_logs(uow_factory) == 1
    assert all("nothing was saved" not in t for t in sarah.texts())
