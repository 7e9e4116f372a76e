"""The webhook server: refuse what is not Telegram's before reading a byte of its body.

PTB's built-in handler lets tornado read the whole body into memory (up to 100 MB) and only
then looks at the secret token, so anyone who finds the URL can make the bot allocate big
bodies. This handler streams the body: the secret token header and the declared length are
checked as soon as the headers arrive, a body is kept only up to MAX_UPDATE_BYTES (Telegram's
updates are a few kilobytes), and whatever a refused request still sends is discarded chunk by
chunk by tornado, so memory stays flat under a flood.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence
from http import HTTPStatus
from pathlib import Path
from socket import socket
from typing import Any

import tornado.web
from telegram import Bot, Update
from telegram.ext import ExtBot, Updater
from telegram.ext._utils.webhookhandler import WebhookAppClass, WebhookServer

from bot.core.inbox import InboxQueue

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# Telegram's updates are small (a message of 4096 characters is ~16 kB of JSON): 1 MB is generous.
MAX_UPDATE_BYTES = 1024 * 1024


class UpdateRefused(tornado.web.HTTPError):
    """A request answered with an error status before (or while) its body arrives."""


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """One POSTed update: secret and size first, then the JSON, then the intake queue."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(
        self, bot: Bot, update_queue: asyncio.Queue[object], secret_token: str | None
    ) -> None:
        """Per request: tornado's way of passing the shared objects."""
        self.bot = bot
        self.update_queue = update_queue
        self.secret_token = secret_token
        self.body = bytearray()

    def prepare(self) -> None:
        """Runs when the headers are in and before any of the body is read."""
        headers = self.request.headers
        if self.secret_token is not None:
            token = headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(token.encode(), self.secret_token.encode()):
                log.debug("webhook request without the right secret token refused")
                raise UpdateRefused(HTTPStatus.FORBIDDEN)
        if headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise UpdateRefused(HTTPStatus.FORBIDDEN)
        declared = headers.get("Content-Length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_UPDATE_BYTES):
            raise UpdateRefused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        """Keep the body up to the cap (a chunked body has no declared length to check)."""
        if self._finished:
            return
        if len(self.body) + len(chunk) > MAX_UPDATE_BYTES:
            self.body.clear()
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        self.body += chunk

    async def post(self) -> None:
        """Parse the update and hand it over; 200 only once the intake has taken it."""
        if self._finished:
            return
        try:
            data = json.loads(self.body)
            update = Update.de_json(data, self.bot)
        except Exception as exc:
            log.warning("webhook body is not a Telegram update (%s)", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        if isinstance(self.update_queue, InboxQueue):
            # Stored as Telegram sent it: the body is the update's JSON already.
            await self.update_queue.put_received(update, self.body.decode())
        else:
            await self.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A bare status: nothing about the bot in the body of a refusal."""
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Refusals are expected; anything else is logged once, without the request body."""
        if not isinstance(value, tornado.web.HTTPError):
            log.error("webhook request failed", exc_info=(typ, value, tb))


class WebhookApp(WebhookAppClass):
    """PTB's webhook application (no access log), serving the path with UpdateHandler."""

    def __init__(
        self, path: str, bot: Bot, update_queue: asyncio.Queue[object], secret: str | None
    ) -> None:
        self.shared_objects = {"bot": bot, "update_queue": update_queue, "secret_token": secret}
        tornado.web.Application.__init__(self, [(rf"{path}/?", UpdateHandler, self.shared_objects)])


class GuardedUpdater(Updater):
    """PTB's Updater with :class:`UpdateHandler` as its webhook server's handler."""

    async def _start_webhook(
        self,
        listen: str,
        port: int,
        url_path: str,
        bootstrap_retries: int,
        allowed_updates: Sequence[str] | None,
        cert: str | Path | None = None,
        key: str | Path | None = None,
        drop_pending_updates: bool | None = None,
        webhook_url: str | None = None,
        ready: asyncio.Event | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: str | Path | socket | None = None,
    ) -> None:
        # The same steps as Updater._start_webhook (TLS is the reverse proxy's job here).
        if cert is not None or key is not None or unix is not None:
            raise ValueError("the guarded webhook server serves plain HTTP on a TCP port")
        if not url_path.startswith("/"):
            url_path = f"/{url_path}"
        app = WebhookApp(url_path, self.bot, self.update_queue, secret_token)
        self._httpd = WebhookServer(listen, port, app, None)
        await self._bootstrap(
            cert=None,
            max_retries=bootstrap_retries,
            drop_pending_updates=drop_pending_updates,
            webhook_url=webhook_url or f"http://{listen}:{port}{url_path}",
            allowed_updates=allowed_updates,
            ip_address=ip_address,
            max_connections=max_connections,
            secret_token=secret_token,
        )
        await self._httpd.serve_forever(ready=ready)
