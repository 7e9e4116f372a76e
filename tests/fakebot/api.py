"""The fake Bot API's state and methods: chats, messages, callback queries, files, updates."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakebot.common import BOT_USER, JSON, json_copy, keyboard_texts, utf16_len
from tests.fakebot.html import HtmlParseError, parse_html

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: POLL_CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
}

# Fields whose value is always a string in the Bot API: form-encoded bodies carry them raw, so
# they must not be JSON-decoded ("123" stays a text, not a number).
_STRING_FIELDS = _names(
    "text caption parse_mode callback_query_id inline_message_id url action description "
    "short_description name title language_code secret_token ip_address file_id photo "
    "document sticker voice video audio animation video_note thumbnail emoji question "
    "address phone_number first_name last_name custom_title business_connection_id "
    "message_effect_id certificate"
)
# Fields that carry JSON-serialized objects when a client sends them as strings.
_JSON_FIELDS = _names(
    "reply_markup entities caption_entities commands scope allowed_updates "
    "link_preview_options reply_parameters media results options explanation_entities "
    "menu_button rights reaction message_ids"
)
_INT_FIELDS = _names(
    "chat_id from_chat_id message_id user_id offset limit timeout cache_time "
    "reply_to_message_id message_thread_id"
)
_CHAT_ACTIONS = _names(
    "typing upload_photo record_video upload_video record_voice upload_voice "
    "upload_document choose_sticker find_location record_video_note upload_video_note"
)
# Methods answered with a plain True without a warning: they only configure the bot.
_TRUE_METHODS = _names(
    "logOut close setMyDescription setMyShortDescription setMyName setChatMenuButton "
    "setMyDefaultAdministratorRights"
)
_INLINE_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CONTENT_KEYS = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    "photo",
    "document",
    "sticker",
    "voice",
    "location",
    "audio",
    "video",
    "animation",
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_INTEGER_RE = re.compile(r"-?\d+")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> JSON:
        """Telegram's JSON error envelope for this error."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


class AnswerLost(Exception):
    """The call was carried out, but its answer never reached the caller (a client timeout)."""


@dataclass(slots=True)
class ApiCall:
    """One Bot API request as the fake received it, with the answer it gave."""

    method: str
    params: JSON
    at_monotonic: float
    token: str | None = None
    status: int | None = None  # None while a long poll is still waiting
    response: JSON | None = None
    warning: str | None = None
    answer_lost: bool = False  # carried out, but the caller timed out before the answer

    @property
    def ok(self) -> bool:
        """Whether the fake answered with success."""
        return self.status == 200

    @property
    def result(self) -> Any:
        """The `result` of a successful answer (None otherwise)."""
        return (self.response or {}).get("result")

    @property
    def error(self) -> str | None:
        """The error description of a failed answer."""
        return None if self.ok else (self.response or {}).get("description")

    @property
    def chat_id(self) -> Any:
        """The chat_id parameter, if any."""
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """The text or caption parameter as the bot sent it (HTML source, if HTML)."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None

    @property
    def buttons(self) -> list[list[str]]:
        """Texts of the inline keyboard sent with this call, row by row."""
        return keyboard_texts(self.params.get("reply_markup"))


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file the bot uploaded: recorded by name and size, contents kept in the api by file_id."""

    field: str
    filename: str
    size: int
    mime_type: str
    file_id: str


@dataclass(slots=True)
class FileEntry:
    """A file known to the fake (sent by a user or uploaded by the bot)."""

    file_id: str
    file_unique_id: str
    size: int
    kind: str
    ext: str
    data: bytes | None = None
    file_path: str | None = None
    meta: JSON = field(default_factory=dict)


