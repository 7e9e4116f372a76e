"""Tests of the test harness: the fake Bot API (in-process and HTTP) and the chat helpers."""

from __future__ import annotations

import asyncio
import copy
import html
import struct
import zlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.chat import ChatUser, run_job
from tests.fakebot import (
    BOT_ID,
    BOT_USERNAME,
    FakeBotApi,
    FakeBotApiServer,
    FakeRequest,
    UploadedFile,
)

TOKEN = "123456:" + "A" * 35
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def _png(width: int, height: int) -> bytes:
    """A minimal valid PNG header with the given size (enough for the fake to read IHDR)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Again", callback_data="again"),
                InlineKeyboardButton("Done", callback_data="done"),
            ],
            [InlineKeyboardButton("Same", callback_data="same")],
            [InlineKeyboardButton("Docs", url="https://example.com/docs")],
        ]
    )


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user in HTML and show the menu."""
    assert update.effective_message
    assert update.effective_user
    name = html.escape(update.effective_user.first_name)
    await update.effective_message.reply_text(
        f"Hello <b>{name}</b>!", parse_mode=ParseMode.HTML, reply_markup=_menu()
    )


async def _bad_html(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send HTML with an unclosed tag (a bug the fake must catch)."""
    assert update.effective_message
    await update.effective_message.reply_text("<b>unclosed", parse_mode=ParseMode.HTML)


async def _chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Upload a PNG and a CSV."""
    assert update.effective_message
    await update.effective_message.reply_photo(_png(640, 480), caption="Your week")
    await update.effective_message.reply_document(
        b"date,minutes\n2024-01-01,30\n", filename="export.csv"
    )


async def _remember_url(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the detected URLs and keep a reply keyboard visible."""
    assert update.effective_message
    urls = list(update.effective_message.parse_entities([MessageEntity.URL]).values())
    links = list(update.effective_message.parse_entities([MessageEntity.TEXT_LINK]).keys())
    found = urls + [link.url for link in links if link.url]
    await update.effective_message.reply_text(
        "urls: " + " ".join(found), reply_markup=ReplyKeyboardMarkup([["Log", "Stats"]])
    )


async def _document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download a document and report its size."""
    assert update.effective_message
    assert update.effective_message.document
    file = await update.effective_message.document.get_file()
    data = await file.download_as_bytearray()
    await update.effective_message.reply_text(f"got {len(data)} bytes: {data.decode()}")


async def _photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remember a photo by its largest size, without downloading it."""
    assert update.effective_message
    largest = update.effective_message.photo[-1]
    await update.effective_message.reply_text(f"photo {largest.width}x{largest.height}")


async def _other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Name the kind of message received."""
    assert update.effective_message
    message = update.effective_message
    kind = next(
        name
        for name in ("forward_origin", "sticker", "voice", "location", "text")
        if getattr(message, name)
    )
    await message.reply_text(f"kind: {kind}")


async def _on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Edit the menu message according to the pressed button."""
    query = update.callback_query
    assert query is not None
    if query.data == "again":
        await query.answer("Once more")
        await query.edit_message_text("Again!", reply_markup=_menu())
    elif query.data == "done":
        await query.answer()
        await query.edit_message_text("Finished")
    elif query.data == "same":
        await query.answer()
        assert isinstance(query.message, Message)
        await query.edit_message_text(
            query.message.text_html, parse_mode=ParseMode.HTML, reply_markup=_menu()
        )
    else:
        await query.answer("Unknown button", show_alert=True)


def _register(application: AnyApplication) -> None:
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CommandHandler("bad", _bad_html))
    application.add_handler(CommandHandler("chart", _chart))
    application.add_handler(CallbackQueryHandler(_on_press))
    application.add_handler(MessageHandler(filters.Document.ALL, _document))
    application.add_handler(MessageHandler(filters.PHOTO, _photo))
    application.add_handler(
        MessageHandler(
            (filters.Entity(MessageEntity.URL) | filters.Entity(MessageEntity.TEXT_LINK))
            & ~filters.FORWARDED,
            _remember_url,
        )
    )
    application.add_handler(MessageHandler(filters.ALL, _other))


def _build(api: FakeBotApi) -> AnyApplication:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .updater(None)
        .build()
    )
    _register(application)
    return application


@pytest.fixture
def api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
async def app(api: FakeBotApi) -> AsyncIterator[AnyApplication]:
    application = _build(api)
    async with application:
        yield application


@pytest.fixture
def sarah(app: AnyApplication, api: FakeBotApi) -> ChatUser:
    return ChatUser(app, api, user_id=1001)


async def test_initialize_asks_get_me_and_bot_has_the_fake_identity(
    app: AnyApplication, api: FakeBotApi
) -> None:
    assert [call.method for call in api.sent()] == ["getMe"]
    assert app.bot.id == BOT_ID
    assert app.bot.username == BOT_USERNAME


async def test_command_with_bot_name_gets_html_reply_with_keyboard(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    calls = await sarah.send(f"/start@{BOT_USERNAME}")

    assert [call.method for call in calls] == ["sendMessage"]
    assert calls[0].params["parse_mode"] == "HTML"
    assert calls[0].text == "Hello <b>Sarah</b>!"
    assert sarah.last_text() == "Hello Sarah!"
    assert sarah.last_message()["entities"] == [{"type": "bold", "offset": 6, "length": 5}]
    assert sarah.buttons() == [["Again", "Done"], ["Same"], ["Docs"]]
    assert api.texts(1001) == ["Hello Sarah!"]


async def test_tap_edits_the_message_and_answers_the_query(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    await sarah.send("/start")

    calls = await sarah.tap("Again")
    assert [call.method for call in calls] == ["answerCallbackQuery", "editMessageText"]
    assert sarah.answers() == ["Once more"]
    assert sarah.last_text() == "Again!"
    assert sarah.buttons() == [["Again", "Done"], ["Same"], ["Docs"]]

    await sarah.tap("Done")
    assert sarah.last_text() == "Finished"
    assert sarah.buttons() == []  # an edit without reply_markup removes the keyboard
    assert sarah.answers() == ["Once more", ""]
    assert sarah.unanswered() == []
    assert api.last("editMessageText").result["edit_date"] > 0


async def test_tap_without_matching_button_lists_what_is_on_screen(sarah: ChatUser) -> None:
    await sarah.send("/start")

    with pytest.raises(AssertionError, match=r"no inline button 'Nope'.*Again.*Done"):
        await sarah.tap("Nope")
    await sarah.tap_containing("gai")
    assert sarah.last_text() == "Again!"


async def test_stale_or_forged_callback_data_reaches_the_handler(sarah: ChatUser) -> None:
    await sarah.send("/start")
    first = sarah.last_message()["message_id"]

    await sarah.tap_data("forged:999", message_id=first)

    assert sarah.answers() == ["Unknown button"]


async def test_identical_edit_fails_with_message_not_modified(sarah: ChatUser) -> None:
    await sarah.send("/start")

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await sarah.tap("Same")


async def test_handler_errors_are_raised_unless_disabled(
    app: AnyApplication, api: FakeBotApi
) -> None:
    strict = ChatUser(app, api, user_id=1002)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: can't find end tag"):
        await strict.send("/bad")

    lenient = ChatUser(app, api, user_id=1003, raise_errors=False)
    await lenient.send("/bad")
    assert isinstance(lenient.errors[0], BadRequest)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Tom & Jerry", 'Unescaped "&"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_malformed_html_is_rejected(app: AnyApplication, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as caught:
        await app.bot.send_message(1, text, parse_mode=ParseMode.HTML)
    assert error.lower() in caught.value.message.lower()


async def test_html_becomes_plain_text_with_utf16_entities(
    app: AnyApplication, api: FakeBotApi
) -> None:
    source = '🎸 <i>scales</i> &amp; <a href="https://x.example/?a=1&amp;b=2">notes</a>'
    message = await app.bot.send_message(5, source, parse_mode=ParseMode.HTML)

    assert message.text == "🎸 scales & notes"
    assert message.text_html == source.replace("&amp;b", "&b")
    assert [e.type for e in message.entities] == ["italic", "text_link"]
    assert message.entities[0].offset == 3  # the guitar is two UTF-16 code units


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"text": "   "}, "Message text is empty"),
        ({"text": "x" * 4097}, "Message is too long"),
        (
            {
                "text": "ok",
                "reply_markup": InlineKeyboardMarkup(
                    [[InlineKeyboardButton("Гитара", callback_data="skill:" + "гитара" * 10)]]
                ),
            },
            "Button_data_invalid",
        ),
        (
            {"text": "ok", "reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("x")]])},
            "Text buttons are unallowed in the inline keyboard",
        ),
    ],
)
async def test_send_message_limits(app: AnyApplication, kwargs: dict[str, Any], error: str) -> None:
    # PTB drops "Bad Request: " and str.capitalize()s the rest, lowercasing it.
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await app.bot.send_message(1, **kwargs)


async def test_exactly_4096_characters_and_64_byte_callback_data_are_accepted(
    app: AnyApplication,
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="я" * 32)]])
    message = await app.bot.send_message(1, "🎸" * 4096, reply_markup=markup)
    assert message.text is not None
    assert len(message.text) == 4096


async def test_caption_limit(app: AnyApplication) -> None:
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await app.bot.send_photo(1, "photo-known", caption="x" * 1025)


async def test_fail_next_429_surfaces_as_retry_after_then_recovers(
    app: AnyApplication, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opt in to PTB 23's timedelta retry_after; int values warn PTBDeprecationWarning.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    api.fail_next("sendMessage", status=429, retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(1, "hi")
    assert caught.value.retry_after == timedelta(seconds=7)
    await app.bot.send_message(1, "hi")

    assert [call.status for call in api.sent("sendMessage")] == [429, 200]
    assert api.sent("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }


async def test_fail_next_502_and_blocked_chat(app: AnyApplication, api: FakeBotApi) -> None:
    api.fail_next("sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await app.bot.send_message(1, "hi")

    api.fail_for_chat(42)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(42, "hi")
    await app.bot.send_message(1, "still fine")


async def test_blocked_user_error_reaches_the_chat(app: AnyApplication, api: FakeBotApi) -> None:
    blocked = ChatUser(app, api, user_id=77)
    api.fail_for_chat(77)

    with pytest.raises(Forbidden):
        await blocked.send("/start")


async def test_answering_a_query_twice_is_rejected(app: AnyApplication, api: FakeBotApi) -> None:
    user = ChatUser(app, api, user_id=1004)
    await user.send("/start")
    await user.tap("Done")
    query_id = api.last("answerCallbackQuery").params["callback_query_id"]

    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await app.bot.answer_callback_query(query_id)


async def test_url_text_link_forward_and_other_message_kinds(sarah: ChatUser) -> None:
    await sarah.send("🎸 practice log https://example.com/log?id=1, and www.youtube.com/x.")
    assert sarah.last_text() == "urls: https://example.com/log?id=1 www.youtube.com/x"
    assert sarah.keyboard() == [["Log", "Stats"]]

    await sarah.send_text_link("see my recording", {"recording": "https://rec.example/1"})
    assert sarah.last_text() == "urls: https://rec.example/1"

    await sarah.forward("News: https://example.com", from_chat_title="Guitar Daily")
    assert sarah.last_text() == "kind: forward_origin"
    await sarah.send_sticker()
    assert sarah.last_text() == "kind: sticker"
    await sarah.send_voice()
    assert sarah.last_text() == "kind: voice"
    await sarah.send_location()
    assert sarah.last_text() == "kind: location"


async def test_user_document_is_downloaded_through_get_file(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    calls = await sarah.send_document("notes.txt", "text/plain", data=b"scales")

    assert [call.method for call in calls] == ["getFile", "sendMessage"]
    assert sarah.last_text() == "got 6 bytes: scales"
    assert len(api.downloads) == 1


async def test_user_photo_arrives_as_sizes_and_is_not_downloaded(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    await sarah.send_photo(caption="my setup", sizes=4)

    assert sarah.last_text() == "photo 1280x960"
    assert api.sent("getFile") == []


async def test_too_big_document_cannot_be_fetched(sarah: ChatUser) -> None:
    with pytest.raises(BadRequest, match="File is too big"):
        await sarah.send_document("video.mp4", "video/mp4", size=25 * 1024 * 1024)


async def test_bot_uploads_are_recorded_by_name_and_kept_by_file_id(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    await sarah.send("/chart")

    photo_call, document_call = api.sent("sendPhoto"), api.sent("sendDocument")
    upload = photo_call[0].params["photo"]
    assert isinstance(upload, UploadedFile)
    # PTB names nameless bytes after their guessed mime type.
    assert (upload.filename, upload.size) == ("application.octet-stream", len(_png(640, 480)))
    assert api.file_bytes(upload.file_id) == _png(640, 480)
    sizes = photo_call[0].result["photo"]
    assert (sizes[-1]["width"], sizes[-1]["height"]) == (640, 480)
    assert [size["width"] for size in sizes] == [90, 320, 640]
    document = document_call[0].result["document"]
    assert document["file_name"] == "export.csv"
    assert document["mime_type"] == "text/csv"
    assert api.file_bytes(document["file_id"]).startswith(b"date,minutes")
    assert api.texts(1001)[-2:] == ["Your week", ""]


async def test_photo_sent_by_file_id_echoes_the_known_sizes(
    app: AnyApplication, sarah: ChatUser, api: FakeBotApi
) -> None:
    await sarah.send_photo(photo_id="evidence")
    message = await app.bot.send_photo(1001, "photo-evidence-s2", caption="Saved")

    assert [size.file_id for size in message.photo] == [
        "photo-evidence-s0",
        "photo-evidence-s1",
        "photo-evidence-s2",
    ]


async def test_copy_delete_and_edit_missing_message(
    app: AnyApplication, sarah: ChatUser, api: FakeBotApi
) -> None:
    await sarah.send("/start")
    user_message_id = 1  # sarah's /start
    copied = await app.bot.copy_message(1001, from_chat_id=1001, message_id=user_message_id)
    assert api.find_message(1001, copied.message_id) is not None

    assert await app.bot.delete_message(1001, copied.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await app.bot.delete_message(1001, copied.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=1001, message_id=999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await app.bot.edit_message_text("x", chat_id=1001, message_id=user_message_id)


async def test_commands_round_trip(app: AnyApplication, api: FakeBotApi) -> None:
    await app.bot.set_my_commands([BotCommand("log", "Log practice"), ("stats", "Your stats")])

    assert [c.command for c in await app.bot.get_my_commands()] == ["log", "stats"]
    assert api.last("setMyCommands").params["commands"][0] == {
        "command": "log",
        "description": "Log practice",
    }
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await app.bot.set_my_commands([("Log", "capital letters are invalid")])
    await app.bot.delete_my_commands()
    assert await app.bot.get_my_commands() == ()


async def test_get_updates_offsets_and_long_poll(app: AnyApplication, api: FakeBotApi) -> None:
    first = api.push_update({"message": _raw_message(1, "one")})
    second = api.push_update({"message": _raw_message(2, "two")})

    assert [u.update_id for u in await app.bot.get_updates()] == [first, second]
    assert [u.update_id for u in await app.bot.get_updates(offset=second)] == [second]
    assert [u.update_id for u in await app.bot.get_updates()] == [second]  # first confirmed

    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(app.bot.get_updates(offset=second + 1, timeout=5))
    await asyncio.sleep(0.1)
    third = api.push_update({"message": _raw_message(3, "three")})
    updates = await poll
    assert [u.update_id for u in updates] == [third]
    assert loop.time() - started < 2

    empty_started = loop.time()
    assert await app.bot.get_updates(offset=third + 1, timeout=1) == ()
    assert loop.time() - empty_started >= 0.9


async def test_webhook_blocks_get_updates(app: AnyApplication, api: FakeBotApi) -> None:
    await app.bot.set_webhook("https://bot.example/hook", secret_token="s3cret")
    assert (await app.bot.get_webhook_info()).url == "https://bot.example/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await app.bot.get_updates()
    await app.bot.delete_webhook(drop_pending_updates=True)
    assert await app.bot.get_updates() == ()


async def test_unknown_methods_answer_true_with_a_warning(
    app: AnyApplication, api: FakeBotApi
) -> None:
    assert await app.bot.pin_chat_message(1, 1)
    assert api.last().warning == "pinChatMessage is not emulated; answered True"
    assert api.warnings == ["pinChatMessage is not emulated; answered True"]


def test_callers_never_share_objects_with_the_fakes_state() -> None:
    api = FakeBotApi()
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    preview = {"is_disabled": True}
    sent_params = {"chat_id": 10, "text": "<b>Hi</b>", "parse_mode": "HTML"}
    sent_params |= {"reply_markup": markup, "link_preview_options": preview}
    _, sent = api.handle("sendMessage", sent_params)
    api.handle("sendMessage", {"chat_id": 10, "text": "Hello"})
    _, edited = api.handle(
        "editMessageText", {"chat_id": 10, "message_id": 2, "text": "Bye", "reply_markup": markup}
    )
    api.handle("setWebhook", {"url": "https://bot.example/hook", "allowed_updates": ["message"]})
    _, info = api.handle("getWebhookInfo", {})
    state = copy.deepcopy((api.messages, api.webhook, [call.response for call in api.calls]))

    # What callers hold: their params, the answers, and what the query helpers return.
    for held in (markup, preview, sent, edited, info, api.find_message(10, 1)):
        _scramble(held)
    _scramble(api.bot_messages(10))
    assert (api.messages, api.webhook, [call.response for call in api.calls]) == state

    # The calls log is not the chat state either.
    for call in api.calls:
        _scramble(call.params)
        _scramble(call.response)
    assert (api.messages, api.webhook) == state[:2]


def _scramble(value: Any) -> None:
    """Change every dict and list inside value, in place."""
    if isinstance(value, dict):
        for item in value.values():
            _scramble(item)
        value["scrambled"] = True
    elif isinstance(value, list):
        for item in value:
            _scramble(item)
        value.append("scrambled")


def _raw_message(message_id: int, text: str, user_id: int = 555) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ann"}
    return {
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": {"id": user_id, "type": "private", "first_name": "Ann"},
        "from": user,
        "text": text,
    }


@pytest.fixture
def server() -> Any:
    with FakeBotApiServer() as running:
        yield running


async def test_http_server_answers_get_me_and_get_updates(server: FakeBotApiServer) -> None:
    server.push_update({"message": _raw_message(1, "hello")})
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        me = (await client.get(f"/bot{TOKEN}/getMe")).json()
        updates = (await client.post(f"/bot{TOKEN}/getUpdates", data={"timeout": "0"})).json()
        missing = await client.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 1, "text": ""})
        garbled = await client.post(
            f"/bot{TOKEN}/sendMessage",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )

    assert me["result"]["username"] == BOT_USERNAME
    assert updates["result"][0]["message"]["text"] == "hello"
    assert missing.status_code == 400
    assert missing.json()["description"] == "Bad Request: message text is empty"
    assert garbled.status_code == 400
    assert server.tokens_seen == [TOKEN]


async def test_real_application_over_http(server: FakeBotApiServer, tmp_path: Any) -> None:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.bot_base_url)
        .base_file_url(server.file_base_url)
        .build()
    )
    async with application:
        bot = application.bot
        sent = await bot.send_message(
            10, "<b>Hi</b> 1 &lt; 2", parse_mode=ParseMode.HTML, reply_markup=_menu()
        )
        assert sent.text == "Hi 1 < 2"
        call = server.api.last("sendMessage")
        assert call.params["chat_id"] == 10
        assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "again"

        document = await bot.send_document(10, b"a,b\n1,2\n", filename="export.csv")
        upload = server.api.last("sendDocument").params["document"]
        assert isinstance(upload, UploadedFile)
        assert (upload.filename, upload.size) == ("export.csv", 8)

        assert document.document is not None
        file = await bot.get_file(document.document.file_id)
        assert await file.download_as_bytearray() == bytearray(b"a,b\n1,2\n")
        assert len(server.api.downloads) == 1

        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(10, "x", reply_markup=markup)
    assert server.tokens_seen == [TOKEN]


async def test_real_application_polls_the_http_server(server: FakeBotApiServer) -> None:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.bot_base_url)
        .base_file_url(server.file_base_url)
        .build()
    )
    _register(application)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=2)
        try:
            command = {"type": "bot_command", "offset": 0, "length": 6}
            update_id = server.push_update(
                {"message": {**_raw_message(1, "/start"), "entities": [command]}}
            )
            reply = await server.api.wait_for_async("sendMessage", timeout=10)
            # The next poll confirms the update by its offset.
            await server.api.wait_for_async(
                "getUpdates",
                lambda call: call.params.get("offset") == update_id + 1,
                include_pending=True,
            )
        finally:
            await application.updater.stop()
            await application.stop()

    assert reply.result["text"] == "Hello Ann!"
    assert server.api.sent("deleteWebhook")  # PTB's polling bootstrap


async def _remind(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a reminder to the job's chat, failing on purpose for chat 0."""
    assert context.job is not None
    assert context.job.chat_id is not None
    if context.job.chat_id == 0:
        raise RuntimeError("reminder failed")
    await context.bot.send_message(context.job.chat_id, "Time to practice")


async def test_run_job_runs_now_and_surfaces_job_errors(
    app: AnyApplication, api: FakeBotApi
) -> None:
    assert app.job_queue is not None
    job = app.job_queue.run_once(_remind, when=3600, chat_id=1001)

    calls = await run_job(app, api, job)

    assert [(call.method, call.text) for call in calls] == [("sendMessage", "Time to practice")]
    failing = app.job_queue.run_once(_remind, when=3600, chat_id=0)
    with pytest.raises(RuntimeError, match="reminder failed"):
        await run_job(app, api, failing)
