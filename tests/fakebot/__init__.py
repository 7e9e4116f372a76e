"""A fake Telegram Bot API for tests: one responder, reachable in-process or over real HTTP.

- common: JSON shapes, the bot's identity, UTF-16 lengths, JSON copies, keyboard texts
- html: Telegram's HTML parse mode (parse_html, HtmlParseError)
- api: the state and the methods (FakeBotApi, ApiCall, ApiError, files, limits, error texts)
- transport: how PTB reaches it (FakeRequest in process, FakeBotApiServer over HTTP)

Everything public is re-exported here, so `from tests.fakebot import X` keeps working.
"""

from __future__ import annotations

from tests.fakebot.api import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_DOWNLOAD_BYTES,
    MAX_TEXT_LENGTH,
    NOT_MODIFIED,
    POLL_CONFLICT,
    QUERY_INVALID,
    WEBHOOK_CONFLICT,
    AnswerLost,
    ApiCall,
    ApiError,
    FakeBotApi,
    FileEntry,
    UploadedFile,
    decode_form_value,
    normalize_params,
)
from tests.fakebot.common import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    BOT_USERNAME,
    JSON,
    json_copy,
    keyboard_texts,
    utf16_len,
)
from tests.fakebot.html import (
    HtmlParseError,
    parse_html,
)
from tests.fakebot.transport import (
    FakeBotApiServer,
    FakeRequest,
    params_from_request_data,
    parse_multipart,
)

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_ID",
    "BOT_TOKEN",
    "BOT_USER",
    "BOT_USERNAME",
    "JSON",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_DOWNLOAD_BYTES",
    "MAX_TEXT_LENGTH",
    "NOT_MODIFIED",
    "POLL_CONFLICT",
    "QUERY_INVALID",
    "WEBHOOK_CONFLICT",
    "AnswerLost",
    "ApiCall",
    "ApiError",
    "FakeBotApi",
    "FakeBotApiServer",
    "FakeRequest",
    "FileEntry",
    "HtmlParseError",
    "UploadedFile",
    "decode_form_value",
    "json_copy",
    "keyboard_texts",
    "normalize_params",
    "params_from_request_data",
    "parse_html",
    "parse_multipart",
    "utf16_len",
]