@dataclass(slots=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None
    remaining: int


def _strip_text(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Trim surrounding whitespace as Telegram does, clipping entities to the kept text."""
    stripped = text.strip()
    lead16 = utf16_len(text[: len(text) - len(text.lstrip())])
    end16 = lead16 + utf16_len(stripped)
    kept: list[JSON] = []
    for entity in entities:
        start = max(entity["offset"], lead16)
        end = min(entity["offset"] + entity["length"], end16)
        if end > start:
            kept.append({**entity, "offset": start - lead16, "length": end - start})
    return stripped, kept


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(_PNG_MAGIC) and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def _photo_dimensions(width: int, height: int) -> list[tuple[int, int]]:
    """The thumbnails Telegram derives from a photo: longest side 90, 320, 800, 1280."""
    sizes: list[tuple[int, int]] = []
    for limit in (90, 320, 800, 1280):
        scale = min(1.0, limit / max(width, height, 1))
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        if size not in sizes:
            sizes.append(size)
        if scale == 1.0:
            break
    return sizes


def normalize_params(params: Mapping[str, Any]) -> JSON:
    """Deep-copy params, JSON-decoding object fields and turning numeric ids into ints."""
    out: JSON = {}
    for key, value in params.items():
        value = json_copy(value)
        if key in _JSON_FIELDS and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        elif key in _INT_FIELDS and isinstance(value, str) and _INTEGER_RE.fullmatch(value):
            value = int(value)
        out[key] = value
    return out


def decode_form_value(key: str, raw: str) -> Any:
    """Decode one form-encoded parameter the way the Bot API reads it."""
    if key in _STRING_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class FakeBotApi:
    """The fake Bot API responder: records calls, keeps chat state, answers like Telegram."""

    def __init__(self, *, clock: Callable[[], float] = time.time, poll_interval: float = 0.01):
        self.clock = clock
        self.poll_interval = poll_interval
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self.calls: list[ApiCall] = []
        self.warnings: list[str] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.user_messages: dict[tuple[int, int], JSON] = {}
        self.deleted: dict[tuple[int, int], JSON] = {}
        self.files: dict[str, FileEntry] = {}
        self.downloads: list[str] = []
        self.commands: dict[str, list[JSON]] = {}
        self.webhook: JSON | None = None
        self.reply_keyboards: dict[int, JSON] = {}
        self.callback_answers: dict[str, JSON] = {}
        self._callback_queries: dict[str, int] = {}
        self._chats: dict[int, JSON] = {}
        self._next_message_id: dict[int, int] = {}
        self._touched: dict[tuple[int, int], int] = {}
        self._touch_seq = 0
        self._serial = 0
        self._update_id = 0
        self._updates: deque[JSON] = deque()
        self._failures: dict[str, deque[_Failure]] = {}
        self._chat_failures: dict[int, tuple[int, str]] = {}
        self._lost_answers: dict[str, int] = {}
        self._poll_ticket = 0
        self._wake_generation = 0
        self._handlers: dict[str, Callable[[JSON], Any]] = {
            "getMe": self._get_me,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "editMessageCaption": self._edit_message_caption,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendVoice": functools.partial(self._send_media, "voice"),
            "sendAudio": functools.partial(self._send_media, "audio"),
            "sendVideo": functools.partial(self._send_media, "video"),
            "sendVideoNote": functools.partial(self._send_media, "video_note"),
            "sendChatAction": self._send_chat_action,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "getFile": self._get_file,
        }

    # ----- identity, ids and registration (used by the chat helpers) -----

    def now(self) -> int:
        """The fake's current Unix time (from `clock`), as used in message dates."""
        return int(self.clock())

    def next_serial(self) -> int:
        """A process-unique number for made-up ids."""
        with self._lock:
            self._serial += 1
            return self._serial

    def next_update_id(self) -> int:
        """The next update_id: ids increase across all chats."""
        with self._lock:
            self._update_id += 1
            return self._update_id

    def next_message_id(self, chat_id: int) -> int:
        """The next message_id in a chat (users and the bot share the sequence)."""
        with self._lock:
            self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
            return self._next_message_id[chat_id]

    def register_chat(self, chat: Mapping[str, Any]) -> None:
        """Remember a chat dict so bot messages to it carry the same chat object."""
        with self._lock:
            self._chats[int(chat["id"])] = dict(chat)

    def record_incoming(self, message: Mapping[str, Any]) -> None:
        """Keep a user's message so the bot can copy, forward, delete or reply to it."""
        with self._lock:
            key = (int(message["chat"]["id"]), int(message["message_id"]))
            self.user_messages[key] = json_copy(dict(message))

    def register_callback_query(self, query_id: str, user_id: int) -> None:
        """Mark a callback query id as delivered, so answering it is valid once."""
        with self._lock:
            self._callback_queries[query_id] = user_id

    def store_file(
        self,
        file_id: str,
        file_unique_id: str,
        *,
        data: bytes | None = None,
        size: int | None = None,
        kind: str = "documents",
        ext: str = "bin",
        meta: Mapping[str, Any] | None = None,
    ) -> FileEntry:
        """Make a file known by file_id, so getFile and the file URL can serve it."""
        entry = FileEntry(
            file_id=file_id,
            file_unique_id=file_unique_id,
            size=len(data) if data is not None else (size or 0),
            kind=kind,
            ext=ext,
            data=data,
            meta=dict(meta or {}),
        )
        with self._lock:
            self.files[file_id] = entry
        return entry

    def store_upload(
        self, field_name: str, filename: str, data: bytes, mime_type: str
    ) -> UploadedFile:
        """Keep the bytes of a file the bot uploads and return its call record."""
        serial = self.next_serial()
        ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        kind = "photos" if field_name == "photo" else "documents"
        entry = self.store_file(
            f"upload-{kind[:-1]}-{serial}",
            f"uniq-upload-{serial}",
            data=data,
            kind=kind,
            ext=ext,
            meta={"file_name": filename, "mime_type": mime_type},
        )
        return UploadedFile(field_name, filename, len(data), mime_type, entry.file_id)

    def file_bytes(self, file_id: str) -> bytes:
        """Contents of a known file (e.g. what the bot uploaded with sendDocument)."""
        with self._lock:
            entry = self.files[file_id]
            return entry.data if entry.data is not None else bytes(entry.size)

    def download(self, file_path: str) -> bytes | None:
        """Serve a file URL path handed out by getFile (counted in `downloads`)."""
        with self._lock:
            for entry in self.files.values():
                if entry.file_path == file_path:
                    self.downloads.append(file_path)
                    return entry.data if entry.data is not None else bytes(entry.size)
            return None

    # ----- programmable failures -----

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with this status and description."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
            )
        with self._lock:
            self._failures.setdefault(method, deque()).append(
                _Failure(status, description, retry_after, times)
            )

    def time_out_next(self, method: str, *, times: int = 1) -> None:
        """Carry out the next `times` calls of `method`, but let the caller time out waiting."""
        with self._lock:
            self._lost_answers[method] = self._lost_answers.get(method, 0) + times

    def fail_for_chat(
        self,
        chat_id: int,
        status: int = 403,
        description: str = "Forbidden: bot was blocked by the user",
    ) -> None:
        """Make every call addressed to chat_id fail from now on (e.g. a user who blocked us)."""
        with self._lock:
            self._chat_failures[chat_id] = (status, description)

    def clear_failures(self) -> None:
        """Forget all programmed failures."""
        with self._lock:
            self._failures.clear()
            self._chat_failures.clear()
            self._lost_answers.clear()

    # ----- updates for getUpdates -----

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue an update for getUpdates (assigning update_id if missing); returns its id."""
        with self._cond:
            data = json_copy(dict(update))
            if "update_id" not in data:
                data["update_id"] = self.next_update_id()
            self._update_id = max(self._update_id, int(data["update_id"]))
            self._updates.append(data)
            self._cond.notify_all()
            return int(data["update_id"])

    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by an offset."""
        with self._lock:
            return json_copy(list(self._updates))

    def wake_pollers(self) -> None:
        """Release every waiting long poll now (used when a server stops)."""
        with self._cond:
            self._wake_generation += 1
            self._cond.notify_all()

    # ----- entry points -----

    def handle(
        self, method: str, params: Mapping[str, Any], *, token: str | None = None
    ) -> tuple[int, JSON]:
        """Answer one Bot API call, blocking the thread during a getUpdates long poll."""
        status, body = self._answer(method, params, token)
        return status, json_copy(body)

    async def handle_async(
        self, method: str, params: Mapping[str, Any], *, token: str | None = None
    ) -> tuple[int, JSON]:
        """Answer one Bot API call; a getUpdates long poll sleeps on the event loop."""
        status, body = await self._answer_async(method, params, token)
        return status, json_copy(body)

    def _answer(
        self, method: str, params: Mapping[str, Any], token: str | None
    ) -> tuple[int, JSON]:
        # The body is also the recorded call.response: callers that keep it get a copy (handle).
        call, ticket, generation = self._begin(method, params, token)
        wait = self._poll_wait_seconds(call)
        if wait > 0:
            deadline = time.monotonic() + wait
            with self._cond:
                while not self._poll_should_return(call, ticket, generation):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
        return self._respond(call, ticket)

    async def _answer_async(
        self, method: str, params: Mapping[str, Any], token: str | None
    ) -> tuple[int, JSON]:
        # Like _answer; FakeRequest only serializes the body, so it needs no copy.
        call, ticket, generation = self._begin(method, params, token)
        wait = self._poll_wait_seconds(call)
        if wait > 0:
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                with self._lock:
                    if self._poll_should_return(call, ticket, generation):
                        break
                await asyncio.sleep(self.poll_interval)
        return self._respond(call, ticket)

    def _begin(
        self, method: str, params: Mapping[str, Any], token: str | None
    ) -> tuple[ApiCall, int, int]:
        with self._cond:
            call = ApiCall(method, normalize_params(params), time.monotonic(), token)
            self.calls.append(call)
            if method == "getUpdates":
                self._poll_ticket += 1
            self._cond.notify_all()
            return call, self._poll_ticket, self._wake_generation

    def _poll_wait_seconds(self, call: ApiCall) -> float:
        if call.method != "getUpdates":
            return 0.0
        with self._lock:
            if self._failures.get("getUpdates") or self.webhook is not None:
                return 0.0
        timeout = call.params.get("timeout") or 0
        return float(timeout) if isinstance(timeout, int | float) else 0.0

    def _poll_should_return(self, call: ApiCall, ticket: int, generation: int) -> bool:
        return (
            bool(self._available_updates(call.params))
            or self._poll_ticket != ticket
            or self._wake_generation != generation
        )

    def _respond(self, call: ApiCall, ticket: int | None = None) -> tuple[int, JSON]:
        with self._cond:
            try:
                if (
                    call.method == "getUpdates"
                    and ticket is not None
                    and ticket != self._poll_ticket
                ):
                    raise ApiError(409, POLL_CONFLICT)
                self._check_failures(call)
                handler = self._handlers.get(call.method)
                if handler is not None:
                    result = handler(call.params)
                else:
                    if call.method not in _TRUE_METHODS:
                        call.warning = f"{call.method} is not emulated; answered True"
                        self.warnings.append(call.warning)
                    result = True
                status, body = 200, {"ok": True, "result": result}
            except ApiError as exc:
                status, body = exc.status, exc.envelope()
            # Handlers answer with fresh objects (never stored state or call params), so the
            # body can be recorded as is; handle()/handle_async() copy it for their callers.
            call.status, call.response = status, body
            self._cond.notify_all()
            if self._lost_answers.get(call.method, 0) > 0:
                self._lost_answers[call.method] -= 1
                call.answer_lost = True
                raise AnswerLost(call.method)
            return status, body

    def _check_failures(self, call: ApiCall) -> None:
        queue = self._failures.get(call.method)
        if queue:
            failure = queue[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.popleft()
            raise ApiError(failure.status, failure.description, failure.retry_after)
        chat_id = call.params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self._chat_failures:
            status, description = self._chat_failures[chat_id]
            raise ApiError(status, description)

    # ----- query helpers -----

    def mark(self) -> int:
        """The current number of recorded calls, to slice `calls_since` later."""
        with self._lock:
            return len(self.calls)

    def calls_since(self, index: int) -> list[ApiCall]:
        """Calls recorded after a `mark()`."""
        with self._lock:
            return list(self.calls[index:])

    def sent(
        self, method: str | None = None, chat_id: int | None = None, **where: Any
    ) -> list[ApiCall]:
        """Recorded calls, filtered by method, chat_id and any other exact parameter values."""
        if chat_id is not None:
            where["chat_id"] = chat_id
        with self._lock:
            return [
                call
                for call in self.calls
                if (method is None or call.method == method)
                and all(call.params.get(key) == value for key, value in where.items())
            ]

    def last(self, method: str | None = None, chat_id: int | None = None, **where: Any) -> ApiCall:
        """The newest recorded call matching like sent(); AssertionError if there is none."""
        calls = self.sent(method, chat_id, **where)
        if not calls:
            seen = [call.method for call in self.sent()]
            raise AssertionError(
                f"no {method or 'call'} matching chat_id={chat_id} {where}; calls: {seen}"
            )
        return calls[-1]

    def texts(self, chat_id: int) -> list[str]:
        """Texts (or captions) of the bot's messages in a chat as currently shown, oldest first."""
        return [
            str(message.get("text", message.get("caption", "")))
            for message in self.bot_messages(chat_id)
        ]

    def bot_messages(self, chat_id: int) -> list[JSON]:
        """The bot's live messages in a chat, current state, ordered by message_id."""
        with self._lock:
            keys = sorted(key for key in self.messages if key[0] == chat_id)
            return [json_copy(self.messages[key]) for key in keys]

    def last_bot_message(self, chat_id: int) -> JSON | None:
        """The bot's most recently sent or edited live message in a chat."""
        with self._lock:
            keys = [key for key in self.messages if key[0] == chat_id]
            if not keys:
                return None
            return json_copy(self.messages[max(keys, key=self._touched.__getitem__)])

    def find_message(self, chat_id: int, message_id: int) -> JSON | None:
        """A message by id: the bot's (live or deleted) or the user's."""
        key = (chat_id, message_id)
        with self._lock:
            found = self.messages.get(key) or self.user_messages.get(key) or self.deleted.get(key)
            return json_copy(found) if found else None

    def unanswered_callback_queries(self) -> list[str]:
        """Callback query ids delivered to the bot that it never answered."""
        with self._lock:
            return [qid for qid in self._callback_queries if qid not in self.callback_answers]

    def clear(self) -> None:
        """Forget recorded calls and warnings (chat state, files and queues stay)."""
        with self._lock:
            self.calls.clear()
            self.warnings.clear()
            self.downloads.clear()

    def wait_for(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
        include_pending: bool = False,
    ) -> ApiCall:
        """Block until a completed call of `method` (matching predicate) exists after `since`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._find(method, predicate, since, include_pending)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._wait_failure(method, timeout, since))
                self._cond.wait(remaining)

    async def wait_for_async(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - same signature as wait_for
        *,
        since: int = 0,
        include_pending: bool = False,
    ) -> ApiCall:
        """Like wait_for, but sleeps on the event loop so a bot in the same loop keeps running."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = self._find(method, predicate, since, include_pending)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(self._wait_failure(method, timeout, since))
            await asyncio.sleep(self.poll_interval)

    def _find(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None,
        since: int,
        include_pending: bool,
    ) -> ApiCall | None:
        for call in self.calls[since:]:
            ready = call.method == method and (include_pending or call.status is not None)
            if ready and (predicate is None or predicate(call)):
                return call
        return None

    def _wait_failure(self, method: str, timeout: float, since: int) -> str:
        seen = [f"{call.method}->{call.status}" for call in self.calls[since:]]
        return f"no {method} call within {timeout}s; calls since #{since}: {seen}"

    # ----- message state -----

    def _chat(self, chat_id: int) -> JSON:
        return json_copy(
            self._chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "User"})
        )

    def _chat_id(self, params: JSON, key: str = "chat_id") -> int:
        chat_id = params.get(key)
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise _bad_request("chat not found")
        return chat_id

    def _touch(self, key: tuple[int, int]) -> None:
        self._touch_seq += 1
        self._touched[key] = self._touch_seq

    def _new_bot_message(self, chat_id: int, params: JSON) -> JSON:
        message: JSON = {
            "message_id": self.next_message_id(chat_id),
            "from": dict(BOT_USER),
            "chat": self._chat(chat_id),
            "date": self.now(),
        }
        reply = params.get("reply_parameters")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        reply_id = reply_id or params.get("reply_to_message_id")
        if isinstance(reply_id, int):
            original = self.find_message(chat_id, reply_id)
            if original is not None:
                original.pop("reply_to_message", None)
                message["reply_to_message"] = original
        return message

    def _store(self, message: JSON) -> JSON:
        """Keep `message` (freshly built, shared with nothing) as state; answer with a copy."""
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        self.messages[key] = message
        self._touch(key)
        return json_copy(message)

    def _render(
        self, params: JSON, key: str, entities_key: str, limit: int, kind: str
    ) -> tuple[str, list[JSON]]:
        raw = params.get(key)
        if not isinstance(raw, str):
            raw = "" if raw is None else str(raw)
        parse_mode = params.get("parse_mode")
        if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
            try:
                text, entities = parse_html(raw)
            except HtmlParseError as exc:
                raise _bad_request(f"can't parse entities: {exc}") from exc
        else:
            if parse_mode:
                warning = f"parse_mode {parse_mode!r} is not emulated; text kept as sent"
                self.warnings.append(warning)
            text = raw
            entities = json_copy(params.get(entities_key) or [])
        text, entities = _strip_text(text, entities)
        if kind == "text" and not text:
            raise _bad_request("message text is empty")
        # tdlib measures the limit in Unicode code points after entity parsing.
        if len(text) > limit:
            raise _bad_request(
                "message is too long" if kind == "text" else "message caption is too long"
            )
        return text, entities

    def _inline_markup(self, params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if not isinstance(markup, dict):
            return None
        if "inline_keyboard" not in markup:
            chat_id = params.get("chat_id")
            if isinstance(chat_id, int):
                if "keyboard" in markup:
                    self.reply_keyboards[chat_id] = json_copy(markup)
                elif markup.get("remove_keyboard"):
                    self.reply_keyboards.pop(chat_id, None)
            return None
        rows = markup.get("inline_keyboard") or []
        for row in rows:
            for button in row:
                if not any(action in button for action in _INLINE_BUTTON_ACTIONS):
                    raise _bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _bad_request("BUTTON_DATA_INVALID")
        if not any(rows):
            return None
        return json_copy(markup)

    def _edit_target(self, params: JSON) -> tuple[int, int] | None:
        if params.get("inline_message_id"):
            return None
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        key = (chat_id, message_id)
        if key in self.user_messages:
            raise _bad_request("message can't be edited")
        if key not in self.messages:
            raise _bad_request("message to edit not found")
        return key

    def _inline_message_edit(self, method: str) -> bool:
        warning = f"{method} with inline_message_id is not emulated; answered True"
        self.warnings.append(warning)
        return True

    def _commit_edit(self, current: JSON, new: JSON, fields: Iterable[str]) -> JSON:
        if all(current.get(name) == new.get(name) for name in fields):
            raise ApiError(400, NOT_MODIFIED)
        new["edit_date"] = self.now()
        return self._store(new)

    @staticmethod
    def _set_or_pop(message: JSON, key: str, value: Any) -> None:
        if value:
            message[key] = value
        else:
            message.pop(key, None)

    def _apply_caption(self, message: JSON, params: JSON) -> None:
        if params.get("caption") is None:
            return
        caption, entities = self._render(
            params, "caption", "caption_entities", MAX_CAPTION_LENGTH, "caption"
        )
        self._set_or_pop(message, "caption", caption)
        self._set_or_pop(message, "caption_entities", entities)

    # ----- method implementations -----

    def _get_me(self, params: JSON) -> JSON:
        return {
            **BOT_USER,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: JSON) -> bool:
        url = params.get("url")
        if not url:
            return self._delete_webhook(params)
        self.webhook = {
            key: json_copy(params[key])
            for key in ("url", "allowed_updates", "max_connections", "secret_token")
            if key in params
        }
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook and "allowed_updates" in self.webhook:
            info["allowed_updates"] = json_copy(self.webhook["allowed_updates"])
        return info

    @staticmethod
    def _commands_key(params: JSON) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = json_copy(commands)
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        return json_copy(self.commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _available_updates(self, params: JSON) -> list[JSON]:
        offset = params.get("offset")
        if isinstance(offset, int) and offset < 0:
            keep = list(self._updates)[offset:]
            self._updates = deque(keep)
        elif isinstance(offset, int) and offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        return list(self._updates)

    def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        limit = params.get("limit") or 100
        return json_copy(self._available_updates(params)[: max(1, min(int(limit), 100))])

    def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        text, entities = self._render(params, "text", "entities", MAX_TEXT_LENGTH, "text")
        markup = self._inline_markup(params)
        message = self._new_bot_message(chat_id, params)
        message["text"] = text
        self._set_or_pop(message, "entities", entities)
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = json_copy(params["link_preview_options"])
        self._set_or_pop(message, "reply_markup", markup)
        return self._store(message)

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        key = self._edit_target(params)
        if key is None:
            return self._inline_message_edit("editMessageText")
        current = self.messages[key]
        if "text" not in current:
            raise _bad_request("there is no text in the message to edit")
        text, entities = self._render(params, "text", "entities", MAX_TEXT_LENGTH, "text")
        new = json_copy(current)
        new["text"] = text
        self._set_or_pop(new, "entities", entities)
        self._set_or_pop(new, "reply_markup", self._inline_markup(params))
        return self._commit_edit(current, new, ("text", "entities", "reply_markup"))

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        key = self._edit_target(params)
        if key is None:
            return self._inline_message_edit("editMessageReplyMarkup")
        current = self.messages[key]
        new = json_copy(current)
        self._set_or_pop(new, "reply_markup", self._inline_markup(params))
        return self._commit_edit(current, new, ("reply_markup",))

    def _edit_message_caption(self, params: JSON) -> JSON | bool:
        key = self._edit_target(params)
        if key is None:
            return self._inline_message_edit("editMessageCaption")
        current = self.messages[key]
        if "text" in current:
            raise _bad_request("there is no caption in the message to edit")
        new = json_copy(current)
        new.pop("caption", None)
        new.pop("caption_entities", None)
        self._apply_caption(new, {**params, "caption": params.get("caption") or ""})
        self._set_or_pop(new, "reply_markup", self._inline_markup(params))
        return self._commit_edit(current, new, ("caption", "caption_entities", "reply_markup"))

    def _delete_message(self, params: JSON) -> bool:
        key = (self._chat_id(params), params.get("message_id"))
        if key[1] is None:
            raise _bad_request("message identifier is not specified")
        if key in self.messages:
            message_key = (key[0], int(key[1]))
            self.deleted[message_key] = self.messages.pop(message_key)
            self._touched.pop(message_key, None)
            return True
        if key in self.user_messages:
            del self.user_messages[(key[0], int(key[1]))]
            return True
        raise _bad_request("message to delete not found")

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._callback_queries or query_id in self.callback_answers:
            raise ApiError(400, QUERY_INVALID)
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = json_copy(params)
        return True

    def _photo_sizes(self, photo: Any) -> list[JSON]:
        if isinstance(photo, UploadedFile):
            entry = self.files[photo.file_id]
            data = entry.data or b""
            width, height = _png_size(data) or (1280, 960)
            dims = _photo_dimensions(width, height)
            sizes: list[JSON] = []
            for index, (w, h) in enumerate(dims):
                is_full = index == len(dims) - 1
                file_id = photo.file_id if is_full else f"{photo.file_id}-s{index}"
                unique = entry.file_unique_id if is_full else f"{entry.file_unique_id}-s{index}"
                size = len(data) if is_full else max(1, len(data) * w * h // (width * height))
                if not is_full:
                    self.store_file(file_id, unique, size=size, kind="photos", ext="jpg")
                sizes.append(
                    {
                        "file_id": file_id,
                        "file_unique_id": unique,
                        "width": w,
                        "height": h,
                        "file_size": size,
                    }
                )
            entry.meta["photo_sizes"] = json_copy(sizes)
            return sizes
        file_id = str(photo)
        known = self.files.get(file_id)
        if known is not None and "photo_sizes" in known.meta:
            return json_copy(known.meta["photo_sizes"])
        return [
            {
                "file_id": file_id,
                "file_unique_id": known.file_unique_id if known else f"uniq-{file_id}",
                "width": 1280,
                "height": 960,
                "file_size": known.size if known else 100_000,
            }
        ]

    def _send_photo(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if not params.get("photo"):
            raise _bad_request("there is no photo in the request")
        message = self._new_bot_message(chat_id, params)
        markup = self._inline_markup(params)
        self._apply_caption(message, params)
        message["photo"] = self._photo_sizes(params["photo"])
        self._set_or_pop(message, "reply_markup", markup)
        return self._store(message)

    def _document(self, document: Any) -> JSON:
        if isinstance(document, UploadedFile):
            entry = self.files[document.file_id]
            return {
                "file_id": entry.file_id,
                "file_unique_id": entry.file_unique_id,
                "file_name": document.filename,
                "mime_type": document.mime_type,
                "file_size": document.size,
            }
        file_id = str(document)
        known = self.files.get(file_id)
        result: JSON = {
            "file_id": file_id,
            "file_unique_id": known.file_unique_id if known else f"uniq-{file_id}",
        }
        if known is not None:
            result.update({k: v for k, v in known.meta.items() if k in ("file_name", "mime_type")})
            result["file_size"] = known.size
        return result

    def _send_document(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if not params.get("document"):
            raise _bad_request("there is no document in the request")
        message = self._new_bot_message(chat_id, params)
        markup = self._inline_markup(params)
        self._apply_caption(message, params)
        message["document"] = self._document(params["document"])
        self._set_or_pop(message, "reply_markup", markup)
        return self._store(message)

    def _send_media(self, field_name: str, params: JSON) -> JSON:
        """sendVoice/sendAudio/sendVideo/sendVideoNote by file_id (as the bot re-sends evidence)."""
        chat_id = self._chat_id(params)
        file_id = params.get(field_name)
        if not file_id:
            raise _bad_request(f"there is no {field_name} in the request")
        known = self.files.get(str(file_id))
        if known is None:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        message = self._new_bot_message(chat_id, params)
        if field_name != "video_note":  # Telegram takes no caption on a video note
            self._apply_caption(message, params)
        message[field_name] = {
            "file_id": known.file_id,
            "file_unique_id": known.file_unique_id,
            "file_size": known.size,
            **known.meta,
        }
        self._set_or_pop(message, "reply_markup", self._inline_markup(params))
        return self._store(message)

    def _send_chat_action(self, params: JSON) -> bool:
        self._chat_id(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _source_message(self, params: JSON, verb: str) -> JSON:
        from_chat = self._chat_id(params, "from_chat_id")
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        key = (from_chat, message_id)
        source = self.messages.get(key) or self.user_messages.get(key)
        if source is None:
            raise _bad_request(f"message to {verb} not found")
        return json_copy(source)

    def _copy_message(self, params: JSON) -> JSON:
        source = self._source_message(params, "copy")
        chat_id = self._chat_id(params)
        message = self._new_bot_message(chat_id, params)
        message.update({k: source[k] for k in _CONTENT_KEYS if k in source})
        if "caption" in params:
            message.pop("caption", None)
            message.pop("caption_entities", None)
            self._apply_caption(message, params)
        self._set_or_pop(message, "reply_markup", self._inline_markup(params))
        self._store(message)
        return {"message_id": message["message_id"]}

    def _forward_message(self, params: JSON) -> JSON:
        source = self._source_message(params, "forward")
        chat_id = self._chat_id(params)
        message = self._new_bot_message(chat_id, params)
        message.update({k: source[k] for k in _CONTENT_KEYS if k in source})
        message["forward_origin"] = {
            "type": "user",
            "sender_user": source["from"] if "from" in source else dict(BOT_USER),
            "date": source.get("date", self.now()),
        }
        return self._store(message)

    def _get_file(self, params: JSON) -> JSON:
        entry = self.files.get(str(params.get("file_id", "")))
        if entry is None:
            raise _bad_request("invalid file_id")
        if entry.size > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        if entry.file_path is None:
            entry.file_path = f"{entry.kind}/file_{self.next_serial()}.{entry.ext}"
        return {
            "file_id": entry.file_id,
            "file_unique_id": entry.file_unique_id,
            "file_size": entry.size,
            "file_path": entry.file_path,
        }
