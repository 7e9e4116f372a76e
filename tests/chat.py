"""Chat helpers: drive a real PTB Application like a user would, against the FakeBotApi."""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, Job
from telegram.warnings import PTBUserWarning

from tests.fakebot import BOT_USER, JSON, ApiCall, FakeBotApi, keyboard_texts, utf16_len

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
MessageRef = int | Mapping[str, Any]

_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|me|co|ru|de|uk|edu|gov|info)\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)'\""


def url_entities(text: str) -> list[JSON]:
    """`url` entities Telegram would detect in text (offsets in UTF-16 code units)."""
    entities: list[JSON] = []
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        if url:
            entities.append(
                {
                    "type": "url",
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(url),
                }
            )
    return entities


def command_entities(text: str) -> list[JSON]:
    """A `bot_command` entity for a leading /command (including an @botname suffix)."""
    if not text.startswith("/"):
        return []
    word = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(word)}]


class _ErrorSink:
    """An error handler that keeps what failed (update or job) so helpers can re-raise it."""

    def __init__(self) -> None:
        self.errors: list[tuple[object, BaseException]] = []

    async def __call__(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if context.error is not None:
            # Job errors arrive with update=None; the job itself identifies them.
            source = update if update is not None else context.job
            self.errors.append((source, context.error))

    def take(self, source: object) -> list[BaseException]:
        """Remove and return the errors raised while handling one update object or job."""
        mine = [error for seen, error in self.errors if seen is source]
        self.errors = [(seen, error) for seen, error in self.errors if seen is not source]
        return mine

    @classmethod
    def install(cls, app: AnyApplication) -> _ErrorSink:
        for handler in app.error_handlers:
            if isinstance(handler, cls):
                return handler
        sink = cls()
        # First in line: the bot's own error handler stops later error handlers
        # (ApplicationHandlerStop), which would hide a crash from the test.
        existing = dict(app.error_handlers)
        app.error_handlers.clear()
        app.add_error_handler(sink)
        app.error_handlers.update(existing)
        return sink


class ChatUser:
    """One Telegram user in a private chat with the bot; every action runs the real handlers."""

    def __init__(
        self,
        app: AnyApplication,
        api: FakeBotApi,
        user_id: int,
        first_name: str = "Sarah",
        username: str | None = None,
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        raise_errors: bool = True,
    ) -> None:
        self.app = app
        self.api = api
        self.user_id = user_id
        self.raise_errors = raise_errors
        self.errors: list[BaseException] = []
        self.user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.chat: JSON = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                self.user[key] = value
                self.chat[key] = value
        if language_code is not None:
            self.user["language_code"] = language_code
        self._query_ids: list[str] = []
        self._last_update: JSON | None = None
        self._sink = _ErrorSink.install(app)
        api.register_chat(self.chat)

    # ----- sending -----

    async def send(self, text: str, *, reply_to: int | None = None) -> list[ApiCall]:
        """Send a text message (command and URL entities added); returns the bot's API calls."""
        message = self._message()
        message["text"] = text
        entities = sorted(
            command_entities(text) + url_entities(text), key=lambda entity: entity["offset"]
        )
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            original = self.api.find_message(self.user_id, reply_to)
            if original is None:
                raise AssertionError(f"no message {reply_to} in chat {self.user_id} to reply to")
            original.pop("reply_to_message", None)
            message["reply_to_message"] = original
        return await self._deliver(message)

    async def send_text_link(self, text: str, links: Mapping[str, str]) -> list[ApiCall]:
        """Send text where each `links` key (a substring) is a text_link to its URL."""
        message = self._message()
        message["text"] = text
        entities: list[JSON] = []
        for label, url in links.items():
            start = text.find(label)
            if start < 0:
                raise AssertionError(f"link label {label!r} is not in {text!r}")
            entities.append(
                {
                    "type": "text_link",
                    "offset": utf16_len(text[:start]),
                    "length": utf16_len(label),
                    "url": url,
                }
            )
        message["entities"] = sorted(entities, key=lambda entity: entity["offset"])
        return await self._deliver(message)

    async def forward(
        self,
        text: str,
        entities: Sequence[Mapping[str, Any]] | None = None,
        from_chat_title: str = "Practice Channel",
        *,
        from_chat_id: int = -1001234567890,
        origin: Mapping[str, Any] | None = None,
    ) -> list[ApiCall]:
        """Forward a channel post (forward_origin of type channel) into the chat.

        `origin` replaces the channel origin, e.g. {"type": "hidden_user", ...}."""
        message = self._message()
        message["text"] = text
        message["entities"] = [dict(entity) for entity in entities or url_entities(text)]
        if not message["entities"]:
            del message["entities"]
        message["forward_origin"] = {
            "type": "channel",
            "chat": {"id": from_chat_id, "type": "channel", "title": from_chat_title},
            "message_id": self.api.next_serial(),
            "date": self.api.now() - 3600,
        }
        if origin is not None:
            message["forward_origin"] = {"date": self.api.now() - 3600, **origin}
        return await self._deliver(message)

    async def send_photo(
        self,
        caption: str | None = None,
        sizes: int = 3,
        *,
        photo_id: str | None = None,
        media_group_id: str | None = None,
    ) -> list[ApiCall]:
        """Send a photo as several PhotoSize objects, smallest first; same photo_id, same ids.

        With `media_group_id`, the photo is one of an album (each arrives as its own update)."""
        key = photo_id or f"{self.user_id}-{self.api.next_serial()}"
        dimensions = [(90, 67), (320, 240), (800, 600), (1280, 960), (2560, 1920)]
        photo: list[JSON] = []
        for index, (width, height) in enumerate(dimensions[: max(1, min(sizes, 5))]):
            file_size = width * height // 8
            size: JSON = {
                "file_id": f"photo-{key}-s{index}",
                "file_unique_id": f"uphoto-{key}-s{index}",
                "width": width,
                "height": height,
                "file_size": file_size,
            }
            photo.append(size)
        for size in photo:
            self.api.store_file(
                size["file_id"],
                size["file_unique_id"],
                data=_fake_jpeg(size["file_size"]),
                kind="photos",
                ext="jpg",
                meta={"photo_sizes": photo},
            )
        message = self._message()
        message["photo"] = photo
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        self._add_caption(message, caption)
        return await self._deliver(message)

    async def send_document(
        self,
        file_name: str,
        mime_type: str,
        data: bytes | None = None,
        size: int | None = None,
        caption: str | None = None,
    ) -> list[ApiCall]:
        """Send a document; `data` is served by getFile + download, `size` alone fakes a size."""
        serial = self.api.next_serial()
        file_id, unique_id = f"doc-{self.user_id}-{serial}", f"udoc-{self.user_id}-{serial}"
        ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        entry = self.api.store_file(
            file_id,
            unique_id,
            data=data,
            size=size if size is not None else (None if data is not None else 1234),
            kind="documents",
            ext=ext,
            meta={"file_name": file_name, "mime_type": mime_type},
        )
        message = self._message()
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": entry.size,
        }
        self._add_caption(message, caption)
        return await self._deliver(message)

    async def send_sticker(self, emoji: str = "👍") -> list[ApiCall]:
        """Send a regular static sticker."""
        serial = self.api.next_serial()
        message = self._message()
        message["sticker"] = {
            "file_id": f"sticker-{serial}",
            "file_unique_id": f"usticker-{serial}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": 20_000,
        }
        return await self._deliver(message)

    async def send_voice(self, duration: int = 3, caption: str | None = None) -> list[ApiCall]:
        """Send a voice message (known to the fake by file_id, so the bot can re-send it)."""
        return await self._send_media(
            "voice", {"duration": duration, "mime_type": "audio/ogg"}, 4_000 * duration, caption
        )

    async def send_audio(
        self,
        duration: int = 95,
        file_name: str | None = "etude.mp3",
        caption: str | None = None,
    ) -> list[ApiCall]:
        """Send an audio file."""
        fields: JSON = {"duration": duration, "mime_type": "audio/mpeg", "title": "Etude"}
        if file_name is not None:
            fields["file_name"] = file_name
        return await self._send_media("audio", fields, 16_000 * duration, caption)

    async def send_video(
        self, duration: int = 42, caption: str | None = None, *, media_group_id: str | None = None
    ) -> list[ApiCall]:
        """Send a video (1280×720, mp4), optionally as part of an album."""
        fields: JSON = {
            "duration": duration,
            "width": 1280,
            "height": 720,
            "mime_type": "video/mp4",
        }
        return await self._send_media(
            "video", fields, 250_000 * duration, caption, media_group_id=media_group_id
        )

    async def send_video_note(self, duration: int = 12) -> list[ApiCall]:
        """Send a video note (a round video message, 240 pixels across)."""
        return await self._send_media(
            "video_note", {"duration": duration, "length": 240}, 60_000 * duration, None
        )

    async def _send_media(
        self,
        field_name: str,
        fields: JSON,
        size: int,
        caption: str | None,
        *,
        media_group_id: str | None = None,
    ) -> list[ApiCall]:
        serial = self.api.next_serial()
        file_id, unique_id = f"{field_name}-{serial}", f"u{field_name}-{serial}"
        self.api.store_file(
            file_id, unique_id, size=size, kind=field_name + "s", ext="bin", meta=fields
        )
        message = self._message()
        message[field_name] = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": size,
            **fields,
        }
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        self._add_caption(message, caption)
        return await self._deliver(message)

    async def send_location(
        self, latitude: float = 52.52, longitude: float = 13.405
    ) -> list[ApiCall]:
        """Send a location."""
        message = self._message()
        message["location"] = {"latitude": latitude, "longitude": longitude}
        return await self._deliver(message)

    async def send_update(self, update: Mapping[str, Any]) -> list[ApiCall]:
        """Process a hand-built update dict (update_id assigned if missing)."""
        data = copy.deepcopy(dict(update))
        data.setdefault("update_id", self.api.next_update_id())
        return await self._process(data)

    async def redeliver(self) -> list[ApiCall]:
        """Process the last update again, same update_id and query id (Telegram redelivering)."""
        if self._last_update is None:
            raise AssertionError("nothing was delivered yet")
        return await self._process(self._last_update)

    # ----- pressing buttons -----

    async def tap(self, button_text: str, *, message: MessageRef | None = None) -> list[ApiCall]:
        """Press the inline button with exactly this text on the newest bot message showing it."""
        return await self._tap(lambda text: text == button_text, repr(button_text), message)

    async def tap_containing(
        self, fragment: str, *, message: MessageRef | None = None
    ) -> list[ApiCall]:
        """Press the inline button whose text contains fragment (must be unambiguous)."""
        return await self._tap(lambda text: fragment in text, f"containing {fragment!r}", message)

    async def tap_data(self, callback_data: str, message_id: int | None = None) -> list[ApiCall]:
        """Press a button with arbitrary (forged or stale) callback_data on a given message."""
        if message_id is not None:
            shown = self.api.find_message(self.user_id, message_id)
        else:
            shown = self.api.last_bot_message(self.user_id)
        if shown is None:
            shown = {
                "message_id": message_id or 1,
                "from": dict(BOT_USER),
                "chat": dict(self.chat),
                "date": self.api.now(),
                "text": "(gone)",
            }
        return await self._press(shown, callback_data)

    async def _tap(
        self, matches: Callable[[str], bool], wanted: str, message: MessageRef | None
    ) -> list[ApiCall]:
        candidates = (
            [self._resolve(message)]
            if message is not None
            else list(reversed(self.api.bot_messages(self.user_id)))
        )
        for shown in candidates:
            buttons = [
                button
                for row in (shown.get("reply_markup") or {}).get("inline_keyboard", [])
                for button in row
                if matches(button.get("text", ""))
            ]
            if not buttons:
                continue
            if len({button.get("text") for button in buttons}) > 1:
                texts = [button.get("text") for button in buttons]
                raise AssertionError(f"button {wanted} is ambiguous in message: {texts}")
            button = buttons[0]
            if "callback_data" not in button:
                raise AssertionError(f"button {wanted} has no callback_data: {button}")
            return await self._press(shown, str(button["callback_data"]))
        raise AssertionError(f"no inline button {wanted}; {self._describe_keyboards()}")

    async def _press(self, shown: JSON, data: str) -> list[ApiCall]:
        query_id = f"{self.user_id}{self.api.next_serial():08d}"
        self._query_ids.append(query_id)
        self.api.register_callback_query(query_id, self.user_id)
        update: JSON = {
            "update_id": self.api.next_update_id(),
            "callback_query": {
                "id": query_id,
                "from": dict(self.user),
                "message": copy.deepcopy(shown),
                "chat_instance": f"chat-instance-{self.user_id}",
                "data": data,
            },
        }
        return await self._process(update)

    # ----- what the user sees -----

    def last_message(self) -> JSON:
        """The bot message most recently sent or edited in this chat, as currently shown."""
        shown = self.api.last_bot_message(self.user_id)
        if shown is None:
            raise AssertionError(f"the bot has sent nothing to chat {self.user_id}")
        return shown

    def last_text(self) -> str:
        """Text (or caption) of last_message()."""
        return _text_of(self.last_message())

    def texts(self) -> list[str]:
        """Texts of all live bot messages in this chat, oldest first."""
        return self.api.texts(self.user_id)

    def buttons(self, message: MessageRef | None = None) -> list[list[str]]:
        """Inline button texts of a message (default: last_message()), row by row."""
        shown = self._resolve(message) if message is not None else self.last_message()
        return keyboard_texts(shown.get("reply_markup"))

    def keyboard(self) -> list[list[str]] | None:
        """The reply keyboard the bot currently shows in this chat, or None."""
        markup = self.api.reply_keyboards.get(self.user_id)
        return keyboard_texts(markup) if markup else None

    def answers(self) -> list[str]:
        """Texts of the bot's answerCallbackQuery calls for this user's presses ("" if none)."""
        return [
            str(self.api.callback_answers[query_id].get("text") or "")
            for query_id in self._query_ids
            if query_id in self.api.callback_answers
        ]

    def unanswered(self) -> list[str]:
        """This user's callback query ids the bot never answered."""
        return [qid for qid in self._query_ids if qid not in self.api.callback_answers]

    # ----- internals -----

    def _message(self) -> JSON:
        return {
            "message_id": self.api.next_message_id(self.user_id),
            "from": dict(self.user),
            "chat": dict(self.chat),
            "date": self.api.now(),
        }

    @staticmethod
    def _add_caption(message: JSON, caption: str | None) -> None:
        if caption:
            message["caption"] = caption
            entities = url_entities(caption)
            if entities:
                message["caption_entities"] = entities

    def _resolve(self, message: MessageRef) -> JSON:
        message_id = message if isinstance(message, int) else int(message["message_id"])
        shown = self.api.find_message(self.user_id, message_id)
        if shown is None:
            raise AssertionError(f"no message {message_id} in chat {self.user_id}")
        return shown

    def _describe_keyboards(self) -> str:
        shown = [
            f"#{message['message_id']} {_text_of(message)[:40]!r}: "
            f"{keyboard_texts(message.get('reply_markup'))}"
            for message in self.api.bot_messages(self.user_id)
            if message.get("reply_markup")
        ]
        return "keyboards in chat: " + ("; ".join(shown) if shown else "none")

    async def _deliver(self, message: JSON) -> list[ApiCall]:
        self.api.record_incoming(message)
        return await self._process({"update_id": self.api.next_update_id(), "message": message})

    async def _process(self, data: JSON) -> list[ApiCall]:
        self._last_update = copy.deepcopy(data)
        start = self.api.mark()
        update = Update.de_json(copy.deepcopy(data), self.app.bot)
        await self.app.process_update(update)
        errors = self._sink.take(update)
        self.errors.extend(errors)
        if errors and self.raise_errors:
            raise errors[0]
        return self.api.calls_since(start)


async def run_job(
    app: AnyApplication, api: FakeBotApi, job: Job[Any], *, raise_errors: bool = True
) -> list[ApiCall]:
    """Run a scheduled job now (no scheduler needed); returns its API calls, raises its error."""
    sink = _ErrorSink.install(app)
    start = api.mark()
    with warnings.catch_warnings():
        # Job.run awaits its own error-handling task, so PTB's "not awaited" warning is moot.
        warnings.filterwarnings("ignore", "Tasks created via", PTBUserWarning)
        await job.run(app)
    errors = sink.take(job)
    if errors and raise_errors:
        raise errors[0]
    return api.calls_since(start)


def flat(buttons: list[list[str]]) -> list[str]:
    """Button labels, row after row, in one list."""
    return [label for row in buttons for label in row]


def callback_data(message: dict[str, Any]) -> list[str]:
    """The callback_data of every inline button of a sent message, row after row."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def _text_of(message: Mapping[str, Any]) -> str:
    return str(message.get("text", message.get("caption", "")))


def _fake_jpeg(size: int) -> bytes:
    """Bytes that start like a JPEG, of the given length."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    return (header + bytes(max(0, size - len(header) - 2)) + b"\xff\xd9")[: max(size, 4)]
