"""Evidence: links, notes and screenshots; attached, listed, re-sent and deleted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from storage.models import Evidence, PracticeLog
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi, parse_html
from tests.seed import add_skill, seed_evidence, seed_react_evidence, seed_session
from tests.support import START, UnitOfWorkFactory

SARAH = 1001
MALLORY = 2002
TODAY = START.date()  # the test clock's date; users default to UTC


async def _evidence(uow_factory: UnitOfWorkFactory, user_id: int | None = None) -> list[Evidence]:
    async with uow_factory() as uow:
        query = select(Evidence).order_by(Evidence.id)
        if user_id is not None:
            query = query.where(Evidence.user_id == user_id)
        rows = list((await uow.session.scalars(query)).all())
        uow.session.expunge_all()  # keep the loaded values readable after the unit of work ends
        return rows


async def _conversation_open(uow_factory: UnitOfWorkFactory, user_id: int = SARAH) -> bool:
    async with uow_factory() as uow:
        return await uow.conversations.get(user_id) is not None


# --- links ---


async def test_plain_link_asks_where_most_recent_session_first(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    guitar = await add_skill(sarah, uow_factory, "Guitar")
    older = await seed_session(uow_factory, react, day=date(2026, 11, 23), minutes=30)
    newest = await seed_session(uow_factory, react)
    await seed_session(uow_factory, guitar, day=date(2026, 11, 24), minutes=60)

    await sarah.send("This helped a lot: https://react.dev/learn/hooks")
    assert "1 link" in sarah.last_text()
    assert "where should I attach it?" in sarah.last_text()
    assert sarah.buttons() == [
        ["React · today · 45 min"],
        ["Guitar · yesterday · 1 h"],
        ["React · Mon 23 Nov · 30 min"],
        ["📚 React (skill)", "📚 Guitar (skill)"],
        ["✖ Cancel"],
    ]
    assert await _evidence(uow_factory) == []  # nothing is saved before the choice

    await sarah.tap("React · today · 45 min")
    assert "Saved 1 link to React · today · 45 min" in sarah.last_text()
    await sarah.tap("📂 See evidence")
    assert "1. 🔗 react.dev/learn/hooks" in sarah.last_text()
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.url) == ("link", "https://react.dev/learn/hooks")
    assert (row.practice_log_id, row.skill_id, row.user_id) == (newest, react, SARAH)
    assert row.practice_log_id != older
    assert not await _conversation_open(uow_factory)


async def test_message_with_three_links_saves_one_evidence_per_url(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.send(
        "Today's reading: https://react.dev/learn, github.com/sarah/todo and "
        "https://overreacted.io/a-complete-guide-to-useeffect/ (and https://react.dev/learn again)"
    )
    assert "3 links" in sarah.last_text()
    await sarah.tap("React · today · 45 min")
    assert "Saved 3 links" in sarah.last_text()
    rows = await _evidence(uow_factory)
    assert [r.url for r in rows] == [
        "https://react.dev/learn",
        "http://github.com/sarah/todo",  # Telegram opens bare domains over http
        "https://overreacted.io/a-complete-guide-to-useeffect/",
    ]
    assert {r.practice_log_id for r in rows} == {log_id}


async def test_forwarded_post_with_a_text_link(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    text = "New post: Thinking in React — read it"
    await sarah.forward(
        text,
        entities=[
            {
                "type": "text_link",
                "offset": text.index("Thinking"),
                "length": len("Thinking in React"),
                "url": "https://react.dev/learn/thinking-in-react",
            }
        ],
    )
    assert "1 link" in sarah.last_text()
    await sarah.tap("📚 React (skill)")
    assert "Saved 1 link to React (skill)" in sarah.last_text()
    [row] = await _evidence(uow_factory)
    assert row.url == "https://react.dev/learn/thinking-in-react"
    assert (row.practice_log_id, row.skill_id) == (None, react)
    # The post's text and where it was forwarded from stay with the link.
    assert (row.note, row.source) == (text, "Practice Channel")


async def test_same_link_twice_on_one_session_is_kept_once(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    await seed_session(uow_factory, react)
    for _ in range(2):
        await sarah.send("https://react.dev/learn")
        await sarah.tap("React · today · 45 min")
    assert "1 link was already attached to React · today · 45 min" in sarah.last_text()
    assert len(await _evidence(uow_factory)) == 1


async def test_more_evidence_joins_the_batch_until_a_target_is_picked(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.send("https://react.dev/learn")
    first_prompt = sarah.last_message()
    await sarah.send_photo()
    assert "1 link and 1 screenshot" in sarah.last_text()
    assert sarah.buttons(first_prompt) == []  # the old step's keyboard is gone
    await sarah.send("React")  # typed text is not a target and not added
    assert await _evidence(uow_factory) == []
    await sarah.tap("React · today · 45 min")
    assert "Saved 1 link and 1 screenshot" in sarah.last_text()
    rows = await _evidence(uow_factory)
    assert sorted(r.kind for r in rows) == ["link", "screenshot"]
    assert {r.practice_log_id for r in rows} == {log_id}


async def test_cancel_at_the_choice_saves_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send("https://react.dev/learn")
    await sarah.tap("✖ Cancel")
    assert "Cancelled adding evidence. Nothing was saved." in sarah.last_text()
    assert await _evidence(uow_factory) == []


async def test_link_without_any_skill_explains_and_saves_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("https://react.dev/learn")
    assert "you have no active skills yet" in sarah.last_text()
    assert await _evidence(uow_factory) == []
    assert not await _conversation_open(uow_factory)


# --- notes ---


async def test_note_command_keeps_line_breaks(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.send("/note useEffect runs after paint\n<b>not</b> before & that's fine")
    assert "1 note" in sarah.last_text()
    await sarah.tap("React · today · 45 min")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.practice_log_id) == ("note", log_id)
    assert row.note == "useEffect runs after paint\n<b>not</b> before & that's fine"


async def test_note_command_without_text_asks_for_it(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    await sarah.send("/note")
    assert "Type the note" in sarah.last_text()
    await sarah.send("   ")
    assert "The note is empty" in sarah.last_text()
    await sarah.send("Keys must be stable: https://react.dev/learn/rendering-lists")
    assert "1 note" in sarah.last_text()  # in a note, a link stays part of the text
    await sarah.tap("📚 React (skill)")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.skill_id, row.url) == ("note", react, None)
    assert row.note == "Keys must be stable: https://react.dev/learn/rendering-lists"


async def test_add_evidence_on_a_session_then_note(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    # The saved-entry card of /log carries this button.
    await sarah.tap_data(f"ev:add:{log_id}")
    assert "Add evidence to React · today · 45 min" in sarah.last_text()
    assert sarah.buttons() == [["🔗 Link", "📝 Note", "🖼 Screenshot"], ["✖ Cancel"]]
    await sarah.tap("📝 Note")
    assert "Type the note" in sarah.last_text()
    await sarah.send("Read https://react.dev/reference/react/useMemo — memo is not free")
    assert "Saved 1 note to React · today · 45 min" in sarah.last_text()
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.practice_log_id, row.skill_id) == ("note", log_id, react)
    assert row.note is not None and row.note.startswith("Read https://react.dev")


async def test_add_evidence_on_a_session_attaches_a_link_directly(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.tap_data(f"ev:add:{log_id}")
    await sarah.send("https://github.com/sarah/todo")
    assert "Saved 1 link to React · today · 45 min" in sarah.last_text()
    [row] = await _evidence(uow_factory)
    assert (row.url, row.practice_log_id) == ("https://github.com/sarah/todo", log_id)
    await sarah.tap("➕ Add more")
    await sarah.send("Hooks are just functions")  # plain text is a note here
    rows = await _evidence(uow_factory)
    assert [(r.kind, r.note) for r in rows][1] == ("note", "Hooks are just functions")


async def test_note_command_joins_an_open_evidence_step(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.send("https://react.dev/learn")
    await sarah.send("/note")
    assert "Send the note with the command" in sarah.last_text()
    await sarah.send("/note Start here next time")
    assert "1 link and 1 note" in sarah.last_text()
    await sarah.tap("React · today · 45 min")
    assert [(r.kind, r.practice_log_id) for r in await _evidence(uow_factory)] == [
        ("link", log_id),
        ("note", log_id),
    ]
    # With a session already chosen ("Add evidence"), /note saves there at once.
    await sarah.tap_data(f"ev:add:{log_id}")
    await sarah.send("/note Second thought")
    assert "Saved 1 note to React · today · 45 min" in sarah.last_text()
    assert len(await _evidence(uow_factory)) == 3


async def test_add_evidence_kind_buttons_say_what_is_missing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.tap_data(f"ev:add:{log_id}")
    await sarah.tap("🔗 Link")
    assert "Send the link" in sarah.last_text()
    await sarah.send("no link in here")
    assert "I couldn't find a link in that" in sarah.last_text()
    await sarah.tap("🖼 Screenshot")
    await sarah.send("just words")
    assert "I'm waiting for a screenshot" in sarah.last_text()
    await sarah.send_sticker()
    assert "I can't use that here" in sarah.last_text()
    assert await _evidence(uow_factory) == []
    await sarah.send_photo(sizes=2, photo_id="album")
    assert "Saved 1 screenshot to React · today · 45 min" in sarah.last_text()
    [row] = await _evidence(uow_factory)
    assert (row.width, row.height) == (320, 240)


async def test_pictures_of_an_album_collect_into_one_choice(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_photo(photo_id="one")
    await sarah.send_photo(photo_id="two")
    await sarah.send_photo(photo_id="one")  # the same picture again is not a second piece
    assert "2 screenshots" in sarah.last_text()
    await sarah.tap("📚 React (skill)")
    rows = await _evidence(uow_factory)
    assert [r.file_unique_id for r in rows] == ["uphoto-one-s2", "uphoto-two-s2"]


# --- screenshots ---


async def test_photo_keeps_metadata_of_the_largest_size_and_never_downloads(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    log_id = await seed_session(uow_factory, react)
    await sarah.send_photo(caption="The todo app running", sizes=3, photo_id="todo")
    assert "1 screenshot —" in sarah.last_text()
    await sarah.tap("React · today · 45 min")
    # The caption describes the picture: one piece of evidence, not a picture and a note.
    [shot] = await _evidence(uow_factory)
    assert shot.file_name == "photo_uphoto-todo-s2.jpg"
    assert (shot.file_id, shot.file_unique_id) == ("photo-todo-s2", "uphoto-todo-s2")
    assert (shot.width, shot.height, shot.file_size) == (800, 600, 800 * 600 // 8)
    assert (shot.mime_type, shot.storage) == ("image/jpeg", "telegram")
    assert shot.uploaded_at == START
    assert shot.note == "The todo app running"
    assert shot.practice_log_id == log_id
    assert api.sent("getFile") == []
    assert api.downloads == []


async def test_image_document_keeps_its_own_name_and_type(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    await sarah.send_document("component-tree.png", "image/png", size=48_213)
    assert "1 screenshot" in sarah.last_text()
    await sarah.tap("📚 React (skill)")
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.file_name, row.mime_type) == (
        "screenshot",
        "component-tree.png",
        "image/png",
    )
    assert (row.file_size, row.width, row.height, row.skill_id) == (48_213, None, None, react)
    assert row.file_id is not None and row.file_id.startswith("doc-")
    assert api.sent("getFile") == []


async def test_a_spreadsheet_is_left_to_import_and_a_pdf_is_a_document(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    await sarah.send_document("sessions.csv", "text/csv")
    # Answered by the import feature's document handler, not taken as evidence.
    assert "sessions.csv" in sarah.last_text()
    assert "where should I attach" not in sarah.last_text()
    await sarah.send_document("slides.pdf", "application/pdf", caption="/import")
    assert "where should I attach" not in sarah.last_text()
    # Inside "Add evidence" a PDF is saved there as a document (metadata only).
    log_id = await seed_session(uow_factory, react)
    await sarah.tap_data(f"ev:add:{log_id}")
    calls = await sarah.send_document("slides.pdf", "application/pdf", size=2_400_000)
    assert "Saved 1 document to React · today · 45 min" in sarah.last_text()
    assert [call.method for call in calls if call.method == "getFile"] == []
    [row] = await _evidence(uow_factory)
    assert (row.kind, row.file_name, row.mime_type, row.file_size) == (
        "document",
        "slides.pdf",
        "application/pdf",
        2_400_000,
    )


# --- refused input ---


@pytest.mark.parametrize(
    ("send", "message"),
    [
        (
            lambda u: u.send_text_link("click me", {"me": "javascript:alert(1)"}),
            "Only http and https links can be saved as evidence.",
        ),
        (
            lambda u: u.send("https://example.com/" + "a" * 2100),
            "the limit is 2,048",
        ),
        (lambda u: u.send("/note " + "x" * 2001), "Notes can be up to 2,000 characters"),
        (lambda u: u.send("/note " + "y" * 2001), "yours has 2,001"),
    ],
    ids=["javascript-text-link", "too-long-link", "long-note", "long-note-count"],
)
async def test_invalid_evidence_gets_a_specific_message_and_saves_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, send: Any, message: str
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await send(sarah)
    assert message in sarah.last_text()
    assert await _evidence(uow_factory) == []
    assert not await _conversation_open(uow_factory)


async def test_note_of_exactly_2000_characters_is_fine(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send("/note " + "z" * 2000)
    await sarah.tap("📚 React (skill)")
    [row] = await _evidence(uow_factory)
    assert row.note == "z" * 2000


async def test_one_bad_link_among_good_ones_is_reported_and_skipped(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_text_link(
        "docs and trap", {"docs": "https://react.dev/", "trap": "data:text/html,hi"}
    )
    text = sarah.last_text()
    assert "1 link" in text
    assert "Skipped data:text/html,hi: Only http and https links" in text
    await sarah.tap("📚 React (skill)")
    assert [r.url for r in await _evidence(uow_factory)] == ["https://react.dev/"]


async def test_image_file_without_a_name_is_refused(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await add_skill(sarah, uow_factory, "React")
    await sarah.send_update(
        {
            "message": {
                "message_id": api.next_message_id(SARAH),
                "from": sarah.user,
                "chat": sarah.chat,
                "date": api.now(),
                "document": {
                    "file_id": "doc-noname",
                    "file_unique_id": "udoc-noname",
                    "mime_type": "image/png",
                    "file_size": 100,
                },
            }
        }
    )
    assert "A screenshot needs a file name" in sarah.last_text()
    assert "Nothing was saved" in sarah.last_text()
    assert await _evidence(uow_factory) == []


# --- viewing ---


async def test_evidence_lists_by_session_chronologically_with_skill_group(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_react_evidence(sarah, uow_factory)
    await sarah.send("/evidence react")
    call = api.last("sendMessage", SARAH)
    assert call.params["link_preview_options"] == {"is_disabled": True}
    html = call.params["text"]
    assert '<a href="https://react.dev/?a=1&amp;b=2">react.dev/?a=1&amp;b=2</a>' in html
    assert "Docs &lt;first&gt; &amp; foremost" in html
    assert "Set up Vite &amp; &lt;App&gt;" in html
    lines = sarah.last_text().splitlines()
    assert lines[0] == "Evidence for React — 4 items"
    assert [line for line in lines[1:] if line] == [
        "📚 For the skill as a whole",
        "1. 📝 Docs <first> & foremost",
        "📅 Fri 20 Nov · 30 min — Set up Vite & <App>",
        "2. 🖼 photo_uq1.jpg · 1280×960 · 146 KB",
        "📅 Mon 23 Nov · 45 min — Memo and hooks",
        "3. 🔗 react.dev/?a=1&b=2",
        "4. 🖼 tree.png · 1.9 MB",
    ]
    assert "Guitar only" not in sarah.last_text()
    assert sarah.buttons() == [
        ["🗑 1", "🖼 2", "🗑 2", "🗑 3"],
        ["🖼 4", "🗑 4"],
        ["➕ Add", "« Skills", "✖ Close"],
    ]


async def test_evidence_without_a_skill_shows_a_picker(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_react_evidence(sarah, uow_factory)
    await sarah.send("/evidence")
    assert "which skill?" in sarah.last_text()
    assert sarah.buttons() == [["Guitar · 1"], ["React · 4"], ["✖ Close"]]
    await sarah.tap("React · 4")
    assert "Evidence for React — 4 items" in sarah.last_text()
    await sarah.tap("« Skills")
    assert "which skill?" in sarah.last_text()
    await sarah.send("/evidence Piano")
    assert "You have no skill called “Piano”" in sarah.last_text()
    await sarah.tap("✖ Close")
    assert "Closed" in sarah.last_text()


async def test_evidence_for_a_new_user_explains_how_to_add(sarah: ChatUser) -> None:
    await sarah.send("/evidence")
    assert "You have no evidence yet" in sarah.last_text()


async def test_long_lists_are_paged_under_the_message_limit(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    logs = [
        await seed_session(uow_factory, react, day=TODAY - timedelta(days=n), description="d" * 500)
        for n in range(10)
    ]
    for n in range(20):
        await seed_evidence(
            uow_factory, react, logs[n % 10], "note", minute=n, note=f"{n:02d}" + "&" * 1998
        )
    await sarah.send("/evidence React")
    assert "20 items · page 1/3" in sarah.last_text()
    seen = 0
    for page in range(3):
        text, _ = parse_html(api.last(chat_id=SARAH).params["text"])
        assert len(text) <= 4096
        seen += sarah.last_text().count("📝 ")
        if page < 2:
            await sarah.tap("Later ▶")
    assert seen == 20
    assert "page 3/3" in sarah.last_text()
    await sarah.tap("◀ Earlier")
    assert "page 2/3" in sarah.last_text()
    # A cut note can be read whole.
    await sarah.tap("📖 9")
    assert sarah.last_text().endswith("&" * 1998)


async def test_session_evidence_view(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    ids = await seed_react_evidence(sarah, uow_factory)
    await sarah.tap_data(f"ev:s:{ids['later']}")
    text = sarah.last_text()
    assert text.startswith("Evidence for React · Mon 23 Nov · 45 min")
    assert "1. 🔗 react.dev/?a=1&b=2\n2. 🖼 tree.png · 1.9 MB" in text
    assert "Docs" not in text
    await sarah.tap("📂 All React")
    assert "Evidence for React — 4 items" in sarah.last_text()


async def test_screenshot_is_resent_by_file_id(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_react_evidence(sarah, uow_factory)
    await sarah.send("/evidence React")
    await sarah.tap("🖼 2")
    photo = api.last("sendPhoto", SARAH)
    assert photo.params["photo"] == "photo-file-1"
    assert "photo_uq1.jpg" in str(photo.params["caption"])
    await sarah.tap("🖼 4")
    document = api.last("sendDocument", SARAH)
    assert document.params["document"] == "doc-file-2"
    assert api.sent("getFile") == []
    # A file Telegram no longer serves gets a polite answer, not an error.
    api.fail_next("sendPhoto", status=400, description="Bad Request: wrong file identifier")
    await sarah.tap("🖼 2")
    assert "Telegram no longer has that file" in sarah.answers()[-1]


async def test_delete_asks_first_and_keep_changes_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_react_evidence(sarah, uow_factory)
    await sarah.send("/evidence React")
    await sarah.tap("🗑 3")
    assert "Delete this link from React · Mon 23 Nov · 45 min?" in sarah.last_text()
    await sarah.tap("Keep")
    assert "4 items" in sarah.last_text()
    assert ids["later_link"] in {r.id for r in await _evidence(uow_factory)}
    await sarah.tap("🗑 3")
    await sarah.tap("🗑 Delete")
    assert "Deleted the link from React · Mon 23 Nov · 45 min" in sarah.last_text()
    assert "3 items" in sarah.last_text()
    assert ids["later_link"] not in {r.id for r in await _evidence(uow_factory)}
    assert len(await _evidence(uow_factory)) == 4  # the other React items and Guitar's note


async def test_deleting_from_the_session_view_returns_there(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_react_evidence(sarah, uow_factory)
    await sarah.tap_data(f"ev:s:{ids['later']}")
    await sarah.tap("🗑 2")
    await sarah.tap("🗑 Delete")
    assert "Deleted the screenshot" in sarah.last_text()
    assert "Evidence for React · Mon 23 Nov · 45 min" in sarah.last_text()
    assert ids["later_doc"] not in {r.id for r in await _evidence(uow_factory)}


async def test_deleting_a_session_or_skill_deletes_its_evidence(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_react_evidence(sarah, uow_factory)
    async with uow_factory() as uow:
        await uow.session.execute(delete(PracticeLog).where(PracticeLog.id == ids["later"]))
        await uow.commit()
    left = {r.id for r in await _evidence(uow_factory)}
    assert ids["later_link"] not in left and ids["later_doc"] not in left
    assert {ids["skill_note"], ids["earlier_shot"]} <= left

    await sarah.send("/skills")
    await sarah.tap("React")
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    assert [r.note for r in await _evidence(uow_factory)] == ["Guitar only"]


# --- other users' data ---


async def test_forged_attach_to_another_users_session_is_refused(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = await add_skill(sarah, uow_factory, "React")
    sarah_log = await seed_session(uow_factory, react)
    await add_skill(mallory, uow_factory, "Lockpicking")
    await mallory.send("https://evil.example/x")
    await mallory.tap_data(f"ev:t:s:{sarah_log}")
    assert "no longer exists" in mallory.answers()[-1]
    await mallory.tap_data(f"ev:t:k:{react}")
    assert "no longer exists" in mallory.answers()[-1]
    assert "React" not in str(mallory.buttons())
    assert await _evidence(uow_factory) == []

    await mallory.tap_data(f"ev:add:{sarah_log}")
    assert "no longer exists" in mallory.answers()[-1]
    await mallory.send("https://evil.example/y")  # still Mallory's own batch, not Sarah's session
    assert await _evidence(uow_factory) == []


async def test_forged_buttons_on_another_users_evidence_change_nothing(
    sarah: ChatUser, mallory: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_react_evidence(sarah, uow_factory)
    await mallory.send("/evidence")
    for data in (
        f"ev:l:{ids['react']}:0",
        f"ev:s:{ids['later']}",
        f"ev:addk:{ids['react']}",
        f"ev:ss:{ids['earlier_shot']}",
        f"ev:n:{ids['skill_note']}",
        f"ev:d:{ids['later_link']}:l:0",
        f"ev:dy:{ids['later_link']}:l:0",
    ):
        await mallory.tap_data(data)
        assert "no longer exists" in mallory.answers()[-1], data
    assert "react.dev" not in " ".join(mallory.texts())
    assert api.sent("sendPhoto") == []
    assert len(await _evidence(uow_factory, SARAH)) == 5
    assert await _evidence(uow_factory, MALLORY) == []


async def test_malformed_evidence_buttons_are_stale(sarah: ChatUser) -> None:
    await sarah.send("/evidence")
    for data in ("ev:l:abc:0", "ev:ss", "ev:bogus", "ev:t:s:1", "ev:m:note"):
        await sarah.tap_data(data)
        assert "expired" in sarah.answers()[-1], data
