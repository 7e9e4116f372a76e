"""/quick: one tap saves today's session; Repeat last, Undo, Add note, double taps, old keyboards,
time zones, the day cap and forged presses — through the real Application."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.ui.quick_log import client_token
from tests.chat import ChatUser, callback_data, flat
from tests.seed import count_logs, logs, seed_log, seed_skills
from tests.support import TODAY, FakeClock, UnitOfWorkFactory


def save_data(message: dict[str, Any], label: str) -> str:
    """The callback_data of the button with this label."""
    markup = message.get("reply_markup") or {}
    return next(
        b["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for b in row
        if b["text"] == label
    )


async def test_quick_grid_one_tap_saves_today_and_shows_the_card(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await seed_skills(uow_factory, "React", "SQL", "Guitar")
    await seed_log(uow_factory, skills["SQL"], 20, TODAY - timedelta(days=3))
    await sarah.send("/quick")
    assert "Quick log" in sarah.last_text()
    # Most recently practised first; Repeat last on top; every label is unique.
    assert sarah.buttons() == [
        ["🔁 Repeat: SQL · 20 min"],
        ["SQL 15m", "SQL 30m", "SQL 60m"],
        ["Guitar 15m", "Guitar 30m", "Guitar 60m"],
        ["React 15m", "React 30m", "React 60m"],
        ["▶️ Start timer", "✖ Close"],
    ]
    assert all(len(d.encode()) <= 64 for d in callback_data(sarah.last_message()))
    await sarah.tap("React 30m")
    assert sarah.answers()[-1] == "Saved"
    text = sarah.last_text()
    assert "⚡ Logged: React — 30 min, today" in text
    assert "Quick practice: 30 min of React" in text
    assert sarah.buttons() == [["📝 Add note", "↩️ Undo"]]
    rows = await logs(uow_factory)
    assert [(r.skill_id, r.practiced_on, r.duration_minutes, r.source) for r in rows[1:]] == [
        (skills["React"], TODAY, 30, "quick")
    ]


async def test_double_tap_saves_one_session(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/quick")
    grid = sarah.last_message()
    data = save_data(grid, "React 15m")
    await sarah.tap_data(data, message_id=grid["message_id"])
    await sarah.tap_data(data, message_id=grid["message_id"])  # same button, same keyboard
    assert sarah.answers() == ["Saved", "Already saved — one session."]
    assert "⚡ Already logged: React — 15 min, today" in sarah.last_text()
    assert sarah.buttons() == [["📝 Add note", "↩️ Undo"]]  # the card keeps its buttons
    assert await count_logs(uow_factory) == 1
    # A fresh /quick is a fresh keyboard: the same button there is a new session.
    await sarah.send("/quick")
    await sarah.tap("React 15m")
    assert await count_logs(uow_factory) == 2


async def test_repeat_last_repeats_skill_and_duration(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React", "SQL")
    await sarah.send("/log sql 45m window functions practice")
    await sarah.send("/quick")
    await sarah.tap("🔁 Repeat: SQL · 45 min")
    assert "⚡ Logged: SQL — 45 min, today" in sarah.last_text()
    rows = await logs(uow_factory)
    assert [(r.duration_minutes, r.source) for r in rows] == [(45, "chat"), (45, "quick")]
    assert rows[0].skill_id == rows[1].skill_id


async def test_undo_removes_only_that_session_and_a_second_undo_is_polite(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await seed_skills(uow_factory, "React")
    await seed_skills(uow_factory, "Chess", user_id=2002)
    await seed_log(uow_factory, skills["React"], 30)  # an earlier session stays
    await mallory.send("/quick")
    await mallory.tap("Chess 60m")
    await sarah.send("/quick")
    await sarah.tap("React 60m")
    card = sarah.last_message()
    undo = save_data(card, "↩️ Undo")
    await sarah.tap("↩️ Undo")
    assert sarah.answers()[-1] == "Undone"
    assert "↩️ Undone: removed React — 1 h. Nothing else changed." in sarah.last_text()
    assert [r.duration_minutes for r in await logs(uow_factory)] == [30]
    assert [r.duration_minutes for r in await logs(uow_factory, 2002)] == [60]
    await sarah.tap_data(undo, message_id=card["message_id"])  # pressed twice
    assert sarah.answers()[-1] == "Already undone — that session is gone. Nothing else changed."
    assert await count_logs(uow_factory) == 2
    await sarah.tap("⚡ Quick log")
    assert "React 15m" in flat(sarah.buttons())


async def test_undo_never_deletes_a_session_the_button_did_not_create(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await seed_skills(uow_factory, "React")
    await seed_skills(uow_factory, "Chess", user_id=2002)
    own = await seed_log(uow_factory, skills["React"], 30)
    await mallory.send("/quick")
    await mallory.tap("Chess 15m")
    nonce = save_data(mallory.last_message(), "↩️ Undo").split(":")[-1]
    for forged in (f"ql:u:{own}:{nonce}", f"ql:u:{own}:zzzzzzzz"):
        await mallory.tap_data(forged)  # Sarah's session id
        await sarah.tap_data(forged)  # her own id, but not from a Quick Log tap
    assert await count_logs(uow_factory) == 2
    await mallory.tap_data("ql:u:1:bad nonce!")
    assert mallory.answers()[-1] == "This button has expired. Nothing was changed."


async def test_add_note_replaces_the_generated_description(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/quick")
    await sarah.tap("React 30m")
    await sarah.tap("📝 Add note")
    assert "What did you practise" in sarah.last_text()
    assert "Quick practice: 30 min of React" in sarah.last_text()
    await sarah.send("hooks")
    assert "That's 5 characters" in sarah.last_text()
    await sarah.send("Built a custom useFetch hook")
    assert "📝 Note saved: React — 30 min, today" in sarah.last_text()
    assert "📎 Add evidence" in flat(sarah.buttons())
    [row] = await logs(uow_factory)
    assert row.description == "Built a custom useFetch hook"


async def test_an_old_keyboard_saves_for_today_in_the_users_time_zone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/quick")
    grid = sarah.last_message()
    data = save_data(grid, "React 15m")
    clock.advance(days=3)  # like a reminder's buttons, pressed days later
    await sarah.tap_data(data, message_id=grid["message_id"])
    await sarah.send("/timezone Pacific/Auckland")  # 12:00 UTC is 01:00 the next day there
    await sarah.send("/quick")
    await sarah.tap("React 30m")
    rows = await logs(uow_factory)
    assert [r.practiced_on for r in rows] == [date(2026, 11, 28), date(2026, 11, 29)]
    assert "🔥 Day 2 in a row" in sarah.last_text()


async def test_streak_line_counts_consecutive_days(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await seed_skills(uow_factory, "React")
    for back in (1, 2, 3, 4, 6):
        await seed_log(uow_factory, skills["React"], 10, TODAY - timedelta(days=back))
    await sarah.send("/quick")
    await sarah.tap("React 15m")
    assert "🔥 Day 5 in a row" in sarah.last_text()


async def test_day_cap_and_missing_skills(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    await sarah.send("/quick")
    assert "no skills to log yet" in sarah.last_text()
    skills = await seed_skills(uow_factory, "React")
    await seed_log(uow_factory, skills["React"], 1430)
    await sarah.send("/quick")
    await sarah.tap("React 15m")
    assert "only 10 min of its 24 hours is left — 15 min won't fit" in sarah.last_text()
    assert await count_logs(uow_factory) == 1


async def test_archived_skills_are_not_offered_and_their_old_buttons_refuse(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React", "Guitar")
    await sarah.send("/quick")
    grid = sarah.last_message()
    await sarah.send("/skills")
    await sarah.tap("Guitar")
    await sarah.tap("🗄 Archive")
    await sarah.send("/quick")
    assert not any("Guitar" in label for label in flat(sarah.buttons()))
    await sarah.tap_data(save_data(grid, "Guitar 15m"), message_id=grid["message_id"])
    assert "Guitar is archived" in str(sarah.answers()[-1])
    assert await count_logs(uow_factory) == 0


async def test_forged_press_for_another_users_skill_saves_nothing(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    sarahs = await seed_skills(uow_factory, "Kubernetes")
    await seed_skills(uow_factory, "Chess", user_id=2002)
    await mallory.send("/quick")
    await mallory.tap_data(f"ql:s:{sarahs['Kubernetes']}:30:abcdefgh")
    assert mallory.answers()[-1] == "That item no longer exists. Nothing was changed."
    for forged in ("ql:s:1:99999:abcdefgh", "ql:s:x:30:abcdefgh", "ql:s:1:30", "ql:zz"):
        await mallory.tap_data(forged)
        assert mallory.answers()[-1] == "This button has expired. Nothing was changed."
    await mallory.tap_data(f"ql:n:{await seed_log(uow_factory, sarahs['Kubernetes'], 5)}")
    assert mallory.answers()[-1] == "That item no longer exists. Nothing was changed."
    assert [r.duration_minutes for r in await logs(uow_factory)] == [5]
    assert await logs(uow_factory, 2002) == []


async def test_many_skills_are_paged(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    names = [f"Skill {n:02d}" for n in range(10)]
    await seed_skills(uow_factory, *names)
    await sarah.send("/quick")
    first = flat(sarah.buttons())
    assert len([b for b in first if b.endswith("15m")]) == 8 and "More ▶" in first
    await sarah.tap("More ▶")
    second = flat(sarah.buttons())
    assert len([b for b in second if b.endswith("15m")]) == 2 and "◀ More" in second
    nonce = save_data(sarah.last_message(), second[0]).split(":")[-1]
    assert save_data(sarah.last_message(), second[0]).startswith("ql:s:")
    await sarah.tap(second[0])
    [row] = await logs(uow_factory)
    assert row.client_token == client_token(nonce, row.skill_id, 15)


async def test_a_new_time_zone_moves_the_very_next_quick_log_to_its_date(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    # Each update's contact row (the time zone) may come from memory: a change must reach the
    # next press at once, then be remembered again, and a change back too.
    await seed_skills(uow_factory, "React")
    await sarah.send("/quick")
    await sarah.tap("React 15m")
    await sarah.send("/timezone +13")  # 2026-11-26 01:00 there
    await sarah.send("/quick")
    await sarah.tap("React 30m")
    await sarah.send("/quick")
    await sarah.tap("React 60m")
    await sarah.send("/timezone UTC")
    await sarah.send("/quick")
    await sarah.tap("React 15m")
    rows = await logs(uow_factory)
    tomorrow = TODAY + timedelta(days=1)
    assert [(r.practiced_on, r.duration_minutes) for r in rows] == [
        (TODAY, 15),
        (tomorrow, 30),
        (tomorrow, 60),
        (TODAY, 15),
    ]
