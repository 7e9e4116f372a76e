"""The Sender's limits, on virtual time: even spacing, one per second per chat, 429s, retries."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.config import Settings
from bot.core.runtime import BotApp
from bot.jobs.sender import (
    PACE,
    WINDOW_MARGIN,
    NoLongerWanted,
    Sender,
    delivery_bot,
    retry_seconds,
)
from tests.fakebot import FakeBotApi, FakeRequest
from tests.support import TEST_TOKEN


class VirtualTime:
    """A clock that jumps forward when the (single) sending task sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


@pytest.fixture
def vt() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def bot() -> tuple[Bot, FakeBotApi]:
    api = FakeBotApi()
    return Bot(TEST_TOKEN, request=FakeRequest(api)), api


MAX_RATE = 30 * PACE


def _sender(vt: VirtualTime, cap: float = 30, **options: float) -> Sender:
    return Sender(cap, monotonic=vt.monotonic, sleep=vt.sleep, **options)  # type: ignore[arg-type]


async def _send(
    sender: Sender, bot: Bot, vt: VirtualTime, chat: int, stamps: list[float]
) -> Message:
    async def make() -> Message:
        stamps.append(vt.now)
        return await bot.send_message(chat, "hi")

    return await sender.send(chat, make)


def _max_in_any_second(stamps: list[float]) -> int:
    return max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)


async def test_sends_are_evenly_spaced_at_the_rate_and_never_31_in_a_second(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    sender, stamps = _sender(vt), []
    for chat in range(1, 91):
        await _send(sender, bot[0], vt, chat, stamps)
    gaps = [b - a for a, b in pairwise(stamps)]
    assert min(gaps) == pytest.approx(1 / MAX_RATE)
    assert max(gaps) == pytest.approx(1 / MAX_RATE)
    assert _max_in_any_second(stamps) == 30
    assert (len(stamps) - 1) / (stamps[-1] - stamps[0]) >= 0.95 * 30


async def test_one_message_per_second_per_chat(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    sender, stamps = _sender(vt), []
    for chat in (7, 7, 8, 7):
        await _send(sender, bot[0], vt, chat, stamps)
    first, second, other, third = stamps
    assert second - first == pytest.approx(1.0)
    assert other - second == pytest.approx(1 / MAX_RATE)  # another chat need not wait
    assert third - second == pytest.approx(1.0)


async def test_flood_control_pauses_everything_for_the_time_asked_then_resumes_evenly(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    client, api = bot
    sender, stamps = _sender(vt), []
    for chat in (1, 2):
        await _send(sender, client, vt, chat, stamps)
    api.fail_next("sendMessage", status=429, retry_after=3)
    for chat in (3, 4, 5):
        await _send(sender, client, vt, chat, stamps)
    assert sender.pauses == [3.0]
    failed, retried, after, last = stamps[2:]
    assert retried - failed >= 3.0
    assert after - retried == pytest.approx(1 / MAX_RATE)  # no burst once the pause is over
    assert last - after == pytest.approx(1 / MAX_RATE)
    assert [call.status for call in api.sent("sendMessage")] == [200, 200, 429, 200, 200, 200]


async def test_network_errors_back_off_then_give_up(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    client, api = bot
    sender = _sender(vt, backoff=0.5, network_attempts=4)
    api.fail_next("sendMessage", status=503, times=3)
    await _send(sender, client, vt, 1, [])
    assert [s for s in vt.sleeps if s >= 0.5] == [0.5, 1.0, 2.0]
    api.fail_next("sendMessage", status=500, times=4)
    with pytest.raises(NetworkError):
        await _send(sender, client, vt, 2, [])
    assert len(api.sent("sendMessage")) == 3 + 1 + 4


async def test_refusals_are_not_retried(vt: VirtualTime, bot: tuple[Bot, FakeBotApi]) -> None:
    client, api = bot
    sender = _sender(vt)
    api.fail_for_chat(9)
    with pytest.raises(Forbidden):
        await _send(sender, client, vt, 9, [])
    api.fail_next("sendMessage", status=400, description="Bad Request: message is too long")
    with pytest.raises(BadRequest):
        await _send(sender, client, vt, 10, [])
    assert len(api.sent("sendMessage")) == 2


async def test_a_message_no_longer_wanted_after_a_pause_is_dropped(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    client, api = bot
    sender = _sender(vt)
    api.fail_next("sendMessage", status=429, retry_after=30)
    asked: list[float] = []

    async def only_at_first() -> bool:
        asked.append(vt.now)
        return len(asked) == 1

    with pytest.raises(NoLongerWanted):
        await sender.send(1, lambda: client.send_message(1, "late"), still_wanted=only_at_first)
    assert len(api.sent("sendMessage")) == 1
    assert asked[1] - asked[0] >= 30  # asked again once the pause was over, before retrying


async def test_the_re_check_comes_after_the_wait_for_a_slot_right_before_the_call(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    client, api = bot
    sender, stamps = _sender(vt, cap=1), []
    await _send(sender, client, vt, 1, stamps)  # takes the only slot of this second
    asked: list[float] = []

    async def no() -> bool:
        asked.append(vt.now)
        return False

    with pytest.raises(NoLongerWanted):
        await sender.send(2, lambda: client.send_message(2, "late"), still_wanted=no)
    assert asked == [pytest.approx(1 / PACE)]
    assert [call.chat_id for call in api.sent("sendMessage")] == [1]
    await _send(sender, client, vt, 2, stamps)  # the chat's turn was given back
    assert stamps[-1] == pytest.approx(2 / PACE)


def test_retry_after_in_seconds_from_int_or_timedelta() -> None:
    assert retry_seconds(7) == 7.0
    assert retry_seconds(timedelta(seconds=2, milliseconds=500)) == 2.5


async def test_the_sweep_sends_past_ptbs_rate_limiter(app: BotApp, settings: Settings) -> None:
    plain = delivery_bot(app.bot, settings)
    assert type(plain) is Bot and plain.request is app.bot.request
    assert delivery_bot(plain, settings) is plain


async def test_never_a_31st_attempt_within_a_second_even_at_full_rate(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    sender, stamps = _sender(vt, pace=1.0), []
    for chat in range(1, 62):
        await _send(sender, bot[0], vt, chat, stamps)
    # At exactly 30/s the 31st would start 1.000 s after the 1st; the window guard adds margin.
    assert all(stamps[i + 30] - stamps[i] >= WINDOW_MARGIN - 1e-9 for i in range(31))
    assert _max_in_any_second(stamps) == 30


async def test_the_cap_follows_rate_limit_per_second(
    vt: VirtualTime, bot: tuple[Bot, FakeBotApi]
) -> None:
    sender, stamps = _sender(vt, cap=10), []
    for chat in range(1, 32):
        await _send(sender, bot[0], vt, chat, stamps)
    assert sender.rate == pytest.approx(10 * PACE)
    assert _max_in_any_second(stamps) == 10
    unlimited, fast = _sender(vt, cap=0), []
    for chat in range(1, 50):
        await _send(unlimited, bot[0], vt, chat, fast)
    assert fast[-1] == fast[0]  # no overall pacing; per-chat spacing still applies
