"""/log: the button flow, typed durations and dates, every validation rule, one-message logging,
archived skills, restarts, timeouts and forged buttons — through the real Application."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.app import build_application, on_shutdown
from bot.core.runtime import BotApp
from bot.jobs.conversation_expiry import expire_idle_conversations
from tests.chat import ChatUser, callback_data, flat
from tests.fakebot import FakeBotApi, FakeRequest
from tests.seed import count_logs, logs, seed_log, seed_skills
from tests.support import SARAH, TODAY, FakeClock, UnitOfWorkFactory

YESTERDAY = TODAY - timedelta(days=1)
DESCRIPTION = "Built a todo list component"


async def test_full_button_flow_with_back_saves_and_shows_the_card(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React", "SQL")
    await sarah.send("/log")
    assert "Which skill" in sarah.last_text()
    assert flat(sarah.buttons()) == ["SQL", "React", "➕ New skill", "✖ Cancel"]
    await sarah.tap("React")
    assert "How long" in sarah.last_text() and "React" in sarah.last_text()
    assert sarah.buttons() == [
        ["15 min", "30 min", "60 min"],
        ["90 min", "120 min"],
        ["« Back", "✖ Cancel"],
    ]
    await sarah.tap("90 min")
    assert "When did you practise" in sarah.last_text()
    await sarah.tap("« Back")  # change our mind about the duration
    assert "How long" in sarah.last_text()
    await sarah.tap("30 min")
    assert "React · 30 min" in sarah.last_text()
    await sarah.tap("Yesterday")
    assert "What did you practise" in sarah.last_text()
    assert "Or Skip to save it as Quick practice: 30 min of React." in sarah.last_text()
    assert flat(sarah.buttons()) == ["Skip", "« Back", "✖ Cancel"]
    await sarah.send(f"  {DESCRIPTION}  ")
    assert "Rate how hard it was" in sarah.last_text()
    assert flat(sarah.buttons()) == ["⭐ Rate it", "Skip", "« Back", "✖ Cancel"]
    await sarah.tap("⭐ Rate it")
    assert "How hard was it" in sarah.last_text()
    assert flat(sarah.buttons()) == ["1", "2", "3", "4", "5", "Skip", "« Back", "✖ Cancel"]
    await sarah.tap("« Back")
    assert "Rate how hard it was" in sarah.last_text()
    await sarah.tap("« Back")
    assert "What did you practise" in sarah.last_text()
    await sarah.tap("Keep it as is")
    await sarah.tap("⭐ Rate it")
    await sarah.tap("3")
    assert "How confident" in sarah.last_text()
    await sarah.tap("4")

    text = sarah.last_text()
    assert "✅ Saved: React — 30 min, yesterday" in text
    assert DESCRIPTION in text and "Difficulty 3/5 · Confidence 4/5" in text
    assert sarah.buttons() == [
        ["📎 Add evidence", "➕ Log another"],
        ["✏️ Edit", "🗑 Delete"],
        ["▶️ Start timer"],
    ]
    [row] = await logs(uow_factory)
    assert (row.practiced_on, row.duration_minutes, row.description) == (YESTERDAY, 30, DESCRIPTION)
    assert (row.difficulty, row.confidence, row.source) == (3, 4, "chat")
    assert callback_data(sarah.last_message()) == [
        f"ev:add:{row.id}",
        "lgn",
        f"hs:edit:{row.id}",
        f"hs:del:{row.id}",
        f"tm:a:{row.skill_id}",
    ]
    # The step message made way for the card; nothing is left open.
    assert not any("How confident" in t for t in sarah.texts())
    await sarah.send("hello")
    assert "not sure what to do" in sarah.last_text()


async def test_skipping_ratings_and_cancelling(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log")
    await sarah.tap("React")
    await sarah.tap("15 min")
    await sarah.tap("Today")
    await sarah.send(DESCRIPTION)
    await sarah.tap("✖ Cancel")
    assert "Cancelled the practice log. Nothing was saved." in sarah.last_text()
    assert await count_logs(uow_factory) == 0

    await sarah.send("/log")
    await sarah.tap("React")
    await sarah.tap("15 min")
    await sarah.tap("Today")
    await sarah.send(DESCRIPTION)
    await sarah.tap("Skip")  # no ratings
    assert "✅ Saved: React — 15 min, today" in sarah.last_text()
    assert "Difficulty" not in sarah.last_text()
    [row] = await logs(uow_factory)
    assert (row.difficulty, row.confidence, row.practiced_on) == (None, None, TODAY)


async def test_a_session_can_be_logged_with_taps_only(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log")
    await sarah.tap("Guitar")
    await sarah.tap("30 min")
    await sarah.tap("Yesterday")
    await sarah.tap("Skip")  # the description Quick Log would store
    assert "Rate how hard it was" in sarah.last_text()
    await sarah.send("3")
    assert "Tap ⭐ Rate it, or Skip to save without ratings." in sarah.last_text()
    await sarah.tap("Skip")  # both ratings in one tap
    assert "✅ Saved: Guitar — 30 min, yesterday" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert (row.description, row.difficulty, row.confidence) == (
        "Quick practice: 30 min of Guitar",
        None,
        None,
    )


async def test_rate_it_asks_both_ratings_and_back_returns_to_it(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log guitar 30m x")  # one message: the description is asked for
    await sarah.tap("Skip")
    assert "✅ Saved: Guitar — 30 min, today" in sarah.last_text()  # fill mode saves at once
    await sarah.send("/log")
    await sarah.tap("Guitar")
    await sarah.tap("15 min")
    await sarah.tap("Today")
    await sarah.send(DESCRIPTION)
    await sarah.tap("⭐ Rate it")
    await sarah.tap("« Back")
    assert "Rate how hard it was" in sarah.last_text()
    await sarah.tap("⭐ Rate it")
    await sarah.tap("2")
    await sarah.tap("Skip")
    assert "Difficulty 2/5" in sarah.last_text()
    rows = await logs(uow_factory)
    assert [(r.description, r.difficulty, r.confidence) for r in rows] == [
        ("Quick practice: 30 min of Guitar", None, None),
        (DESCRIPTION, 2, None),
    ]


async def _to_step(sarah: ChatUser, step: str) -> None:
    """Walk /log with buttons to the named step."""
    await sarah.send("/log")
    if step == "skill":
        return
    await sarah.tap("React")
    if step == "duration":
        return
    await sarah.tap("30 min")
    if step == "date":
        return
    await sarah.tap("Today")
    if step == "description":
        return
    await sarah.send(DESCRIPTION)
    if step == "rate":
        return
    await sarah.tap("⭐ Rate it")
    if step == "difficulty":
        return
    await sarah.tap("Skip")


DURATIONS = [
    ("45", "45 min"),
    ("45m", "45 min"),
    ("45 min", "45 min"),
    ("1h", "1 h"),
    ("1h30", "1 h 30 min"),
    ("1h 30m", "1 h 30 min"),
    ("1.5h", "1 h 30 min"),
    ("1:15", "1 h 15 min"),
    ("90 minutes", "1 h 30 min"),
]
DATES = [
    ("today", "today", TODAY),
    ("yesterday", "yesterday", YESTERDAY),
    ("2026-11-20", "Fri 20 Nov", date(2026, 11, 20)),
    ("20.11", "Fri 20 Nov", date(2026, 11, 20)),
    ("3 days ago", "Sun 22 Nov", date(2026, 11, 22)),
    ("mon", "Mon 23 Nov", date(2026, 11, 23)),  # 25 Nov 2026 is a Wednesday
    ("monday", "Mon 23 Nov", date(2026, 11, 23)),
    ("wed", "today", TODAY),
    ("2 weeks ago", "Wed 11 Nov", date(2026, 11, 11)),
    ("1 week ago", "Wed 18 Nov", date(2026, 11, 18)),
    ("Nov 20", "Fri 20 Nov", date(2026, 11, 20)),
    ("20 November", "Fri 20 Nov", date(2026, 11, 20)),
    ("last friday", "Fri 20 Nov", date(2026, 11, 20)),
]


async def test_every_typed_duration_form(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    await seed_skills(uow_factory, "React")
    await _to_step(sarah, "duration")
    for typed, shown in DURATIONS:
        await sarah.send(typed)
        assert f"React · {shown}\n" in sarah.last_text(), typed
        assert "When did you practise" in sarah.last_text(), typed
        await sarah.tap("« Back")
    await sarah.send("1:15")
    await sarah.tap("Today")
    await sarah.send(DESCRIPTION)
    await sarah.tap("Skip")  # no ratings
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 75


async def test_every_typed_date_form(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    await seed_skills(uow_factory, "React")
    await _to_step(sarah, "date")
    for typed, shown, _ in DATES:
        await sarah.send(typed)
        assert f"React · 30 min · {shown}\n" in sarah.last_text(), typed
        assert "What did you practise" in sarah.last_text(), typed
        await sarah.tap("« Back")
    typed, _, expected = DATES[4]
    await sarah.send(typed)
    await sarah.send(DESCRIPTION)
    await sarah.tap("Skip")  # no ratings
    [row] = await logs(uow_factory)
    assert row.practiced_on == expected


async def test_dates_are_in_the_users_time_zone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/timezone Pacific/Auckland")  # 12:00 UTC is 01:00 the next day there
    await _to_step(sarah, "date")
    await sarah.tap("Yesterday")
    await sarah.send(DESCRIPTION)
    await sarah.tap("Skip")  # no ratings
    [row] = await logs(uow_factory)
    assert row.practiced_on == TODAY  # Auckland's yesterday is UTC's today
    await _to_step(sarah, "date")
    await sarah.send("2026-11-26")  # Auckland's today, UTC's tomorrow: allowed
    assert "What did you practise" in sarah.last_text()


LONG = "x" * 501


# Every rule a typed answer can break: (step, what the user types, what they are told).
RULES = [
    ("skill", "Piano", "You have no skill called “Piano”"),
    ("duration", "0", "at least 1 minute"),
    ("duration", "1441", "at most 24 hours"),
    ("duration", "25h", "at most 24 hours"),
    ("duration", "-5", "can't be negative"),
    ("duration", "soon", "couldn't read “soon” as a duration"),
    ("date", "2026-12-01", "in the future"),
    ("date", "31.02", "no such date"),
    ("date", "someday", "couldn't read “someday” as a date"),
    ("description", "too short", "That's 9 characters — please write at least 10"),
    ("description", LONG, "That's 501 characters — please keep it to 500"),
    ("difficulty", "6", "Difficulty is rated from 1 to 5, so 6 doesn't fit"),
    ("difficulty", "hard", "Tap a number from 1 to 5, or Skip"),
    ("confidence", "0", "Confidence is rated from 1 to 5, so 0 doesn't fit"),
]


@pytest.mark.parametrize("step", sorted({step for step, _, _ in RULES}))
async def test_every_rule_refuses_and_asks_the_same_step_again(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, step: str
) -> None:
    await seed_skills(uow_factory, "React")
    await _to_step(sarah, step)
    question = sarah.last_text().split("\n\n")[-1]
    for _, typed, message in (rule for rule in RULES if rule[0] == step):
        await sarah.send(typed)
        assert message in sarah.last_text(), typed
        assert sarah.last_text().endswith(question), typed  # the same step, with its buttons
        assert step == "skill" or ["« Back", "✖ Cancel"] in sarah.buttons()
    assert await count_logs(uow_factory) == 0


async def test_day_cap_counts_other_sessions_and_asks_again(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await seed_skills(uow_factory, "React")
    await seed_log(uow_factory, skills["React"], 1420)
    await _to_step(sarah, "date")  # 30 min picked
    await sarah.tap("Today")
    assert "You've already logged 23 h 40 min on that day" in sarah.last_text()
    assert "only 20 min of its 24 hours is left — 30 min won't fit" in sarah.last_text()
    assert "When did you practise" in sarah.last_text()
    await sarah.tap("Yesterday")
    await sarah.send(DESCRIPTION)
    await sarah.tap("Skip")  # no ratings
    assert [r.practiced_on for r in await logs(uow_factory)] == [TODAY, YESTERDAY]

    await seed_log(uow_factory, skills["React"], 20)  # today is now full
    await sarah.send("/log react 20m practised more hooks")
    assert "which is the 24-hour limit" in sarah.last_text()
    assert "When did you practise" in sarah.last_text()
    assert await count_logs(uow_factory) == 3


async def test_one_message_logging_complete(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React", "SQL")
    await sarah.send("/log react 45m built a todo component")
    assert "✅ Saved: React — 45 min, today" in sarah.last_text()
    await sarah.send("/log 1h30 yesterday SQL window functions practice")
    assert "✅ Saved: SQL — 1 h 30 min, yesterday" in sarah.last_text()
    rows = await logs(uow_factory)
    assert [(r.duration_minutes, r.practiced_on, r.description) for r in rows] == [
        (45, TODAY, "built a todo component"),
        (90, YESTERDAY, "window functions practice"),
    ]


async def test_one_message_logging_is_saved_once_when_redelivered(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log react 45m built a todo component")
    key = max(k for k in sarah.api.user_messages if k[0] == SARAH)
    message = sarah.api.user_messages[key]
    assert message["text"].startswith("/log")
    await sarah.send_update({"message": message})  # Telegram retrying the same update
    assert "Already saved" in sarah.last_text()
    assert await count_logs(uow_factory) == 1


@pytest.mark.parametrize(
    ("command", "step", "hint", "tap", "expected"),
    [
        ("/log react built a todo component", "How long", None, "30 min", (30, TODAY)),
        ("/log 45m built a todo component", "Which skill", None, "React", (45, TODAY)),
        (
            "/log react 3000m built a component",
            "How long",
            "at most 24 hours",
            "60 min",
            (60, TODAY),
        ),
        (
            "/log react 45m 31.02 built a component",
            "When did",
            "no such date",
            "Yesterday",
            (45, YESTERDAY),
        ),
    ],
)
async def test_one_message_logging_opens_at_the_missing_step(
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
    command: str,
    step: str,
    hint: str | None,
    tap: str,
    expected: tuple[int, date],
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send(command)
    assert step in sarah.last_text()
    if hint:
        assert hint in sarah.last_text()
    await sarah.tap(tap)  # the only gap filled: saved at once, no more questions
    assert "✅ Saved: React" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert (row.duration_minutes, row.practiced_on) == expected
    assert "component" in row.description


async def test_one_message_with_a_short_description_asks_for_it(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log react 45m hooks")
    assert "That's 5 characters" in sarah.last_text()
    assert "React · 45 min · today" in sarah.last_text()
    await sarah.send("Hooks: useState and useEffect")
    assert "✅ Saved: React — 45 min, today" in sarah.last_text()
    assert [r.description for r in await logs(uow_factory)] == ["Hooks: useState and useEffect"]


async def test_one_message_with_an_ambiguous_skill_offers_both(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar", "Java", "JavaScript")
    await sarah.send("/log ja 30m learned about closures")
    assert any(
        f"That could be {a} or {b} — which one?" in sarah.last_text()
        for a, b in (("Java", "JavaScript"), ("JavaScript", "Java"))
    )
    assert flat(sarah.buttons())[:2] in (["Java", "JavaScript"], ["JavaScript", "Java"])
    await sarah.tap("JavaScript")
    [row] = await logs(uow_factory)
    assert row.duration_minutes == 30 and row.description == "learned about closures"


async def test_archived_skills_are_not_offered_and_one_message_offers_to_unarchive(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React", "Guitar")
    await sarah.send("/skills")
    await sarah.tap("Guitar")
    await sarah.tap("🗄 Archive")
    await sarah.send("/log")
    assert "Guitar" not in flat(sarah.buttons())
    await sarah.send("/log guitar 30m practised scales slowly")
    assert "Guitar is archived. Unarchive it and log this session" in sarah.last_text()
    assert await count_logs(uow_factory) == 0
    await sarah.tap("📤 Unarchive and continue")
    assert "✅ Saved: Guitar — 30 min, today" in sarah.last_text()
    async with uow_factory() as uow:
        guitar = next(s for s in await uow.skills.summaries(SARAH) if s.name == "Guitar")
    assert not guitar.archived and guitar.sessions == 1


async def test_new_skill_from_the_skill_step(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log")
    await sarah.tap("➕ New skill")
    assert "What's the new skill called" in sarah.last_text()
    await sarah.send("react")
    assert "already have a skill called “React”" in sarah.last_text()
    await sarah.send("Chess")
    assert "Chess" in sarah.last_text() and "How long" in sarah.last_text()
    await sarah.tap("60 min")
    await sarah.tap("Today")
    await sarah.send("Played two rapid games")
    await sarah.tap("Skip")  # no ratings
    assert "✅ Saved: Chess — 1 h, today" in sarah.last_text()
    async with uow_factory() as uow:
        names = [s.name for s in await uow.skills.summaries(SARAH)]
    assert names == ["Chess", "React"]  # most recently practised first


async def test_skills_are_offered_most_recently_practised_first(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await seed_skills(uow_factory, "React", "SQL", "Guitar")
    await seed_log(uow_factory, skills["SQL"], 30, TODAY - timedelta(days=5))
    await seed_log(uow_factory, skills["React"], 30, YESTERDAY)
    await sarah.send("/log")
    assert flat(sarah.buttons())[:3] == ["React", "SQL", "Guitar"]
    await sarah.send("sq")  # a typed unique prefix picks the skill
    assert "SQL" in sarah.last_text() and "How long" in sarah.last_text()


async def test_log_another_opens_a_fresh_log_below_the_card(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log react 45m built a todo component")
    card = sarah.last_message()
    await sarah.tap("➕ Log another")
    assert "Which skill" in sarah.last_text()
    assert sarah.last_message()["message_id"] != card["message_id"]
    shown = sarah.api.find_message(SARAH, card["message_id"])
    assert shown is not None and "✅ Saved" in shown["text"]  # the card stays as it was


async def test_double_tap_on_the_last_step_saves_once_and_keeps_the_card(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await _to_step(sarah, "difficulty")
    await sarah.tap("Skip")
    step = sarah.last_message()
    data = next(d for d in callback_data(step) if d.endswith(":r:4"))
    await sarah.tap_data(data, message_id=step["message_id"])
    card = sarah.last_message()
    await sarah.tap_data(data, message_id=step["message_id"])  # the second tap arrives late
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."
    assert await count_logs(uow_factory) == 1
    shown = sarah.api.find_message(SARAH, card["message_id"])
    assert shown is not None and "📎 Add evidence" in flat(sarah.buttons(shown))


async def test_a_restarted_bot_continues_the_conversation(
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
    app: BotApp,
    api: FakeBotApi,
    clock: FakeClock,
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log")
    await sarah.tap("React")
    await sarah.tap("60 min")
    await app.shutdown()  # the first instance goes away mid-conversation
    await on_shutdown(app)

    second = build_application(
        app.bot_data["deps"].settings,
        request=FakeRequest(api),
        get_updates_request=FakeRequest(api),
        clock=clock,
        with_updater=False,
    )
    await second.initialize()
    try:
        again = ChatUser(second, api, user_id=SARAH, first_name="Sarah")
        await again.tap("Yesterday")
        assert "What did you practise" in again.last_text()
        await again.send(DESCRIPTION)
        await again.tap("⭐ Rate it")
        await again.tap("2")
        await again.tap("5")
        assert "✅ Saved: React — 1 h, yesterday" in again.last_text()
    finally:
        await second.shutdown()
        await on_shutdown(second)
        await app.initialize()  # the fixture shuts it down again
    [row] = await logs(uow_factory)
    assert (row.duration_minutes, row.practiced_on, row.difficulty, row.confidence) == (
        60,
        YESTERDAY,
        2,
        5,
    )


async def test_an_idle_conversation_times_out_with_a_message(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, app: BotApp, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "React")
    await _to_step(sarah, "description")
    step = sarah.last_message()
    clock.advance(minutes=31)
    assert await expire_idle_conversations(app.bot_data["deps"], app.bot) == 1
    assert "The practice log timed out after 30 minutes" in sarah.last_text()
    assert "Nothing was saved" in sarah.last_text()
    shown = sarah.api.find_message(SARAH, step["message_id"])
    assert shown is not None and not shown.get("reply_markup")
    await sarah.send(DESCRIPTION)  # too late: not taken as the description
    assert await count_logs(uow_factory) == 0


async def test_forged_button_for_another_users_skill_saves_nothing(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    sarahs = await seed_skills(uow_factory, "Kubernetes")
    await seed_skills(uow_factory, "Chess", user_id=2002)
    await mallory.send("/log")
    step = mallory.last_message()
    await mallory.tap_data(f"lg:sk:{sarahs['Kubernetes']}", message_id=step["message_id"])
    assert mallory.answers()[-1] == "That item no longer exists. Nothing was changed."
    assert "Which skill" in mallory.last_text() and "Kubernetes" not in mallory.last_text()
    await mallory.tap_data("lg:sk:notanumber", message_id=step["message_id"])
    assert mallory.answers()[-1] == "This button has expired. Nothing was changed."
    assert await count_logs(uow_factory) == 0


async def test_stale_and_out_of_order_presses_change_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/log")
    first = sarah.last_message()
    await sarah.send("/log")  # a second /log replaces the first
    assert not sarah.api.find_message(SARAH, first["message_id"]).get("reply_markup")  # type: ignore[union-attr]
    await sarah.tap("React")
    step = sarah.last_message()
    await sarah.tap_data("lg:t:0", message_id=step["message_id"])  # a date button, too early
    assert sarah.answers()[-1] == "That step is already done."
    await sarah.tap_data("lg:d:5000", message_id=step["message_id"])  # forged duration
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."
    assert "How long" in sarah.last_text()
    assert await count_logs(uow_factory) == 0


async def test_many_skills_are_paged_at_the_skill_step(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, *(f"Skill {n:02d}" for n in range(10)))
    await sarah.send("/log")
    assert flat(sarah.buttons())[-3:] == ["▶", "➕ New skill", "✖ Cancel"]
    await sarah.tap("▶")
    page = flat(sarah.buttons())
    assert page == ["Skill 01", "Skill 00", "◀", "➕ New skill", "✖ Cancel"]
    await sarah.tap("Skill 00")
    assert "Skill 00" in sarah.last_text() and "How long" in sarah.last_text()
