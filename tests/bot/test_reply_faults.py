"""When the Bot API fails after a save: the bot retries, then says what was saved, never
"nothing was saved"; a reply that may have arrived is not followed by a failure message."""

from __future__ import annotations

import logging
from itertools import pairwise

import pytest

from bot.core.delivery import ATTEMPTS
from bot.core.runtime import BotApp
from bot.ui.texts import NOTHING_SAVED, SAVED_UNSHOWN
from tests.chat import ChatUser
from tests.fakebot import ApiCall, FakeBotApi
from tests.seed import count_logs, logs, seed_skills
from tests.support import UnitOfWorkFactory

LOG_GUITAR = "/log guitar 30m scales and arpeggios"
SAVED_UNSHOWN_CARD = "✅ Saved Guitar — 30 min; I couldn't show the card, /history has it."


@pytest.fixture
def sarah(app: BotApp, api: FakeBotApi) -> ChatUser:
    """Sarah, whose failed updates are reported to the error handler, not raised in the test."""
    return ChatUser(app, api, user_id=1001, first_name="Sarah", raise_errors=False)


def delivered(calls: list[ApiCall], method: str = "sendMessage") -> list[ApiCall]:
    """The calls of `method` that reached the chat (answered, or carried out then timed out)."""
    return [c for c in calls if c.method == method and (c.ok or c.answer_lost)]


def no_nothing_saved(user: ChatUser) -> bool:
    return all("nothing was saved" not in text for text in user.texts())


