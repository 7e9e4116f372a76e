"""How PTB reaches the fake: in process (a BaseRequest) or over real HTTP (a local server)."""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from tests.fakebot.api import (
    AnswerLost,
    ApiCall,
    ApiError,
    FakeBotApi,
    UploadedFile,
    decode_form_value,
)
from tests.fakebot.common import JSON

_METHOD_ROUTE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?$")
_FILE_ROUTE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")


def _not_found() -> tuple[int, bytes]:
    body = {"ok": False, "error_code": 404, "description": "Not Found"}
    return 404, json.dumps(body).encode()


def params_from_request_data(request_data: RequestData | None, api: FakeBotApi) -> JSON:
    """The parameters PTB passed for one request, with uploads stored in the api."""
    if request_data is None:
        return {}
    params: JSON = dict(request_data.parameters)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        params[name] = api.store_upload(name, filename, data, mime_type)
    _resolve_attachments(params)
    return params


def _resolve_attachments(params: JSON) -> None:
    """Point `attach://name` values at the upload recorded under that part name."""
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            upload = params.pop(value.removeprefix("attach://"), None)
            if isinstance(upload, UploadedFile):
                params[key] = upload


class FakeRequest(BaseRequest):
    """In-process PTB request adapter that answers from a FakeBotApi instead of the network."""

    def __init__(self, api: FakeBotApi, *, read_timeout: float | None = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout
        self.tokens_seen: list[str] = []

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout PTB adds to getUpdates' long-poll timeout."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Route a Bot API method call or a file download to the fake."""
        path = unquote(urlsplit(url).path)
        file_match = _FILE_ROUTE.search(path)
        if file_match:
            self._note_token(file_match["token"])
            data = self.api.download(file_match["path"])
            return (200, data) if data is not None else _not_found()
        method_match = _METHOD_ROUTE.search(path)
        if not method_match:
            return _not_found()
        self._note_token(method_match["token"])
        params = params_from_request_data(request_data, self.api)
        try:
            status, body = await self.api._answer_async(
                method_match["method"], params, method_match["token"]
            )
        except AnswerLost as lost:
            # What PTB raises when the read timeout passes before Telegram's answer arrives.
            raise TimedOut(f"the answer to {lost} never arrived") from None
        return status, json.dumps(body).encode()

    def _note_token(self, token: str) -> None:
        if token not in self.tokens_seen:
            self.tokens_seen.append(token)


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks: list[bytes] = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                handler.rfile.readline()
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _header_param(header: str, name: str) -> str | None:
    match = re.search(rf'(?:^|;)\s*{name}="((?:[^"\\]|\\.)*)"', header) or re.search(
        rf"(?:^|;)\s*{name}=([^;\s]+)", header
    )
    return unquote(match.group(1)) if match else None


def parse_multipart(body: bytes, content_type: str, api: FakeBotApi) -> JSON:
    """Parse a multipart/form-data body: fields decoded, file parts stored as uploads."""
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        return {}
    params: JSON = {}
    for part in body.split(b"--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = _header_param(disposition, "name")
        if name is None:
            continue
        filename = _header_param(disposition, "filename")
        if filename is not None:
            mime = headers.get("content-type", "application/octet-stream")
            params[name] = api.store_upload(name, filename, content, mime)
        else:
            params[name] = decode_form_value(name, content.decode("utf-8"))
    _resolve_attachments(params)
    return params


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeBotApiServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up on a long poll (bot stopped) is normal here, not a failure.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add about 40 ms to every keep-alive call (#9 load benchmark).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines contain the bot token; keep them out of test logs.
        return

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _send_json(self, status: int, body: JSON) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _serve(self) -> None:
        fake = self.server.fake
        split = urlsplit(self.path)
        path = unquote(split.path)
        body = _read_body(self)
        file_match = _FILE_ROUTE.search(path)
        if file_match:
            fake._note_token(file_match["token"])
            data = fake.api.download(file_match["path"])
            if data is None:
                status, payload = _not_found()
                self._send(status, payload, "application/json")
            else:
                self._send(200, data, "application/octet-stream")
            return
        method_match = _METHOD_ROUTE.search(path)
        if not method_match:
            status, payload = _not_found()
            self._send(status, payload, "application/json")
            return
        token = method_match["token"]
        fake._note_token(token)
        if fake.token is not None and token != fake.token:
            self._send_json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        params: JSON = {
            key: decode_form_value(key, value)
            for key, value in parse_qsl(split.query, keep_blank_values=True)
        }
        content_type = self.headers.get("Content-Type", "")
        try:
            if body and content_type.startswith("application/json"):
                params.update(json.loads(body))
            elif body and content_type.startswith("multipart/form-data"):
                params.update(parse_multipart(body, content_type, fake.api))
            elif body:
                for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
                    params[key] = decode_form_value(key, value)
        except (ValueError, TypeError) as exc:
            error = ApiError(400, f"Bad Request: can't parse request body: {exc}")
            self._send_json(400, error.envelope())
            return
        if not fake._wait_while_held(method_match["method"]):
            # Released without an answer (the caller was killed meanwhile): nothing happened.
            self._send_json(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
            return
        try:
            status, envelope = fake.api.handle(method_match["method"], params, token=token)
        except AnswerLost:
            # The call was carried out; the client never hears back (as after a timeout).
            self.close_connection = True
            return
        self._send_json(status, envelope)


class FakeBotApiServer:
    """The FakeBotApi over real HTTP on 127.0.0.1, for a bot that runs its own HTTP client."""

    def __init__(self, api: FakeBotApi | None = None, *, token: str | None = None) -> None:
        self.api = api or FakeBotApi()
        self.token = token
        self.tokens_seen: list[str] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._tokens_lock = threading.Lock()
        self._held: set[str] = set()
        self._drop_released = False
        self._holding = threading.Condition()
        self._waiting_held = 0

    def hold(self, method: str) -> None:
        """Keep calls of `method` waiting, unanswered and unrecorded, until released."""
        with self._holding:
            self._held.add(method)

    def release(self, method: str, *, answer: bool = True) -> None:
        """Let held calls go on: answered as usual, or (answer=False) refused with a 502."""
        with self._holding:
            self._held.discard(method)
            self._drop_released = not answer
            self._holding.notify_all()

    @property
    def held_calls(self) -> int:
        """How many calls are waiting on a hold right now."""
        with self._holding:
            return self._waiting_held

    def _wait_while_held(self, method: str) -> bool:
        with self._holding:
            if method not in self._held:
                return True
            self._waiting_held += 1
            try:
                while method in self._held:
                    self._holding.wait(timeout=0.1)
            finally:
                self._waiting_held -= 1
            return not self._drop_released

    def start(self) -> Self:
        """Bind an ephemeral port and serve in a daemon thread."""
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-bot-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release long polls, stop serving and close the socket."""
        self.api.wake_pollers()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._httpd is None:
            raise RuntimeError("FakeBotApiServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """Server root, e.g. http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_base_url(self) -> str:
        """Value for ApplicationBuilder.base_url (the token is appended by PTB)."""
        return f"{self.base_url}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url."""
        return f"{self.base_url}/file/bot"

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue an update for the bot's getUpdates; returns its update_id."""
        return self.api.push_update(update)

    def wait_for(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
        include_pending: bool = False,
    ) -> ApiCall:
        """Block until the bot made a matching call (for a bot running in another process)."""
        return self.api.wait_for(
            method, predicate, timeout, since=since, include_pending=include_pending
        )

    def _note_token(self, token: str) -> None:
        with self._tokens_lock:
            if token not in self.tokens_seen:
                self.tokens_seen.append(token)
