"""Two bot instances on one database behave as one bot: a conversation begun on one continues
on the other, and the idle-conversation sweep notifies once however many instances run it.

Behind one webhook URL, Telegram (or the load balancer) may hand consecutive updates of one
user to different processes. Add a scenario to SCENARIOS for every multi-step flow.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import pytest
from sqlalchemy import select

from bot.app import build_application, on_shutdown
from bot.config import Settings
from bot.core.runtime import BotApp, Deps
from bot.jobs.conversation_expiry import expire_idle_conversations
from storage.models import Conversation, EvidenceBatch, PracticeLog, User
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi, FakeRequest
from tests.support import FakeClock, UnitOfWorkFactory

SARAH = 1001
Instance = Literal["A", "B"]
Check = Callable[[UnitOfWorkFactory], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Step:
    """One thing Sarah does, on one instance, and a fragment of the reply she then sees."""

    on: Instance
    action: Literal["send", "tap"]
    arg: str
    sees: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """A multi-step flow split across instances, and what the database holds after it."""

    name: str
    steps: tuple[Step, ...]
    check: Check


async def _setup_done(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        user = await uow.session.get(User, SARAH)
        assert user is not None and user.timezone == "Europe/Berlin"
        assert [s.name for s in await uow.skills.summaries(SARAH)] == ["Guitar"]
        assert await uow.conversations.get(SARAH) is None


async def _timezone_done(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        user = await uow.session.get(User, SARAH)
        assert user is not None and user.timezone == "Asia/Tokyo"
        assert await uow.conversations.get(SARAH) is None


async def _renamed(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert [s.name for s in await uow.skills.summaries(SARAH)] == ["Classical guitar"]


async def _logged(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(PracticeLog)))
        assert [(r.user_id, r.duration_minutes, r.description) for r in rows] == [
            (SARAH, 30, "Chord changes with a metronome")
        ]
        assert await uow.conversations.get(SARAH) is None


SCENARIOS = [
    Scenario(
        "start: tap on A, type on B",
        (
            Step("A", "send", "/start", "Which time zone are you in?"),
            Step("A", "tap", "Berlin", "what's the first skill"),
            Step("B", "send", "Guitar", "Added Guitar. You're all set"),
        ),
        _setup_done,
    ),
    Scenario(
        "timezone: ask on B, answer on A",
        (
            Step("B", "send", "/timezone", "Which time zone are you in?"),
            Step("A", "send", "Tokyo", "Your time zone is now"),
        ),
        _timezone_done,
    ),
    Scenario(
        "rename: A, B, A",
        (
            Step("A", "send", "/addskill Guitar", "Added"),
            Step("B", "send", "/skills", "Your skills"),
            Step("A", "tap", "Guitar", "Guitar"),
            Step("B", "tap", "✏️ Rename", "New name for"),
            Step("A", "send", "Classical guitar", "Renamed"),
        ),
        _renamed,
    ),
    Scenario(
        "log: every step on the other instance",
        (
            Step("A", "send", "/addskill Guitar", "Added"),
            Step("A", "send", "/log", "Which skill"),
            Step("B", "tap", "Guitar", "How long"),
            Step("A", "tap", "30 min", "When did you practise"),
            Step("B", "tap", "Today", "What did you practise"),
            Step("A", "send", "Chord changes with a metronome", "Rate how hard"),
            Step("B", "tap", "⭐ Rate it", "How hard was it"),
            Step("A", "tap", "Skip", "How confident"),
            Step("B", "tap", "Skip", "✅ Saved: Guitar — 30 min"),
        ),
        _logged,
    ),
]


@pytest.fixture
async def instances(
    settings: Settings, api: FakeBotApi, clock: FakeClock
) -> AsyncIterator[dict[Instance, BotApp]]:
    """Two Applications built by production's builder on the same database and bot."""
    apps: dict[Instance, BotApp] = {}
    for name in ("A", "B"):
        app = build_application(
            settings,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
            clock=clock,
            with_updater=False,
        )
        await app.initialize()
        apps[name] = app  # type: ignore[index]
    yield apps
    for app in apps.values():
        await app.shutdown()
        await on_shutdown(app)  # post_shutdown only runs under run_polling/run_webhook