async def test_a_500_on_the_card_after_a_save_is_retried_and_the_card_shows(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    api.fail_next("sendMessage", status=500)
    calls = await sarah.send(LOG_GUITAR)
    assert len(delivered(calls)) == 1
    assert sarah.last_text().startswith("✅ Saved: Guitar — 30 min")
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 1


async def test_a_card_failing_for_good_after_a_save_says_what_was_saved(
    sarah: ChatUser,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await seed_skills(uow_factory, "Guitar")
    api.fail_next("sendMessage", status=500, times=ATTEMPTS)
    with caplog.at_level(logging.WARNING):
        calls = await sarah.send(LOG_GUITAR)
    sends = [c for c in calls if c.method == "sendMessage"]
    assert [c.status for c in sends] == [500] * ATTEMPTS + [200]
    assert sarah.last_text() == SAVED_UNSHOWN_CARD
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 1
    # A delivery problem after the save: a warning, not an "update failed" error.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # The conversation was finished with the save: the next message starts afresh.
    await sarah.send("/log guitar 30m scales and arpeggios again")
    assert await count_logs(uow_factory) == 2


async def test_429_five_times_after_a_save_honours_retry_after_and_shows_one_message(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    api.fail_next("sendMessage", status=429, retry_after=1, times=5)
    calls = await sarah.send(LOG_GUITAR)
    sends = [c for c in calls if c.method == "sendMessage"]
    assert [c.status for c in sends] == [429] * 5 + [200]
    # Every retry waited out the flood control Telegram asked for.
    gaps = [b.at_monotonic - a.at_monotonic for a, b in pairwise(sends)]
    assert all(gap >= 1.0 for gap in gaps), gaps
    assert len(delivered(calls)) == 1
    text = sarah.last_text()
    assert text.startswith("✅ Saved: Guitar — 30 min") or text == SAVED_UNSHOWN_CARD
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 1


async def test_a_slow_card_that_arrived_is_not_followed_by_a_failure_message(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    api.time_out_next("sendMessage")
    calls = await sarah.send(LOG_GUITAR)
    # The card reached the chat, its answer didn't reach the bot: nothing is sent after it.
    assert [c.method for c in calls if c.method == "sendMessage"] == ["sendMessage"]
    assert sarah.texts()[-1].startswith("✅ Saved: Guitar — 30 min")
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 1


async def test_a_quick_log_card_failing_after_the_save_is_reported_without_a_second_answer(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/quick")
    api.fail_next("editMessageText", status=502, times=ATTEMPTS)
    calls = await sarah.tap("Guitar 30m")
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1  # "Saved", and the error handler did not answer it again
    assert sarah.answers() == ["Saved"]
    assert sarah.last_text() == SAVED_UNSHOWN_CARD
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 1


async def test_a_slow_quick_log_edit_is_resent_safely_and_shown_once(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/quick")
    api.time_out_next("editMessageText")
    calls = await sarah.tap("Guitar 30m")
    # The edit is resent (Telegram calls the repeat "not modified"); no extra message.
    assert "sendMessage" not in [c.method for c in calls]
    assert "⚡ Logged: Guitar — 30 min" in sarah.last_text()
    assert sarah.unanswered() == []
    assert await count_logs(uow_factory) == 1


async def test_a_reply_failing_before_any_save_still_says_nothing_was_saved(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    api.fail_next("sendMessage", status=500, times=ATTEMPTS)
    await sarah.send("/streak")
    assert sarah.texts() == [NOTHING_SAVED]
    assert await count_logs(uow_factory) == 0


async def test_a_failed_button_before_any_save_answers_the_press_with_nothing_saved(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/quick")
    api.fail_next("editMessageText", status=500, times=ATTEMPTS)
    await sarah.tap("✖ Close")
    assert sarah.answers() == [NOTHING_SAVED]
    assert await count_logs(uow_factory) == 0


async def test_the_log_conversation_says_what_it_saved_when_the_card_fails(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log")
    await sarah.tap("Guitar")
    await sarah.tap("30 min")
    await sarah.tap("Today")
    await sarah.send("Scales and arpeggios, slowly")
    await sarah.tap("⭐ Rate it")
    await sarah.tap("3")  # difficulty
    api.fail_next("sendMessage", status=500, times=ATTEMPTS)
    await sarah.tap("4")  # confidence: the last step saves
    assert sarah.last_text() == SAVED_UNSHOWN_CARD
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 1


async def test_evidence_attached_then_unshown_is_reported_as_saved(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("This helped a lot: https://example.com/scales")
    api.fail_next("editMessageText", status=500, times=ATTEMPTS)
    await sarah.tap("📚 Guitar (skill)")
    assert sarah.last_text() == (
        "📎 Saved 1 link to Guitar (skill); I couldn't show the confirmation, /evidence has it."
    )
    assert no_nothing_saved(sarah)


async def test_a_deleted_session_whose_screen_fails_is_reported_as_deleted(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(LOG_GUITAR)
    await sarah.send("/history")
    await sarah.tap("1")
    await sarah.tap("🗑 Delete")
    api.fail_next("editMessageText", status=500, times=ATTEMPTS)
    await sarah.tap("🗑 Delete")
    assert sarah.last_text().startswith("🗑 Deleted the 30 min Guitar session")
    assert sarah.last_text().endswith("I couldn't show its Undo, /history shows what's left.")
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 0


async def test_an_import_whose_summary_fails_is_reported_as_imported(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    data = (
        b"Date,Skill,Minutes,Description\n"
        b"2026-11-20,Guitar,60,An hour of scales and chords\n"
        b"2026-11-21,Guitar,30,Half an hour of arpeggios\n"
    )
    await sarah.send("/import")
    await sarah.send_document("guitar.csv", "text/csv", data=data)
    # The progress step fails too, and is skipped: the import goes on.
    api.fail_next("editMessageText", status=500, times=2 * ATTEMPTS)
    await sarah.tap_containing("📥 Import")
    assert sarah.last_text() == (
        "📥 Imported 2 sessions from guitar.csv; I couldn't show the summary, /history has them."
    )
    assert no_nothing_saved(sarah)
    assert await count_logs(uow_factory) == 2


async def test_any_other_write_whose_reply_fails_is_reported_as_saved(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/timezone Europe/Berlin")
    api.fail_next("sendMessage", status=500, times=ATTEMPTS)
    await sarah.send("/addskill Guitar")
    assert sarah.last_text() == SAVED_UNSHOWN
    async with uow_factory() as uow:
        assert await uow.skills.count(1001) == 1


async def test_a_failed_tidy_up_of_the_step_message_does_not_stop_the_card(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log")
    await sarah.tap("Guitar")
    await sarah.tap("30 min")
    await sarah.tap("Today")
    await sarah.send("Scales and arpeggios, slowly")
    await sarah.tap("⭐ Rate it")
    await sarah.tap("3")
    api.fail_next("deleteMessage", status=500)
    await sarah.tap("4")
    assert sarah.last_text().startswith("✅ Saved: Guitar — 30 min")
    assert sarah.errors == []


async def test_a_chart_whose_upload_hits_a_500_is_sent_again(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(LOG_GUITAR)
    await sarah.send("/stats")
    api.fail_next("sendChatAction", status=500)
    api.fail_next("sendPhoto", status=500)
    calls = await sarah.tap("📊 Weekly chart")
    assert [c.status for c in calls if c.method == "sendPhoto"] == [500, 200]
    assert sarah.errors == []


async def test_an_edit_whose_screen_fails_is_reported_as_updated(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(LOG_GUITAR)
    await sarah.send("/history")
    await sarah.tap("1")
    await sarah.tap("✏️ Edit")
    await sarah.tap("⏱ Duration")
    api.fail_next("sendMessage", status=500, times=ATTEMPTS)
    await sarah.send("45m")
    assert sarah.last_text() == (
        "✅ Updated the duration of that session; I couldn't show it, /history has it."
    )
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 45
    assert no_nothing_saved(sarah)
