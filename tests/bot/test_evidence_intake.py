"""Evidence as people send it: a batch that waits through other commands, captions, albums,
forwards, recordings and documents — through the real Application."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from storage.models import Evidence, EvidenceBatch, PracticeLog
from tests.chat import ChatUser, flat
from tests.fakebot import FakeBotApi
from tests.seed import add_skill, seed_session
from tests.support import UnitOfWorkFactory

SARAH = 1001


async def _evidence(uow_factory: UnitOfWorkFactory) -> list[Evidence]:
    async with uow_factory() as uow:
        rows = list((await uow.session.scalars(select(Evidence).order_by(Evidence.id))).all())
        uow.session.expunge_all()
        return rows


async def _sessions(uow_factory: UnitOfWorkFactory) -> list[PracticeLog]:
    async with uow_factory() as uow:
        query = select(PracticeLog).order_by(PracticeLog.id)
        rows = list((await uow.session.scalars(query)).all())
        uow.session.expunge_all()
        return rows


async def _waiting(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        batch = await uow.session.get(EvidenceBatch, SARAH)
        return len(batch.items) if batch is not None else 0


def _prompts(api: FakeBotApi) -> list[str]:
    return [
        str(call.params["text"])
        for call in api.sent("sendMessage")
        if "where should I attach" in str(call.params.get("text", ""))
    ]


# --- a waiting batch survives other commands ---


async def test_pending_photos_survive_log_and_stats_and_attach_to_the_new_session_in_one_tap(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    await seed_session(uow_factory, react)
    await sarah.send_photo(photo_id="login-1")
    await sarah.send_photo(photo_id="login-2")
    assert "2 screenshots" in sarah.last_text()
    await sarah.send("/log react 45m built the login page UI today")
    assert "✅ Saved: React — 45 min" in sarah.last_text()
    assert sarah.buttons()[0] == ["📎 Attach the 2 photos here"]
    await sarah.send("/stats")
    await sarah.send("/history")
    assert await _waiting(uow_factory) == 2
    assert await _evidence(uow_factory) == []
    await sarah.tap("📎 Attach the 2 photos here")
    assert "Saved 2 screenshots to React · today · 45 min" in sarah.last_text()
    new_session = (await _sessions(uow_factory))[-1]
    rows = await _evidence(uow_factory)
    assert [(r.kind, r.practice_log_id) for r in rows] == [("screenshot", new_session.id)] * 2
    assert await _waiting(uow_factory) == 0
    # Pressed again, nothing is waiting any more: said so, nothing changes.
    await sarah.tap("📎 Attach the 2 photos here")
    assert "already attached or cancelled" in sarah.answers()[-1]
    assert len(await _evidence(uow_factory)) == 2


async def test_the_prompt_still_works_after_a_step_by_step_log_started_in_between(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.send("https://react.dev/learn")
    prompt = sarah.last_message()
    await sarah.send("/log")
    assert "Which skill" in sarah.last_text()
    await sarah.tap("React · today · 45 min", message=prompt)
    assert "Saved 1 link to React · today · 45 min" in sarah.last_text()
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.practice_log_id) == ("link", log_id)
    # The /log conversation opened meanwhile is still there to finish.
    await sarah.tap("React")
    assert "How long" in sarah.last_text()


async def test_a_session_logged_with_nothing_waiting_offers_no_attach_button(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send("/log react 45m built the login page UI")
    assert not any("Attach" in label for label in flat(sarah.buttons()))


async def test_cancel_on_the_prompt_forgets_the_batch(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_photo()
    await sarah.tap("✖ Cancel")
    assert "Cancelled adding evidence. Nothing was saved." in sarah.last_text()
    assert await _waiting(uow_factory) == 0
    await sarah.send("/log react 45m built the login page UI")
    assert not any("Attach" in label for label in flat(sarah.buttons()))


# --- captions ---


async def test_photo_captioned_log_saves_the_session_with_the_photo_attached(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_photo(caption="/log react 45m built the login page UI", photo_id="ui")
    text = sarah.last_text()
    assert "✅ Saved: React — 45 min" in text and "📎 1 screenshot attached." in text
    [session] = await _sessions(uow_factory)
    assert session.description == "built the login page UI"
    [shot] = await _evidence(uow_factory)
    assert (shot.kind, shot.practice_log_id, shot.file_unique_id) == (
        "screenshot",
        session.id,
        "uphoto-ui-s2",
    )
    assert shot.note is None  # the command is not the picture's description
    assert _prompts(api) == []
    assert await _waiting(uow_factory) == 0
    assert api.sent("getFile") == []


async def test_photo_captioned_log_with_a_gap_attaches_once_the_steps_are_done(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.send_photo(caption="/log 45m built the login page UI", photo_id="ui")
    assert "Which skill" in sarah.last_text()
    assert await _evidence(uow_factory) == []
    await sarah.tap("React")
    assert "📎 1 screenshot attached." in sarah.last_text()
    [session] = await _sessions(uow_factory)
    [shot] = await _evidence(uow_factory)
    assert shot.practice_log_id == session.id


async def test_photo_captioned_log_mid_conversation_is_a_new_log(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send("/log")
    await sarah.send_photo(caption="/log react 30m styled the login form")
    assert "✅ Saved: React — 30 min" in sarah.last_text()
    assert len(await _evidence(uow_factory)) == 1


async def test_any_other_caption_describes_the_photo_as_one_item(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_photo(caption="Login page, first version")
    assert "📎 1 screenshot — where should I attach it?" in sarah.last_text()
    await sarah.tap("📚 React (skill)")
    [shot] = await _evidence(uow_factory)
    assert (shot.kind, shot.note) == ("screenshot", "Login page, first version")
    await sarah.send("/evidence react")
    assert "Login page, first version" in sarah.last_text()


# --- albums ---


async def test_an_album_is_one_prompt_covering_all_its_photos(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    for n in range(3):
        await sarah.send_photo(photo_id=f"album-{n}", media_group_id="album-1")
    assert len(_prompts(api)) == 1
    assert "📎 3 screenshots — where should I attach them?" in sarah.last_text()
    await sarah.tap("React · today · 45 min")
    rows = await _evidence(uow_factory)
    assert [(r.kind, r.practice_log_id) for r in rows] == [("screenshot", log_id)] * 3
    # The next album, or a single photo after it, asks again in a new message.
    await sarah.send_photo(photo_id="later")
    assert len(_prompts(api)) == 2
    assert "📎 1 screenshot" in sarah.last_text()


# --- forwarded messages ---


async def test_a_forwarded_message_without_a_link_is_offered_as_a_note_keeping_its_source(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    text = "Tip: keep state as close to where it is used as you can."
    await sarah.forward(text, from_chat_title="React Weekly")
    assert "📎 1 note — where should I attach it?" in sarah.last_text()
    await sarah.tap("📚 React (skill)")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.note, row.source, row.skill_id) == ("note", text, "React Weekly", react)
    await sarah.send("/evidence react")
    assert "↪ React Weekly" in sarah.last_text()


async def test_a_message_forwarded_from_a_person_keeps_their_name(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.forward(
        "Try the F chord with a partial barre first",
        origin={
            "type": "user",
            "sender_user": {"id": 77, "is_bot": False, "first_name": "Ana", "last_name": "Ruiz"},
        },
    )
    await sarah.tap("📚 Guitar (skill)")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.source) == ("note", "Ana Ruiz")
    await sarah.forward(
        "Slow practice beats fast mistakes",
        origin={"type": "hidden_user", "sender_user_name": "Teacher\u202e Tom"},
    )
    await sarah.tap("📚 Guitar (skill)")
    assert [r.source for r in await _evidence(uow_factory)] == ["Ana Ruiz", "Teacher Tom"]


async def test_plain_text_that_is_not_forwarded_is_not_taken_as_evidence(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send("hello there")
    assert "where should I attach" not in sarah.last_text()
    assert await _waiting(uow_factory) == 0


# --- recordings and documents ---

RECORDINGS = [
    # (what the user sends, stored kind, duration, how /evidence shows it again)
    (lambda u: u.send_voice(duration=7), "voice", 7, "sendVoice"),
    (lambda u: u.send_audio(duration=95), "audio", 95, "sendAudio"),
    (lambda u: u.send_video(duration=42), "video", 42, "sendVideo"),
    (lambda u: u.send_video_note(duration=12), "video_note", 12, "sendVideoNote"),
    (
        lambda u: u.send_document("etude-op10.pdf", "application/pdf", size=900_000),
        "document",
        None,
        "sendDocument",
    ),
]


@pytest.mark.parametrize(
    ("send", "kind", "duration", "method"),
    RECORDINGS,
    ids=[kind for _, kind, _, _ in RECORDINGS],
)
async def test_a_recording_or_document_is_kept_as_metadata_and_shown_again_by_file_id(
    sarah: ChatUser,
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
    send: Callable[[ChatUser], Awaitable[object]],
    kind: str,
    duration: int | None,
    method: str,
) -> None:
    guitar = await add_skill(sarah, uow_factory, "Guitar")
    log_id = await seed_session(uow_factory, guitar, description="Chopin etude, slow")
    await send(sarah)
    assert "where should I attach it?" in sarah.last_text()
    await sarah.tap("Guitar · today · 45 min")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.practice_log_id, row.duration_seconds) == (kind, log_id, duration)
    assert row.file_id is not None and row.file_unique_id is not None
    assert row.file_name and row.file_size and row.storage == "telegram"
    assert api.sent("getFile") == [] and api.downloads == []
    await sarah.send("/evidence guitar")
    if duration is not None:
        assert f"{duration // 60}:{duration % 60:02d}" in sarah.last_text()
    [show] = [label for label in flat(sarah.buttons()) if label.endswith(" 1")][:1]
    await sarah.tap(show)
    [resent] = api.sent(method)
    field = {"sendDocument": "document"}.get(method, kind)
    assert resent.params[field] == row.file_id
    assert api.sent("getFile") == []


async def test_recordings_in_one_batch_are_counted_by_kind(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.send_voice(duration=3)
    await sarah.send_video(duration=20)
    assert "1 voice message and 1 video" in sarah.last_text()


async def test_a_captioned_voice_message_is_one_item_with_its_description(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.send_audio(caption="First clean run at 90 bpm")
    await sarah.tap("📚 Guitar (skill)")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.note, row.file_name) == (
        "audio",
        "First clean run at 90 bpm",
        "etude.mp3",
    )


async def test_the_readme_sample_an_album_and_a_voice_message_then_log(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "Guitar")
    for n in range(3):
        await sarah.send_photo(photo_id=f"etude-{n}", media_group_id="etude")
    await sarah.send_voice(duration=30)
    assert "📎 3 screenshots and 1 voice message — where should I attach them?" in (
        sarah.last_text()
    )
    await sarah.send("/log guitar 20m etude op. 10 no. 3, slow")
    assert sarah.buttons()[0] == ["📎 Attach the 3 photos and 1 voice message here"]
    await sarah.tap("📎 Attach the 3 photos and 1 voice message here")
    [session] = await _sessions(uow_factory)
    rows = await _evidence(uow_factory)
    assert sorted(r.kind for r in rows) == ["screenshot"] * 3 + ["voice"]
    assert {r.practice_log_id for r in rows} == {session.id}


async def test_a_quick_log_while_evidence_waits_offers_to_attach_it_too(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.send_voice(duration=9)
    await sarah.send("/quick")
    await sarah.tap("Guitar 15m")
    assert sarah.buttons()[0] == ["📎 Attach the 1 voice message here"]
    await sarah.tap("📎 Attach the 1 voice message here")
    [session] = await _sessions(uow_factory)
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.practice_log_id) == ("voice", session.id)


async def test_deleting_my_data_forgets_the_waiting_batch_too(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.send_voice()
    assert await _waiting(uow_factory) == 1
    await sarah.send("/deletemydata")
    await sarah.tap_containing("Delete everything")
    assert "I erased all your data" in sarah.last_text()
    assert await _waiting(uow_factory) == 0


async def test_an_album_captioned_log_attaches_all_its_photos_to_the_new_session(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    # Telegram puts an album's caption on its first photo only.
    await sarah.send_photo(
        caption="/log react 45m built the login page UI", photo_id="a0", media_group_id="g"
    )
    assert "📎 The album's files attached." in sarah.last_text()
    await sarah.send_photo(photo_id="a1", media_group_id="g")
    await sarah.send_photo(photo_id="a2", media_group_id="g")
    [session] = await _sessions(uow_factory)
    rows = await _evidence(uow_factory)
    assert [(r.kind, r.practice_log_id) for r in rows] == [("screenshot", session.id)] * 3
    assert _prompts(api) == []
    # A photo that is not part of that album asks where it goes, as always.
    await sarah.send_photo(photo_id="other")
    assert len(_prompts(api)) == 1


async def test_an_album_captioned_log_with_a_gap_carries_all_its_photos_through_the_steps(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await add_skill(sarah, uow_factory, "Guitar")
    await sarah.send_photo(caption="/log 45m built the login page UI", media_group_id="g")
    await sarah.send_photo(media_group_id="g")
    assert "Which skill" in sarah.last_text()  # the album's second photo changed nothing
    await sarah.tap("React")
    [session] = await _sessions(uow_factory)
    rows = await _evidence(uow_factory)
    assert [r.practice_log_id for r in rows] == [session.id] * 2


async def test_an_album_sent_to_add_evidence_is_saved_there_in_one_answer(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.tap_data(f"ev:add:{log_id}")
    for n in range(3):
        await sarah.send_photo(photo_id=f"s{n}", media_group_id="shots")
    assert "Saved the album to React · today · 45 min" in sarah.last_text()
    assert sum("Saved" in text for text in sarah.texts()) == 1
    rows = await _evidence(uow_factory)
    assert [r.practice_log_id for r in rows] == [log_id] * 3
    assert _prompts(api) == []


async def test_more_of_an_album_after_its_batch_was_placed_follows_it(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_photo(photo_id="b0", media_group_id="late")
    await sarah.tap("📚 React (skill)")
    await sarah.send_photo(photo_id="b1", media_group_id="late")  # a slow upload
    assert len(_prompts(api)) == 1
    assert len(await _evidence(uow_factory)) == 2


async def test_an_album_whose_prompt_was_deleted_meanwhile_asks_again_with_working_buttons(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_photo(photo_id="d0", media_group_id="gone")
    api.fail_next(
        "editMessageText", status=400, description="Bad Request: message to edit not found"
    )
    await sarah.send_photo(photo_id="d1", media_group_id="gone")
    assert len(_prompts(api)) == 2
    assert "📎 2 screenshots" in sarah.last_text()
    await sarah.tap("📚 React (skill)")
    assert len(await _evidence(uow_factory)) == 2
