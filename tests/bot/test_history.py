"""/history through the real Application: keyset paging, filters, detail, edit, delete and Undo,
stale and forged buttons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.core.runtime import BotApp
from bot.handlers.history import NOT_EDITABLE
from bot.jobs.undo_purge import purge_undo_snapshots
from bot.ui.texts import NOT_FOUND, NOTHING_SAVED, STALE_BUTTON
from storage.models import Evidence, PracticeLog
from tests.bot.history_helpers import (
    SARAH,
    TODAY,
    add_evidence,
    add_sessions,
    count,
    data_of,
    evidence_rows,
    log_row,
    shown,
    snapshots,
    tag,
    user_with_skills,
)
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.support import START, FakeClock, UnitOfWorkFactory


@pytest.fixture(autouse=True)
def no_failed_updates(api: FakeBotApi) -> Iterator[None]:
    """The app's error handler turns a crash into a polite apology; here that is a failure."""
    yield
    failed = [call for call in api.calls if NOTHING_SAVED in str(call.params)]
    assert not failed, "an update failed: see the log for its traceback"


ZONE = "Pacific/Auckland"


def _flat(buttons: list[list[str]]) -> list[str]:
    return [label for row in buttons for label in row]


async def test_paging_forwards_and_back_stays_consistent_while_sessions_arrive(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await user_with_skills(uow_factory, SARAH, "React", "SQL")
    react, sql = skills["React"], skills["SQL"]
    # 25 sessions, two per day (ties on the date are ordered by id), alternating skills.
    await add_sessions(
        uow_factory,
        SARAH,
        [
            (n, react if n % 2 else sql, TODAY - timedelta(days=(25 - n) // 2), 30)
            for n in range(1, 26)
        ],
    )
    await sarah.send("/history")
    text = sarah.last_text()
    assert "History — All skills · All time" in text
    assert "25 sessions · 12 h 30 min" in text
    assert shown(text) == list(range(25, 15, -1))
    assert _flat(sarah.buttons())[:10] == [str(n) for n in range(1, 11)]
    assert "◀ Newer" not in _flat(sarah.buttons())

    await sarah.tap("Older ▶")
    assert shown(sarah.last_text()) == list(range(15, 5, -1))
    # Three sessions arrive between two presses; pages already reached don't shift.
    await add_sessions(uow_factory, SARAH, [(n, react, TODAY, 20) for n in (26, 27, 28)])
    await sarah.tap("Older ▶")
    assert shown(sarah.last_text()) == [5, 4, 3, 2, 1]
    assert "28 sessions · 13 h 30 min" in sarah.last_text()
    assert "Older ▶" not in _flat(sarah.buttons())
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == list(range(15, 5, -1))
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == list(range(25, 15, -1))
    # Fewer than a page left before it: the newest page, new sessions first.
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == [28, 27, 26, *range(25, 18, -1)]
    assert "◀ Newer" not in _flat(sarah.buttons())

    # Filter by skill: the picker, then paging inside the filter.
    await sarah.tap("🎯 Skill ▾")
    assert "which skill?" in sarah.last_text()
    await sarah.tap("SQL · 12")
    text = sarah.last_text()
    assert "History — SQL · All time" in text and "12 sessions · 6 h" in text
    assert shown(text) == list(range(24, 4, -2))
    await sarah.tap("Older ▶")
    assert shown(sarah.last_text()) == [4, 2]
    await sarah.tap("◀ Newer")
    assert shown(sarah.last_text()) == list(range(24, 4, -2))
    # Range buttons keep the skill; "All skills" keeps the range.
    await sarah.tap("This week")  # Mon 23 - Wed 25 Nov: sessions 20..28
    text = sarah.last_text()
    assert "SQL · This week (23–25 Nov 2026)" in text
    assert shown(text) == [24, 22, 20]
    assert "• This week" in _flat(sarah.buttons())
    await sarah.tap("🎯 SQL ▾")
    await sarah.tap("• All skills" if "• All skills" in _flat(sarah.buttons()) else "All skills")
    assert shown(sarah.last_text()) == [28, 27, 26, 25, 24, 23, 22, 21, 20]
    await sarah.tap("30 days")
    assert "Last 30 days (27 Oct – 25 Nov 2026)" in sarah.last_text()
    await sarah.tap("This month")
    assert "28 sessions" in sarah.last_text()
    await sarah.tap("✖ Close")
    assert "Closed" in sarah.last_text()
    assert await count(uow_factory, PracticeLog, SARAH) == 28
    assert await count(uow_factory, Evidence, SARAH) == 0


async def test_typed_filters_in_the_users_time_zone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await user_with_skills(
        uow_factory, SARAH, "React", "SQL", "Machine Learning", timezone=ZONE
    )
    react, sql, ml = skills["React"], skills["SQL"], skills["Machine Learning"]
    # In Auckland (UTC+13) the test clock's 12:00 UTC on 25 Nov is already 26 Nov.
    local_today = date(2026, 11, 26)
    await add_sessions(
        uow_factory,
        SARAH,
        [
            (1, react, date(2026, 10, 5), 60),
            (2, sql, date(2026, 10, 20), 30),
            (3, react, date(2026, 11, 1), 45),
            (4, ml, date(2026, 11, 20), 90),
            (5, react, date(2026, 11, 23), 15),
            (6, sql, local_today, 20),
        ],
    )
    cases = {
        "/history react": ([5, 3, 1], "React · All time", "3 sessions · 2 h"),
        "/history 2026-11-01..2026-11-20": ([4, 3], "All skills · 1–20 Nov 2026", "2 sessions"),
        "/history react last month": ([1], "React · Last month (1–31 Oct 2026)", "1 session · 1 h"),
        "/history last month react": ([1], "React · Last month", "1 session"),
        "/history this week": ([6, 5], "This week (23–26 Nov 2026)", "2 sessions · 35 min"),
        "/history today": ([6], "Today (26 Nov 2026)", "1 session · 20 min"),
        "/history last 30 days": ([6, 5, 4, 3], "Last 30 days (28 Oct – 26 Nov 2026)", ""),
        "/history machine learning november": ([4], "Machine Learning · November 2026", ""),
        "/history sq since 2026-10-01": ([6, 2], "SQL · 1 Oct – 26 Nov 2026", "2 sessions"),
        "/history 20.11": ([4], "20 Nov 2026", "1 session · 1 h 30 min"),
        "/history all": ([6, 5, 4, 3, 2, 1], "All time", "6 sessions · 4 h 20 min"),
        "/history sql this week": ([6], "SQL · This week", ""),
        "/history react yesterday": ([], "React · Yesterday (25 Nov 2026)", "0 sessions"),
    }
    for command, (expected, header, totals) in cases.items():
        await sarah.send(command)
        text = sarah.last_text()
        assert shown(text) == expected, command
        assert header in text and totals in text, (command, text)
    assert "No sessions match this filter" in sarah.last_text()

    refusals = {
        "/history guitar": "couldn't read “guitar” as a skill or a date range",
        "/history guitar this week": "no skill called “guitar”",
        "/history 31.02..05.03": "no such date",
        "/history last 0 days": "at least 1 day",
        "/history 2026-12-01..2026-12-24": "in the future",
    }
    for command, message in refusals.items():
        await sarah.send(command)
        assert message in sarah.last_text(), command
        assert "Try /history react" in sarah.last_text() or "History" not in sarah.last_text()
    assert tag(1) not in sarah.last_text()
    # Names are escaped in text and shown as typed on buttons.
    rock = (await user_with_skills(uow_factory, SARAH, "Rock & <Roll>", timezone=ZONE))[
        "Rock & <Roll>"
    ]
    await add_sessions(uow_factory, SARAH, [(7, rock, date(2026, 11, 24), 25)])
    await sarah.send("/history rock")
    assert "History — Rock & <Roll> · All time" in sarah.last_text()
    assert shown(sarah.last_text()) == [7]
    assert "🎯 Rock & <Roll> ▾" in _flat(sarah.buttons())


async def test_detail_shows_every_field_and_its_evidence_and_back_returns_to_the_page(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = (await user_with_skills(uow_factory, SARAH, "React"))["React"]
    ids = await add_sessions(
        uow_factory,
        SARAH,
        [(n, react, TODAY - timedelta(days=n), 40) for n in range(1, 16)],
        ratings={13: (3, 4)},
    )
    await add_evidence(uow_factory, SARAH, react, ids[13], "link", url="https://react.dev/learn")
    await add_evidence(uow_factory, SARAH, react, ids[13], "note", note="Keys must be stable")
    await sarah.send("/history")
    await sarah.tap("Older ▶")
    page_two = sarah.last_text()
    assert shown(page_two) == [11, 12, 13, 14, 15]
    assert "3. React · Thu 12 Nov · 40 min · Difficulty 3/5 · Confidence 4/5 · 📎 2" in page_two
    await sarah.tap("3")
    text = sarah.last_text()
    assert "React · Thu 12 Nov · 40 min" in text and tag(13) in text
    assert "Difficulty 3/5 · Confidence 4/5" in text
    assert "Added 24 Nov 2026, 12:00" in text and "edited" not in text
    assert "📎 Evidence (2)\n1. 🔗 react.dev/learn\n2. 📝 Keys must be stable" in text
    assert sarah.buttons() == [["✏️ Edit", "🗑 Delete"], ["📎 Evidence (2)", "« Back to list"]]
    await sarah.tap("« Back to list")
    assert sarah.last_text() == page_two
    await sarah.tap("3")
    await sarah.tap("📎 Evidence (2)")  # the evidence screen (#5) for this session
    assert "Evidence for React · Thu 12 Nov · 40 min" in sarah.last_text()
    assert "1. 🔗 react.dev/learn" in sarah.last_text()


async def test_edit_each_field_with_a_valid_and_an_invalid_value(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = (await user_with_skills(uow_factory, SARAH, "React"))["React"]
    ids = await add_sessions(
        uow_factory,
        SARAH,
        [(1, react, date(2026, 11, 20), 45), (2, react, TODAY - timedelta(days=1), 1000)],
        ratings={1: (3, 4)},
    )
    before = await log_row(uow_factory, ids[1])
    assert before is not None

    await sarah.send("/history")
    await sarah.tap("2")
    await sarah.tap("✏️ Edit")
    assert "What do you want to change?" in sarah.last_text()
    assert sarah.buttons() == [
        ["📅 Date", "⏱ Duration"],
        ["📝 Description"],
        ["💪 Difficulty", "🎯 Confidence"],
        ["« Back"],
    ]
    # Date: the /log inputs and messages.
    await sarah.tap("📅 Date")
    assert "When did you practise?" in sarah.last_text() and "Now: Fri 20 Nov" in sarah.last_text()
    assert sarah.buttons() == [["Today", "Yesterday"], ["« Back", "✖ Cancel"]]
    await sarah.send("someday")
    assert "couldn't read “someday” as a date" in sarah.last_text()
    await sarah.send("tomorrow")
    assert "The date cannot be in the future" in sarah.last_text()
    assert (await log_row(uow_factory, ids[1]))["practiced_on"] == date(2026, 11, 20)  # type: ignore[index]
    await sarah.send("yesterday")
    assert "✅ Updated the date: Fri 20 Nov → yesterday." in sarah.last_text()
    # Duration, including the 24-hour day cap (the edited session itself not counted twice).
    await sarah.tap("✏️ Edit")
    await sarah.tap("⏱ Duration")
    await sarah.send("25h")
    assert "a session can be at most 24 hours" in sarah.last_text()
    await sarah.send("8h")
    assert "only 7 h 20 min of its 24 hours is left — 8 h won't fit" in sarah.last_text()
    await sarah.send("1h30")
    assert "✅ Updated the duration: 45 min → 1 h 30 min." in sarah.last_text()
    # Description.
    await sarah.tap("✏️ Edit")
    await sarah.tap("📝 Description")
    await sarah.send("short")
    assert "That's 5 characters — please write at least 10" in sarah.last_text()
    await sarah.send("  Refactored the list   into hooks ")
    assert "✅ Updated the description." in sarah.last_text()
    assert "Refactored the list into hooks" in sarah.last_text()
    # Difficulty: typed out of range, then a button.
    await sarah.tap("✏️ Edit")
    await sarah.tap("💪 Difficulty")
    assert sarah.buttons()[:2] == [["1", "2", "3", "4", "5"], ["🚫 Clear rating"]]
    await sarah.send("7")
    assert "Difficulty is rated from 1 to 5, so 7 doesn't fit" in sarah.last_text()
    await sarah.tap("5")
    assert "✅ Updated the difficulty: 3/5 → 5/5." in sarah.last_text()
    # Confidence: not a number, then typed, then cleared.
    await sarah.tap("✏️ Edit")
    await sarah.tap("🎯 Confidence")
    await sarah.send("abc")
    assert "Type a number from 1 to 5, or tap 🚫 Clear rating." in sarah.last_text()
    await sarah.send("2")
    assert "✅ Updated the confidence: 4/5 → 2/5." in sarah.last_text()
    await sarah.tap("✏️ Edit")
    await sarah.tap("🎯 Confidence")
    await sarah.tap("🚫 Clear rating")
    assert "✅ Updated the confidence: 2/5 → not rated." in sarah.last_text()
    assert "Difficulty 5/5" in sarah.last_text() and "Confidence" not in sarah.last_text()
    # Back leaves the value step for the menu; Cancel leaves it altogether.
    await sarah.tap("✏️ Edit")
    await sarah.tap("⏱ Duration")
    await sarah.tap("« Back")
    assert "What do you want to change?" in sarah.last_text()
    await sarah.tap("📅 Date")
    await sarah.tap("✖ Cancel")
    assert "Cancelled editing the session. Nothing was saved." in sarah.last_text()

    after = await log_row(uow_factory, ids[1])
    assert after is not None
    assert (after["practiced_on"], after["duration_minutes"]) == (TODAY - timedelta(days=1), 90)
    assert after["description"] == "Refactored the list into hooks"
    assert (after["difficulty"], after["confidence"]) == (5, None)
    for fixed in ("id", "user_id", "skill_id", "created_at", "source", "client_token"):
        assert after[fixed] == before[fixed], fixed
    assert after["updated_at"] > before["updated_at"]
    assert (await log_row(uow_factory, ids[2])) is not None
    async with uow_factory() as uow:
        assert await uow.conversations.get(SARAH) is None


async def test_edit_from_the_saved_card_and_forged_skill_or_owner_edits_are_refused(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    skills = await user_with_skills(uow_factory, SARAH, "React", "SQL")
    await sarah.send("/log react 45m built a todo app component")
    card = sarah.last_message()
    log_id = int(next(d for d in data_of(card) if d.startswith("hs:del:")).split(":")[-1])
    before = await log_row(uow_factory, log_id)
    assert before is not None
    await sarah.tap("✏️ Edit")
    assert "What do you want to change?" in sarah.last_text()
    assert not any("Skill" in label for label in _flat(sarah.buttons()))
    await sarah.tap("⏱ Duration")
    await sarah.tap("30 min")
    assert sarah.answers()[-1] == "Saved"
    assert "✅ Updated the duration: 45 min → 30 min." in sarah.last_text()
    assert sarah.last_message()["message_id"] == card["message_id"]  # edited in place
    await sarah.tap("« Back to list")
    assert "1 session · 30 min" in sarah.last_text()

    # Forged edit requests naming the skill, the owner or the creation time: refused.
    for forged in (
        f"hs:ef:{log_id}:skill:0:0:0:a",
        f"hs:ef:{log_id}:skill_id",
        f"hs:ef:{log_id}:user",
        f"hs:ef:{log_id}:created_at:0:0:0:a",
        f"hs:set:{log_id}:skill:{skills['SQL']}",
        f"hs:set:{log_id}:user:2002:0:0:0:a",
        f"hs:set:{log_id}:user_id:2002",
    ):
        await sarah.tap_data(forged)
        assert sarah.answers()[-1] == NOT_EDITABLE, forged
    # ... and so are values out of a field's range, and step buttons no flow has.
    await sarah.send("/history")
    await sarah.tap("1")
    await sarah.tap("✏️ Edit")
    await sarah.tap("📅 Date")
    for forged in (
        f"hs:set:{log_id}:dur:5000",
        f"hs:set:{log_id}:diff:9",
        f"hs:set:{log_id}:date:2",
        f"he:sk:{skills['SQL']}",
    ):
        await sarah.tap_data(forged)
        assert sarah.answers()[-1] == STALE_BUTTON, forged
    # A value button pressed twice (a double tap) saves once and keeps the screen's buttons.
    await sarah.send("/history")
    await sarah.tap("1")
    await sarah.tap("✏️ Edit")
    await sarah.tap("💪 Difficulty")
    prompt = sarah.last_message()
    await sarah.tap("4", message=prompt["message_id"])
    await sarah.tap_data(data_of(prompt)[3], prompt["message_id"])
    assert sarah.answers()[-2:] == ["Saved", "No change"]
    assert sarah.buttons() == [["✏️ Edit", "🗑 Delete"], ["📎 Evidence (0)", "« Back to list"]]
    after = await log_row(uow_factory, log_id)
    assert after is not None
    assert after["skill_id"] == skills["React"] == before["skill_id"]
    assert (after["user_id"], after["created_at"]) == (SARAH, before["created_at"])
    assert (after["duration_minutes"], after["practiced_on"]) == (30, TODAY)
    assert (after["difficulty"], after["confidence"]) == (4, None)


async def test_delete_takes_the_evidence_and_undo_restores_the_same_rows(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = (await user_with_skills(uow_factory, SARAH, "React"))["React"]
    ids = await add_sessions(
        uow_factory,
        SARAH,
        [(1, react, date(2026, 11, 20), 45), (2, react, date(2026, 11, 18), 30)],
        ratings={1: (2, 5)},
    )
    await add_evidence(uow_factory, SARAH, react, ids[1], "link", url="https://react.dev/learn")
    await add_evidence(uow_factory, SARAH, react, ids[1], "note", note="Keys must be stable")
    await add_evidence(
        uow_factory,
        SARAH,
        react,
        ids[1],
        "screenshot",
        file_name="todo.png",
        file_size=48_000,
        mime_type="image/png",
        width=800,
        height=600,
        storage="telegram",
        file_id="file-1",
        file_unique_id="unique-1",
        uploaded_at=START,
    )
    async with uow_factory() as uow:  # skill-level evidence stays whatever happens
        uow.session.add(
            Evidence(
                user_id=SARAH, skill_id=react, kind="note", note="General notes", created_at=START
            )
        )
        await uow.commit()
    log_before = await log_row(uow_factory, ids[1])
    evidence_before = await evidence_rows(uow_factory, SARAH)
    assert len(evidence_before) == 4

    await sarah.send("/history")
    list_message = sarah.last_message()["message_id"]
    await sarah.tap("1")
    await sarah.tap("🗑 Delete")
    assert sarah.last_text().startswith(
        "🗑 Delete this 45 min React session from Fri 20 Nov and its 3 pieces of evidence?"
    )
    assert sarah.buttons() == [["🗑 Delete", "Keep"]]
    await sarah.tap("Keep")
    assert "📎 Evidence (3)" in sarah.last_text()
    assert await log_row(uow_factory, ids[1]) is not None
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    assert sarah.answers()[-1] == "Deleted"
    assert sarah.last_text().startswith(
        "🗑 Deleted the 45 min React session from Fri 20 Nov and its 3 pieces of evidence."
    )
    assert sarah.buttons() == [["↩️ Undo", "« Back to list"]]
    assert await log_row(uow_factory, ids[1]) is None
    assert [e["note"] for e in await evidence_rows(uow_factory, SARAH)] == ["General notes"]
    [snapshot] = await snapshots(uow_factory)
    assert snapshot["expires_at"] == START + timedelta(minutes=10)
    await sarah.send("/history")
    assert shown(sarah.last_text()) == [2]

    # Undo on the "deleted" message: the same rows come back, every column.
    await sarah.tap("↩️ Undo")
    assert sarah.answers()[-1] == "Restored"
    assert sarah.last_text().startswith(
        "↩️ Restored the 45 min React session from Fri 20 Nov and its 3 pieces of evidence."
    )
    assert "📎 Evidence (3)" in sarah.last_text()
    assert await log_row(uow_factory, ids[1]) == log_before
    assert await evidence_rows(uow_factory, SARAH) == evidence_before
    assert await snapshots(uow_factory) == []
    assert sarah.last_message()["message_id"] == list_message
    await sarah.tap("« Back to list")
    assert shown(sarah.last_text()) == [1, 2]
    # The snapshot is used up: a second Undo (a double tap) restores nothing twice.
    restored_screen = sarah.last_text()
    await sarah.tap_data(f"hs:u:{snapshot['id']}")
    assert "nothing to undo any more" in sarah.answers()[-1]
    assert sarah.last_text() == restored_screen
    assert await count(uow_factory, PracticeLog, SARAH) == 2
    assert await count(uow_factory, Evidence, SARAH) == 4


async def test_undo_after_the_window_and_the_sweep_of_old_snapshots(
    app: BotApp, sarah: ChatUser, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    react = (await user_with_skills(uow_factory, SARAH, "React"))["React"]
    ids = await add_sessions(
        uow_factory, SARAH, [(1, react, TODAY, 45), (2, react, TODAY, 30), (3, react, TODAY, 20)]
    )
    await add_evidence(uow_factory, SARAH, react, ids[3], "note", note="A note")
    await sarah.send("/history")
    await sarah.tap("1")  # session 3
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    expired_message = sarah.last_message()["message_id"]
    clock.advance(minutes=10, seconds=1)
    await sarah.tap("↩️ Undo", message=expired_message)
    assert sarah.answers()[-1].startswith("Too late to undo")
    assert "That session stays deleted" in sarah.last_text()
    assert sarah.buttons() == [["« Back to list"]]
    assert await log_row(uow_factory, ids[3]) is None
    assert await count(uow_factory, Evidence, SARAH) == 0

    # A fresh delete inside its window survives the sweep; the expired snapshot does not.
    await sarah.send("/history")
    await sarah.tap("1")  # session 2
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    job_names = {job.name for job in app.job_queue.jobs()} if app.job_queue else set()
    assert "purge-undo-snapshots" in job_names
    assert await purge_undo_snapshots(app.bot_data["deps"]) == 1
    assert len(await snapshots(uow_factory)) == 1
    await sarah.tap("↩️ Undo")
    assert sarah.answers()[-1] == "Restored"
    assert await log_row(uow_factory, ids[2]) is not None
    assert await log_row(uow_factory, ids[3]) is None
    assert await purge_undo_snapshots(app.bot_data["deps"]) == 0


async def test_stale_delete_and_edit_buttons_after_the_session_is_gone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await user_with_skills(uow_factory, SARAH, "React")
    await sarah.send("/log react 45m built a todo app component")
    card = sarah.last_message()["message_id"]
    card_data = data_of(sarah.last_message())
    assert card_data[2].startswith("hs:edit:")
    await sarah.send("/history")
    await sarah.tap("1")
    await sarah.tap("🗑 Delete")
    confirm = sarah.last_message()["message_id"]
    confirm_data = data_of(sarah.last_message())[0]
    await sarah.tap("🗑 Delete")
    assert await count(uow_factory, PracticeLog, SARAH) == 0
    [snapshot] = await snapshots(uow_factory)

    # The saved card still shows Edit and Delete; pressing them finds nothing and says so.
    await sarah.tap("🗑 Delete", message=card)
    assert sarah.answers()[-1] == NOT_FOUND
    assert "That session no longer exists" in sarah.last_text()
    assert sarah.buttons() == [["« Back to list"]]
    await sarah.tap_data(card_data[2], card)  # ✏️ Edit, pressed on an older copy of the card
    assert sarah.answers()[-1] == NOT_FOUND
    # A second press of the confirmation (a double tap) deletes nothing more and keeps Undo.
    await sarah.tap_data(confirm_data, confirm)
    assert sarah.answers()[-1] == NOT_FOUND
    assert sarah.api.find_message(SARAH, confirm)["text"].startswith("🗑 Deleted the 45 min")  # type: ignore[index]
    assert sarah.buttons(confirm) == [["↩️ Undo", "« Back to list"]]
    assert await snapshots(uow_factory) == [snapshot]
    assert await count(uow_factory, PracticeLog, SARAH) == 0


async def test_another_users_ids_in_forged_buttons_show_and_change_nothing(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = (await user_with_skills(uow_factory, SARAH, "React"))["React"]
    ids = await add_sessions(uow_factory, SARAH, [(1, react, TODAY, 45), (2, react, TODAY, 30)])
    await add_evidence(uow_factory, SARAH, react, ids[1], "note", note="Sarah's private note")
    await sarah.send("/history")
    await sarah.tap("2")  # session 1
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    [snapshot] = await snapshots(uow_factory)
    kept = await log_row(uow_factory, ids[2])

    await user_with_skills(uow_factory, 2002)
    await mallory.send("/history")
    assert "No sessions yet" in mallory.last_text()
    log_id, other = ids[2], ids[1]
    forged = [
        f"hs:v:{log_id}:0:0:0:a",
        f"hs:edit:{log_id}",
        f"hs:ef:{log_id}:desc:0:0:0:a",
        f"hs:ef:{log_id}:dur",
        f"hs:del:{log_id}",
        f"hs:dy:{log_id}:0:0:0:a",
        f"hs:dy:{other}",
        f"hs:u:{snapshot['id']}",
        f"hs:p:a:0:0:{react}:a",
        f"hs:p:o:{TODAY.toordinal()}:{log_id + 1}:{react}:a",
        f"hs:sk:0:0:0:{react}:w",
    ]
    for data in forged:
        await mallory.tap_data(data)
    malformed = [
        "hs:p:z:0:0:0:a",
        "hs:p:a:0:5:0:a",
        "hs:p:a:0:0:0:zz",
        "hs:p:a:0:0:0:a:extra",
        "hs:v:abc",
        "hs:v:-1",
        "hs:nope",
        f"hs:ef:{log_id}",
        "he:d:30",
    ]
    for data in malformed:
        await mallory.tap_data(data)
        assert mallory.answers()[-1] == STALE_BUTTON, data
    seen = "\n".join(mallory.texts()) + str(mallory.answers())
    for secret in (tag(1), tag(2), "React", "private note"):
        assert secret not in seen
    async with uow_factory() as uow:
        assert await uow.conversations.get(2002) is None
    assert await log_row(uow_factory, ids[2]) == kept
    assert await log_row(uow_factory, ids[1]) is None
    assert await snapshots(uow_factory) == [snapshot]
    # Sarah's Undo still works: Mallory's press neither used nor destroyed it.
    await sarah.tap("↩️ Undo")
    assert sarah.answers()[-1] == "Restored"
    assert await count(uow_factory, Evidence, SARAH) == 1


async def test_undo_after_the_deleted_id_was_reused_restores_under_a_new_id(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    react = (await user_with_skills(uow_factory, SARAH, "React"))["React"]
    await sarah.send("/log react 45m built a todo app component")
    await sarah.send("/history")
    await sarah.tap("1")
    deleted = await log_row(uow_factory, int(data_of(sarah.last_message())[0].split(":")[2]))
    assert deleted is not None
    await add_evidence(uow_factory, SARAH, react, deleted["id"], "note", note="Hooks")
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    # SQLite gives the highest id to the next insert again; PostgreSQL's sequence never does.
    await sarah.send("/log react 20m read the docs on effects")
    card = data_of(sarah.last_message())
    newer = int(next(d for d in card if d.startswith("hs:del:")).split(":")[-1])
    await sarah.tap("↩️ Undo")
    assert sarah.answers()[-1] == "Restored"
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(PracticeLog).order_by(PracticeLog.id)))
        restored = next(r for r in rows if r.description == deleted["description"])
        assert {r.description for r in rows} == {
            "built a todo app component",
            "read the docs on effects",
        }
        assert (restored.id == deleted["id"]) == (newer != deleted["id"])
        assert restored.created_at == deleted["created_at"]
        evidence = list(await uow.session.scalars(select(Evidence)))
        assert [(e.practice_log_id, e.note) for e in evidence] == [(restored.id, "Hooks")]
