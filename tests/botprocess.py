"""Run `python -m bot` as a real process (for process-level tests and benchmarks)."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Settings a developer's shell may carry that must not leak into a test's bot process.
_SETTING_PREFIXES = ("TELEGRAM_", "DATABASE_", "WEBHOOK_", "LOG_", "RATE_LIMIT_")


def bot_env(**settings: str) -> dict[str, str]:
    """The current environment without bot settings, plus `settings` and this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTING_PREFIXES)}
    env.update(settings)
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def post_update(url: str, update: Mapping[str, Any], secret: str | None) -> int:
    """POST an update as Telegram does; returns the HTTP status."""
    request = urllib.request.Request(  # noqa: S310 (loopback test URL)
        url,
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if secret is not None:
        request.add_header(SECRET_HEADER, secret)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def command_update(
    update_id: int, user_id: int, text: str, first_name: str = "Sarah"
) -> dict[str, Any]:
    """A private-chat message update; a leading /command gets its bot_command entity."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": first_name},
        "from": {"id": user_id, "is_bot": False, "first_name": first_name},
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split()[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": update_id, "message": message}


class BotProcess:
    """`python -m bot` in a subprocess, its output going to a file (a pipe could fill up)."""

    def __init__(self, env: Mapping[str, str], cwd: Path, args: tuple[str, ...] = ()) -> None:
        self.log_path = cwd / "bot-output.log"
        self._log: IO[str] = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=dict(env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def output(self) -> str:
        """Everything the process printed so far."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def stop(self, timeout: float = 20.0) -> str:
        """Stop it as systemd would (SIGTERM, then SIGKILL) and return its whole output."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.log_path.read_text()

    def wait(self, timeout: float = 60.0) -> int:
        """Wait for the process to exit on its own; returns its exit code."""
        code = self.proc.wait(timeout=timeout)
        self._log.close()
        return code


def post_big_body(
    port: int, path: str, size: int, secret: str | None, *, chunked: bool = False
) -> int:
    """POST `size` bytes of zeros to 127.0.0.1:port; the HTTP status the server answered.

    Sends the body in 1 MB pieces and stops as soon as the server has answered (a server that
    refuses early need not be fed the rest); a connection it closes mid-body is no error.
    """
    headers = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json"]
    headers.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    if secret is not None:
        headers.append(f"{SECRET_HEADER}: {secret}")
    piece = b"0" * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        sent = 0
        try:
            while sent < size and not select.select([sock], [], [], 0)[0]:
                part = piece[: size - sent]
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
                sent += len(part)
            if chunked and sent >= size:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def rss_bytes(pid: int) -> int:
    """The resident memory of a process (Linux), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