def _sarah_on(apps: dict[Instance, BotApp], api: FakeBotApi) -> dict[Instance, ChatUser]:
    return {
        name: ChatUser(app, api, user_id=SARAH, first_name="Sarah") for name, app in apps.items()
    }


async def _sweep(app: BotApp) -> int:
    deps: Deps = app.bot_data["deps"]
    return await expire_idle_conversations(deps, app.bot)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_a_conversation_continues_on_the_other_instance(
    scenario: Scenario,
    instances: dict[Instance, BotApp],
    api: FakeBotApi,
    uow_factory: UnitOfWorkFactory,
) -> None:
    sarah = _sarah_on(instances, api)
    assert instances["A"].bot_data["deps"] is not instances["B"].bot_data["deps"]
    for step in scenario.steps:
        user = sarah[step.on]
        await (user.send(step.arg) if step.action == "send" else user.tap(step.arg))
        shown = user.last_text()
        assert step.sees in shown, f"{step}: saw {shown!r}"
    await scenario.check(uow_factory)


async def test_a_finished_step_is_stale_on_every_instance(
    instances: dict[Instance, BotApp], api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    sarah = _sarah_on(instances, api)
    await sarah["A"].send("/timezone")
    question = sarah["A"].last_message()
    await sarah["B"].tap("Tokyo")
    assert "Your time zone is now" in sarah["B"].last_text()
    # A client that still shows the old keyboard presses Berlin on it, reaching A.
    await sarah["A"].tap_data("tz:z:Europe/Berlin", question["message_id"])
    assert sarah["A"].answers()[-1] == "This button has expired. Nothing was changed."
    async with uow_factory() as uow:
        user = await uow.session.get(User, SARAH)
        assert user is not None and user.timezone == "Asia/Tokyo"


async def test_both_instances_sweeping_at_once_time_a_conversation_out_once(
    instances: dict[Instance, BotApp],
    api: FakeBotApi,
    clock: FakeClock,
    uow_factory: UnitOfWorkFactory,
) -> None:
    sarah = _sarah_on(instances, api)
    await sarah["A"].send("/timezone")
    clock.advance(minutes=31)
    closed = await asyncio.gather(*(_sweep(app) for app in instances.values()))
    assert sorted(closed) == [0, 1]
    notices = [c for c in api.sent("sendMessage", chat_id=SARAH) if "timed out" in (c.text or "")]
    assert len(notices) == 1
    async with uow_factory() as uow:
        assert await uow.session.get(Conversation, SARAH) is None


async def test_an_album_split_across_instances_at_once_is_one_prompt(
    instances: dict[Instance, BotApp], api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    sarah = _sarah_on(instances, api)
    await sarah["A"].send("/addskill React")
    # Telegram delivers an album's photos as separate updates, here at the same moment to two
    # processes: each must land in the one batch, and only one of them may send the prompt.
    await asyncio.gather(
        *(
            sarah["A" if n % 2 else "B"].send_photo(photo_id=f"p{n}", media_group_id="album")
            for n in range(4)
        )
    )
    prompts = [
        call
        for call in api.sent("sendMessage")
        if "where should I attach" in str(call.params.get("text", ""))
    ]
    assert len(prompts) == 1
    async with uow_factory() as uow:
        batch = await uow.session.get(EvidenceBatch, SARAH)
        assert batch is not None and len(batch.items) == 4
        prompt_id = batch.message_id
    assert prompt_id == prompts[0].result["message_id"]
    shown = api.find_message(SARAH, prompt_id)
    assert shown is not None and "4 screenshots" in shown["text"]
