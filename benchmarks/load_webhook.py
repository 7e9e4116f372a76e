"""Load test: many simulated users at once against a webhook-mode bot process, over loopback.

A real `python -m bot` runs in webhook mode; its outgoing Bot API calls go to an in-process
FakeBotApiServer, which timestamps every reply. Each simulated user plays a script (the way a
person would: send, wait for the reply, go on); all users run at once. Measured per backend:
updates/s, p50/p95 handling latency (POST sent -> the bot's reply reaching the fake API),
errors (non-200, a wrong or failed reply, ERROR lines in the bot's log) and lost updates
(posted, never answered). Bounded: users x script length updates, --budget seconds per level.

    /work/main/.venv/bin/python benchmarks/load_webhook.py [--users 10,60] [--backends sqlite]

Appends the figures to benchmarks/RESULTS.md (unless --no-record).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx
from sqlalchemy import delete

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ui.texts import NOTHING_SAVED  # noqa: E402
from storage.db import create_engine  # noqa: E402
from storage.models import User  # noqa: E402
from tests.botprocess import (  # noqa: E402
    SECRET_HEADER,
    BotProcess,
    bot_env,
    free_port,
    wait_for_port,
)
from tests.fakebot import FakeBotApi, FakeBotApiServer  # noqa: E402

TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN1"
SECRET = "load-benchmark-secret"
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://practice:practice@127.0.0.1:5432/practice_bench"
)
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
# The answer a user waits for; pictures that follow a text (e.g. /progress's chart) come later
# and are not counted, so they cannot be taken for the answer to the next step.
VISIBLE = ("sendMessage", "editMessageText")
ZONES = ("Berlin", "London", "New York", "Tokyo", "Kolkata", "Sao Paulo")


# ----- what each simulated user does -----


@dataclass(frozen=True, slots=True)
class Step:
    """Send a text, or tap a button of the newest keyboard; `sees` must be in the reply."""

    kind: Literal["send", "tap"]
    arg: str
    sees: str


def send(text: str, sees: str) -> Step:
    """A message (a /command gets its entity)."""
    return Step("send", text, sees)


def tap(label: str, sees: str) -> Step:
    """A press of the button labelled `label` on the newest message that has it."""
    return Step("tap", label, sees)


def more_steps(n: int, charts: bool) -> list[Step]:
    """Steps of later features, after the set-up ones (HOOK: /history (#4) goes here)."""
    steps = [
        send(f"/log Skill {n} 30m practised scales for the load test", "✅ Saved"),
        send("/quick", "Quick log"),
        tap(f"Skill {n} 15m", "Logged"),
        send("/stats", "This week"),
    ]
    if charts:
        # /progress answers with text, then renders a chart (matplotlib) and sends it.
        steps.append(send(f"/progress Skill {n}", f"Skill {n}"))
    return steps


def script(n: int, charts: bool = False) -> list[Step]:
    """User n's session: set up, add a skill, list, time zone, then log and look at stats."""
    return [
        send("/start", "Which time zone are you in?"),
        tap(ZONES[n % len(ZONES)], "first skill"),
        send(f"Skill {n}", "You're all set"),
        send(f"/addskill Extra {n}", "Added"),
        send("/skills", "Your skills"),
        send("/timezone", "Your time zone is"),
        tap("Tokyo", "Your time zone is now"),
        *more_steps(n, charts),
    ]


# ----- the fake Bot API, reporting replies as they arrive -----


@dataclass(frozen=True, slots=True)
class Reply:
    """A visible answer the bot sent to a chat."""

    at: float
    text: str


class TimedBotApi(FakeBotApi):
    """FakeBotApi that hands each visible reply to the waiting user, with its arrival time."""

    def __init__(self, latency_ms: float) -> None:
        super().__init__()
        self.latency = latency_ms / 1000
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: dict[int, asyncio.Queue[Reply]] = {}

    def handle(
        self, method: str, params: Mapping[str, Any], *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer like the fake, after the simulated network latency; report visible replies."""
        if self.latency:
            time.sleep(self.latency)  # a server thread per connection: sleeping blocks only it
        status, body = super().handle(method, params, token=token)
        at = time.perf_counter()
        chat = params.get("chat_id")
        if method in VISIBLE and self.loop is not None:
            text = str(params.get("text", params.get("caption", "")))
            queue = self.queues.get(int(str(chat))) if chat is not None else None
            if queue is not None:
                with contextlib.suppress(RuntimeError):  # a late reply after the run ended
                    self.loop.call_soon_threadsafe(queue.put_nowait, Reply(at, text))
        return status, body


# ----- driving users -----


@dataclass
class Tally:
    """What happened during one run."""

    latencies: list[float] = field(default_factory=list)
    posted: int = 0
    not_sent: int = 0
    lost: int = 0
    http_errors: int = 0
    wrong_replies: int = 0
    samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        """Keep a few examples for the report."""
        if len(self.samples) < 5:
            self.samples.append(what)


class Driver:
    """Plays every user's script against the bot's webhook at once."""

    def __init__(
        self, api: TimedBotApi, url: str, first_id: int, reply_timeout: float, charts: bool
    ) -> None:
        self.api = api
        self.charts = charts
        self.url = url
        self.first_id = first_id
        self.reply_timeout = reply_timeout
        self.tally = Tally()
        self.query_serial = 0

    async def run(self, users: int, budget: float) -> float:
        """Run all users; returns the wall time from the first POST to the last reply."""
        self.api.loop = asyncio.get_running_loop()
        for n in range(users):
            self.api.queues[self.first_id + n] = asyncio.Queue()
        limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
        deadline = time.perf_counter() + budget
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            started = time.perf_counter()
            await asyncio.gather(*(self.user(client, n, deadline) for n in range(users)))
            return time.perf_counter() - started

    async def user(self, client: httpx.AsyncClient, n: int, deadline: float) -> None:
        """One person: each step waits for the bot's answer to the previous one."""
        chat_id = self.first_id + n
        queue = self.api.queues[chat_id]
        steps = script(n, self.charts)
        for index, step in enumerate(steps):
            if time.perf_counter() > deadline:
                self.tally.not_sent += len(steps) - index
                return
            update = self.update_for(chat_id, step)
            if update is None:
                self.tally.wrong_replies += 1
                self.tally.error(f"user {n}: no button {step.arg!r} to tap")
                self.tally.not_sent += len(steps) - index - 1
                return
            while not queue.empty():
                queue.get_nowait()
            sent_at = time.perf_counter()
            response = await client.post(self.url, json=update, headers={SECRET_HEADER: SECRET})
            self.tally.posted += 1
            if response.status_code != 200:
                self.tally.http_errors += 1
                self.tally.error(f"user {n}: HTTP {response.status_code}")
                continue
            try:
                reply = await asyncio.wait_for(queue.get(), self.reply_timeout)
            except TimeoutError:
                self.tally.lost += 1
                self.tally.error(f"user {n}: no reply to {step.arg!r}")
                self.tally.not_sent += len(steps) - index - 1
                return
            self.tally.latencies.append(reply.at - sent_at)
            if step.sees not in reply.text or NOTHING_SAVED in reply.text:
                self.tally.wrong_replies += 1
                self.tally.error(f"user {n}: {step.arg!r} -> {reply.text[:80]!r}")

    def update_for(self, chat_id: int, step: Step) -> dict[str, Any] | None:
        """The Telegram update for a step, as the client would send it."""
        user = {"id": chat_id, "is_bot": False, "first_name": f"User{chat_id % 10_000}"}
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        update_id = self.api.next_update_id()
        if step.kind == "send":
            message: dict[str, Any] = {
                "message_id": self.api.next_message_id(chat_id),
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                "text": step.arg,
            }
            if step.arg.startswith("/"):
                length = len(step.arg.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            return {"update_id": update_id, "message": message}
        for shown in reversed(self.api.bot_messages(chat_id)):
            for row in (shown.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == step.arg:
                        self.query_serial += 1
                        query_id = f"{chat_id}q{self.query_serial}"
                        self.api.register_callback_query(query_id, chat_id)
                        return {
                            "update_id": update_id,
                            "callback_query": {
                                "id": query_id,
                                "from": user,
                                "message": shown,
                                "chat_instance": f"ci-{chat_id}",
                                "data": button["callback_data"],
                            },
                        }
        return None


# ----- one run per backend -----


@dataclass(frozen=True, slots=True)
class Result:
    """Figures of one run."""

    backend: str
    users: int
    updates: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_ms_per_update: float
    errors: int
    lost: int
    not_sent: int
    samples: tuple[str, ...]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


async def _forget_users(url: str, first_id: int, users: int) -> None:
    """Remove this run's users (and by cascade all they saved) from a shared database."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(delete(User).where(User.id >= first_id, User.id < first_id + users))
    finally:
        await engine.dispose()


def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> list[Result]:
    """Start the bot on `backend`, drive it at each load level in turn, stop it."""
    url = f"sqlite+aiosqlite:///{workdir / 'load.db'}" if backend == "sqlite" else PG_URL
    # A fresh id range per run, so a shared PostgreSQL database holds nobody from earlier runs.
    first_id = 7_000_000_000 + (int(time.time() * 1000) % 1_000_000) * 1000
    levels = [int(n) for n in str(args.users).split(",")]
    api = TimedBotApi(args.api_latency_ms)
    port = free_port()
    results: list[Result] = []
    with FakeBotApiServer(api) as server:
        env = bot_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=server.base_url,
            DATABASE_URL=url,
            WEBHOOK_URL="https://bot.example.com/telegram/hook",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            LOG_LEVEL="WARNING",
            RATE_LIMIT_PER_SECOND=str(args.rate_limit),
        )
        if args.concurrency:
            env["CONCURRENT_UPDATES"] = str(args.concurrency)
        bot = BotProcess(env, workdir)
        try:
            server.wait_for("setWebhook", timeout=60)
            wait_for_port(port)
            for level, users in enumerate(levels):
                first = first_id + level * 100_000
                hook = f"http://127.0.0.1:{port}/telegram/hook"
                driver = Driver(api, hook, first, args.reply_timeout, args.charts)
                log_before = len(bot.output())
                cpu_before = _cpu_seconds(bot.proc.pid)
                seconds = asyncio.run(driver.run(users, args.budget))
                cpu = _cpu_seconds(bot.proc.pid) - cpu_before
                results.append(
                    _result(backend, users, driver.tally, seconds, cpu, bot.output()[log_before:])
                )
        finally:
            output = bot.stop()
            if args.keep_log:
                Path(args.keep_log).write_text(output)
    if backend != "sqlite":
        asyncio.run(_forget_users(url, first_id, len(levels) * 100_000))
    return results


def _result(backend: str, users: int, tally: Tally, seconds: float, cpu: float, log: str) -> Result:
    log_errors = [line for line in log.splitlines() if " ERROR " in line]
    answered = len(tally.latencies)
    ms = [x * 1000 for x in tally.latencies]
    return Result(
        backend=backend,
        users=users,
        updates=tally.posted,
        seconds=seconds,
        per_second=answered / seconds if seconds else 0.0,
        p50_ms=_percentile(ms, 50),
        p95_ms=_percentile(ms, 95),
        max_ms=max(ms) if ms else float("nan"),
        cpu_ms_per_update=cpu * 1000 / answered if answered else float("nan"),
        errors=tally.http_errors + tally.wrong_replies + len(log_errors),
        lost=tally.lost,
        not_sent=tally.not_sent,
        samples=tuple(tally.samples + [line[:160] for line in log_errors[:3]]),
    )


def _step_names(charts: bool) -> list[str]:
    return [s.arg.split()[0] if s.kind == "send" else "tap" for s in script(0, charts)]


def _table(results: list[Result]) -> str:
    lines = [
        "| backend | users | updates | s | updates/s | p50 ms | p95 ms | max ms "
        "| bot CPU ms/update | errors | lost |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.backend} | {r.users} | {r.updates} | {r.seconds:.1f} | {r.per_second:.0f} | "
            f"{r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.max_ms:.0f} | {r.cpu_ms_per_update:.1f} | "
            f"{r.errors} | {r.lost} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Run the load test on each backend, print the figures, and record them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--users", default="10,60", help="load levels: users at once, run one after another"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--budget", type=float, default=45.0, help="seconds per run, at most")
    parser.add_argument("--reply-timeout", type=float, default=20.0)
    parser.add_argument(
        "--api-latency-ms", type=float, default=0.0, help="simulated Bot API round trip"
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=0.0,
        help="RATE_LIMIT_PER_SECOND for the bot (0: off, to measure the bot, not the limiter)",
    )
    parser.add_argument(
        "--concurrency", type=int, default=0, help="CONCURRENT_UPDATES (0: the bot's default)"
    )
    parser.add_argument(
        "--charts", action="store_true", help="every user also asks /progress (renders a chart)"
    )
    parser.add_argument("--note", default="", help="a label for RESULTS.md")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--keep-log", default="", help="write the bot's log to this file")
    args = parser.parse_args()

    # These machines are shared: say how busy this one was, to read the figures by.
    load_before = os.getloadavg()[0]
    results = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            results.extend(run_backend(backend.strip(), args, Path(tmp)))
    for result in results:
        print(
            f"{result.backend:10s} {result.updates:5d} updates in {result.seconds:5.1f} s: "
            f"{result.per_second:6.0f} updates/s, p50 {result.p50_ms:5.0f} ms, "
            f"p95 {result.p95_ms:5.0f} ms, max {result.max_ms:5.0f} ms, "
            f"bot CPU {result.cpu_ms_per_update:4.1f} ms/update, "
            f"errors {result.errors}, lost {result.lost}, not sent {result.not_sent}",
            flush=True,
        )
        for sample in result.samples:
            print(f"    e.g. {sample}")
    table = _table(results)
    print()
    print(table)
    if not args.no_record:
        settings = (
            f"{len(script(0, args.charts))} updates per user "
            f"({', '.join(_step_names(args.charts))}), users all at "
            f"once; simulated Bot API latency "
            f"{args.api_latency_ms:.0f} ms; RATE_LIMIT_PER_SECOND={args.rate_limit:g}; "
            f"CONCURRENT_UPDATES={args.concurrency or 'default'}; "
            f"load average before: {load_before:.1f}"
        )
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with RESULTS.open("a") as out:
            out.write(
                f"\n### #9 load_webhook.py {args.note} ({when}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()})\n\n{settings}.\n\n{table}\n"
            )
    failed = any(r.errors or r.lost for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
