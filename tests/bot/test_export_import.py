"""/export and /import through the real Application: round trips, formats, previews, refusals."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.export_format import FORMULA_TRIGGERS
from bot.domain.import_format import read_import
from bot.domain.skills import skill_name_key
from bot.handlers.importing import has_import_caption
from bot.ui.imports import error_line
from tests.bot.transfer_helpers import (
    add_evidence,
    add_log,
    add_skill,
    comparable,
    count_rows,
    export,
    register,
    sent_document,
    sessions,
    set_user,
)
from tests.chat import ChatUser
from tests.fakebot import FakeBotApi
from tests.support import UnitOfWorkFactory

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = date(2026, 11, 25)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SARAH, MALLORY = 1001, 2002


async def seed_history(uow_factory: UnitOfWorkFactory) -> None:
    """Sarah: settings, four skills (one archived, one unused), sessions and all evidence kinds."""
    await set_user(
        uow_factory,
        SARAH,
        timezone="Europe/Berlin",
        inactivity_days=3,
        weekly_goal_minutes=300,
        streak_enabled=False,
        paused_until=date(2026, 12, 1),
    )
    react = await add_skill(uow_factory, SARAH, "React")
    sql = await add_skill(uow_factory, SARAH, "SQL")
    guitar = await add_skill(uow_factory, SARAH, "Guitar", archived=True)
    await add_skill(uow_factory, SARAH, "Español")
    first = await add_log(
        uow_factory, SARAH, react, date(2026, 11, 20), 45, "Built a todo list component", 3, 4
    )
    await add_log(uow_factory, SARAH, react, date(2026, 11, 20), 30, "Refactored the todo list")
    await add_log(uow_factory, SARAH, sql, date(2026, 11, 22), 90, "Window functions: RANK, LAG")
    last = await add_log(
        uow_factory, SARAH, guitar, date(2026, 10, 2), 20, "Chord changes with a metronome", 2
    )
    created = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    await add_evidence(
        uow_factory,
        SARAH,
        practice_log_id=first,
        skill_id=react,
        kind="link",
        url="https://github.com/sarah/todo",
        created_at=created,
    )
    await add_evidence(
        uow_factory, SARAH, skill_id=sql, kind="note", note="Read the docs", created_at=created
    )
    await add_evidence(
        uow_factory,
        SARAH,
        practice_log_id=last,
        skill_id=guitar,
        kind="screenshot",
        file_name="chords.png",
        file_size=12345,
        mime_type="image/png",
        width=800,
        height=600,
        storage="telegram",
        file_id="photo-abc",
        file_unique_id="uphoto-abc",
        uploaded_at=created,
        created_at=created,
    )


async def import_file(
    user: ChatUser, name: str, data: bytes, mime: str = "text/csv", *, confirm: bool = True
) -> str:
    """/import, send the file, and (if asked) press Import; returns the preview's text."""
    await user.send("/import")
    await user.send_document(name, mime, data=data)
    preview = user.last_text()
    if confirm:
        await user.tap_containing("📥 Import")
    return preview


# --- round trips ---------------------------------------------------------------------------


async def test_json_export_imports_into_a_fresh_account_unchanged(
    sarah: ChatUser, mallory: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await seed_history(uow_factory)
    name, original = await export(sarah, "json")
    assert name == "practice-tracker-2026-11-25.json"
    assert json.loads(original)["user"]["timezone"] == "Europe/Berlin"

    await register(uow_factory, mallory)
    await mallory.send_document(name, "application/json", data=original, caption="/import")
    preview = mallory.last_text()
    assert "a practice-tracker export (JSON)" in preview
    assert "Sessions in the file: 4" in preview
    assert "Sessions to import: 4 (3 h 5 min, 2026-10-02 to 2026-11-22)" in preview
    assert "Skills to create (4): React, SQL, Guitar, Español" in preview
    assert "Evidence to import: 3" in preview
    assert "time zone (Europe/Berlin) and reminder settings will be restored" in preview
    assert mallory.buttons() == [["📥 Import 4 sessions", "✖ Cancel"]]
    await mallory.tap("📥 Import 4 sessions")
    summary = mallory.last_text()
    assert "Imported 4 sessions (3 h 5 min)" in summary
    assert "Created 4 skills" in summary
    assert "Added 3 pieces of evidence" in summary
    assert "Restored your time zone" in summary

    _, again = await export(mallory, "json")
    assert comparable(again) == comparable(original)
    # Sarah's account is untouched by Mallory's import.
    assert await count_rows(uow_factory, SARAH) == (4, 4, 3)


async def test_csv_export_imports_back(
    sarah: ChatUser, mallory: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await seed_history(uow_factory)
    name, data = await export(sarah, "csv")
    assert name == "practice-tracker-2026-11-25.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["date", "skill", "duration_minutes"]
    # Oldest first: Guitar (a screenshot), React (a link), React, SQL (its note is the skill's).
    assert [row[6] for row in rows[1:]] == ["1", "1", "0", "0"]

    preview = await import_file(mallory, name, data)
    assert "a practice-tracker export (CSV)" in preview
    assert "Rows read: 4" in preview
    assert await sessions(uow_factory, MALLORY) == await sessions(uow_factory, SARAH)


async def test_formula_looking_text_is_exported_neutralised_and_imports_back(
    sarah: ChatUser, mallory: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    risky = await add_skill(uow_factory, SARAH, "=cmd|' /C calc'!A0")
    descriptions = [
        '=HYPERLINK("http://x")',
        "+1 rep compared with last week",
        "-2 kg on the bar, still fine",
        "@SUM(A1) formulas in sheets",
    ]
    for n, text in enumerate(descriptions):
        await add_log(uow_factory, SARAH, risky, date(2026, 11, 10 + n), 30, text)

    await sarah.send("/export")
    await sarah.tap("📊 CSV")
    name, data, call = sent_document(api, SARAH)
    assert call.params["caption"].startswith("4 sessions (2 h)")
    text = data.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell and cell[0] in FORMULA_TRIGGERS]

    await import_file(mallory, name, data)
    imported = await sessions(uow_factory, MALLORY)
    assert [row[3] for row in imported] == descriptions
    assert {row[0] for row in imported} == {"=cmd|' /C calc'!A0"}


async def test_empty_history_still_exports_valid_files(sarah: ChatUser, api: FakeBotApi) -> None:
    name, data = await export(sarah, "json")
    document = json.loads(data)
    assert document["format"] == "practice-tracker"
    assert document["practice_logs"] == [] and document["skills"] == []
    assert "haven't logged any sessions yet" in api.last("sendDocument").params["caption"]
    assert read_import(name, data, TODAY).rows == []

    _, csv_data = await export(sarah, "csv")
    assert csv_data.decode("utf-8-sig").strip().startswith('"date","skill"')
    assert sarah.last_text() == "✅ Here's your export: practice-tracker-2026-11-25.csv."


# --- input dialects ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "mime", "kind"),
    [
        ("generic_comma.csv", "text/csv", "a spreadsheet (CSV)"),
        ("generic_semicolon_bom.csv", "text/csv", "a spreadsheet (CSV)"),
        ("toggl_detailed.csv", "text/csv", "a Toggl Track export (CSV)"),
        ("generic.xlsx", XLSX, "a spreadsheet (XLSX)"),
    ],
)
async def test_each_dialect_imports_through_the_chat(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, file_name: str, mime: str, kind: str
) -> None:
    data = (DATA / file_name).read_bytes()
    expected = read_import(file_name, data, TODAY)
    preview = await import_file(sarah, file_name, data, mime)
    assert kind in preview
    assert f"Rows read: {expected.rows_read}" in preview
    assert f"Sessions to import: {len(expected.rows)}" in preview
    for error in expected.errors:
        assert error_line(error, expected.kind).removeprefix("• ") in preview
    stored = await sessions(uow_factory, SARAH)
    assert sorted((skill_name_key(s[0]), s[1], s[2], s[3]) for s in stored) == sorted(
        (skill_name_key(r.skill_name), r.practiced_on, r.duration_minutes, r.description)
        for r in expected.rows
    )
    assert f"Imported {len(expected.rows)} sessions" in sarah.last_text()


async def test_preview_lists_every_invalid_row_with_its_reason(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    data = (DATA / "invalid_rows.csv").read_bytes()
    expected = read_import("invalid_rows.csv", data, TODAY)
    assert len(expected.errors) == 15
    preview = await import_file(sarah, "invalid_rows.csv", data, confirm=False)
    assert "15 rows can't be imported:" in preview
    for error in expected.errors:
        assert f"Row {error.row_number}: {error.reason}" in preview
    for reason in ("Missing date.", "There's no such date", "is in the future", "Missing skill."):
        assert reason in preview
    assert "more." not in preview
    assert await count_rows(uow_factory, SARAH) == (0, 0, 0)
    await sarah.tap("📥 Import 1 session")
    assert await sessions(uow_factory, SARAH) == [
        ("React", date(2026, 11, 21), 45, "The one valid row in this file", 2, 3)
    ]
    assert "Skipped: 15 invalid rows." in sarah.last_text()


async def test_rows_past_24_hours_a_day_become_invalid(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    react = await add_skill(uow_factory, SARAH, "React")
    await add_log(uow_factory, SARAH, react, date(2026, 11, 20), 1400, "A very long hackathon")
    data = (
        b"Date,Skill,Minutes,Description\n"
        b"2026-11-20,React,60,An hour more on that day\n"
        b"2026-11-20,React,30,Half an hour more that day\n"
        b"2026-11-21,React,1000,Most of a long day of practice\n"
        b"2026-11-21,SQL,500,The rest of that long day\n"
        b"2026-11-21,SQL,440,Exactly fills the day up\n"
    )
    preview = await import_file(sarah, "days.csv", data, confirm=False)
    assert "Sessions to import: 3" in preview
    assert "2 rows can't be imported:" in preview
    assert (
        "Row 2: 2026-11-20: You've already logged 23 h 20 min on that day, so only 40 min of "
        "its 24 hours is left — 1 h won't fit.\n"
    ) in preview
    assert (
        "Row 5: 2026-11-21: You've already logged 16 h 40 min on that day, so only 7 h 20 min "
        "of its 24 hours is left — 8 h 20 min won't fit. (counting the rows above it in this file)"
    ) in preview
    await sarah.tap("📥 Import 3 sessions")
    assert [(s[0], s[1], s[2]) for s in await sessions(uow_factory, SARAH)] == [
        ("React", date(2026, 11, 20), 1400),
        ("React", date(2026, 11, 20), 30),
        ("React", date(2026, 11, 21), 1000),
        ("SQL", date(2026, 11, 21), 440),
    ]


async def test_more_than_twenty_invalid_rows_show_twenty_and_a_count(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    lines = ["Date,Skill,Minutes,Description"]
    lines += [f"2026-11-{n:02d},React,abc,Unreadable duration number {n}" for n in range(1, 24)]
    lines.append("2026-11-24,React,30,One good row at the end")
    preview = await import_file(sarah, "many.csv", "\n".join(lines).encode(), confirm=False)
    assert "23 rows can't be imported:" in preview
    assert "Row 21: I couldn't read “abc” as a duration." in preview
    assert "Row 22:" not in preview
    assert "…and 3 more." in preview
    assert len(preview) < 4096


# --- idempotency ---------------------------------------------------------------------------


async def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    data = (DATA / "generic_comma.csv").read_bytes()
    await import_file(sarah, "generic_comma.csv", data)
    first = await sessions(uow_factory, SARAH)
    assert len(first) == 5

    preview = await import_file(sarah, "generic_comma.csv", data, confirm=False)
    assert "Sessions to import: 0" in preview
    assert "Already in your history, skipped: 5" in preview
    assert "Nothing new to import" in preview
    assert sarah.buttons() == []
    assert await sessions(uow_factory, SARAH) == first
    # The conversation is over: a file sent now is not taken as an import.
    await sarah.send_document("generic_comma.csv", "text/csv", data=data)
    assert "send /import and then the file" in sarah.last_text()


async def test_identical_rows_in_one_file_are_two_sessions_and_reimport_finds_both(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    row = "2026-11-20,React,30,Same drill as the morning\n"
    data = ("Date,Skill,Minutes,Description\n" + row + row).encode()
    await import_file(sarah, "twice.csv", data)
    assert len(await sessions(uow_factory, SARAH)) == 2
    preview = await import_file(sarah, "twice.csv", data + row.encode(), confirm=False)
    assert "Sessions to import: 1" in preview
    assert "Already in your history, skipped: 2" in preview


async def test_json_reimport_into_the_same_account_adds_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await seed_history(uow_factory)
    name, data = await export(sarah, "json")
    preview = await import_file(sarah, name, data, "application/json", confirm=False)
    assert "Already in your history, skipped: 4" in preview
    assert "Nothing new to import" in preview
    assert "restored" not in preview  # settings are only restored into an empty account
    assert await count_rows(uow_factory, SARAH) == (4, 4, 3)


# --- refusals ------------------------------------------------------------------------------


async def test_oversized_file_is_refused_before_any_download(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    big = 10 * 1024 * 1024 + 1
    await sarah.send_document("huge.csv", "text/csv", size=big, caption="/import")
    assert "This file is 10.1 MB; the limit is 10 MB." in sarah.last_text()

    await sarah.send("/import")
    await sarah.send_document("huge.xlsx", XLSX, size=big)
    assert "the limit is 10 MB" in sarah.last_text()
    assert "Send another file, or tap ✖ Cancel." in sarah.last_text()
    assert api.sent("getFile") == []
    assert api.downloads == []
    # Still waiting: a good file goes on to the preview.
    await sarah.send_document("ok.csv", "text/csv", data=(DATA / "generic_comma.csv").read_bytes())
    assert "Sessions to import: 5" in sarah.last_text()
    assert await count_rows(uow_factory, SARAH) == (0, 0, 0)


async def test_file_over_telegram_limit_without_a_size_is_refused_clearly(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    await sarah.send("/import")
    # A document whose message carries no size: getFile is asked, and refuses it (over 20 MB).
    api.store_file("doc-huge", "udoc-huge", size=25 * 1024 * 1024, ext="csv")
    await sarah.send_update(
        {
            "message": {
                "message_id": api.next_message_id(SARAH),
                "from": sarah.user,
                "chat": sarah.chat,
                "date": api.now(),
                "document": {
                    "file_id": "doc-huge",
                    "file_unique_id": "udoc-huge",
                    "file_name": "huge.csv",
                    "mime_type": "text/csv",
                },
            }
        }
    )
    assert "Telegram only lets bots download files up to 20 MB" in sarah.last_text()
    assert api.downloads == []


@pytest.mark.parametrize(
    ("file_name", "mime", "data", "message"),
    [
        ("corrupt.xlsx", XLSX, (DATA / "corrupt.xlsx").read_bytes(), "damaged"),
        ("backup.json", "application/json", b'{"format": "practice-tracker", "vers', "valid JSON"),
        ("notes.csv", "text/csv", b"just,some,words\nand,more,words\n", "header row"),
        ("empty.csv", "text/csv", b"", "This file is empty"),
    ],
)
async def test_wrong_or_corrupt_files_get_a_clear_message_and_change_nothing(
    sarah: ChatUser,
    uow_factory: UnitOfWorkFactory,
    file_name: str,
    mime: str,
    data: bytes,
    message: str,
) -> None:
    await sarah.send("/import")
    await sarah.send_document(file_name, mime, data=data)
    assert message in sarah.last_text()
    assert sarah.buttons() == [["✖ Cancel"]]
    assert await count_rows(uow_factory, SARAH) == (0, 0, 0)
    await sarah.tap("✖ Cancel")
    assert "Cancelled the import. Nothing was saved." in sarah.last_text()


# --- the conversation ----------------------------------------------------------------------


async def test_cancel_at_each_step_and_a_stale_import_button(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/export")
    await sarah.tap("✖ Cancel")
    assert "Export cancelled" in sarah.last_text()
    assert api.sent("sendDocument") == []

    await sarah.send("/import")
    assert "Up to 10 MB and 20,000 rows per file." in sarah.last_text()
    await sarah.tap("✖ Cancel")
    assert "Cancelled the import. Nothing was saved." in sarah.last_text()

    data = (DATA / "generic_comma.csv").read_bytes()
    await import_file(sarah, "generic_comma.csv", data, confirm=False)
    preview = sarah.last_message()
    await sarah.tap("✖ Cancel")
    await sarah.tap_data("imp:go", message_id=preview["message_id"])
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."

    await import_file(sarah, "generic_comma.csv", data, confirm=False)
    await sarah.send("/cancel")
    assert "Cancelled the import" in sarah.last_text()
    assert await count_rows(uow_factory, SARAH) == (0, 0, 0)


async def test_a_new_file_replaces_the_previewed_one(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await import_file(
        sarah, "generic_comma.csv", (DATA / "generic_comma.csv").read_bytes(), confirm=False
    )
    old_preview = sarah.last_message()
    await sarah.send("what now?")
    assert "Tap Import on the preview above" in sarah.last_text()
    await sarah.send_document(
        "toggl.csv", "text/csv", data=(DATA / "toggl_detailed.csv").read_bytes()
    )
    await sarah.tap_data("imp:go", message_id=old_preview["message_id"])
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."
    await sarah.tap("📥 Import 3 sessions")
    assert len(await sessions(uow_factory, SARAH)) == 3


async def test_waiting_for_a_file_explains_what_to_send(sarah: ChatUser) -> None:
    await sarah.send("/import")
    await sarah.send("here it is")
    assert "I'm waiting for the file to import" in sarah.last_text()
    await sarah.send_photo()
    assert "That's a photo" in sarah.last_text()
    assert sarah.buttons() == [["✖ Cancel"]]


async def test_import_edits_a_status_message_as_it_goes(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    lines = ["Date,Skill,Minutes,Description"]
    lines += [
        f"{TODAY - timedelta(days=n // 4)},Go,30,Exercise {n} of the tour" for n in range(800)
    ]
    await import_file(sarah, "big.csv", "\n".join(lines).encode(), confirm=False)
    preview_id = sarah.last_message()["message_id"]
    start = api.mark()
    await sarah.tap("📥 Import 800 sessions")
    edits = [
        call.params["text"]
        for call in api.calls_since(start)
        if call.method == "editMessageText" and call.params["message_id"] == preview_id
    ]
    assert [text.split("… ")[1].split("%")[0] for text in edits[:3]] == ["0", "30", "60"]
    assert "Checking and saving 800 sessions…" in edits[2]
    assert edits[-1].startswith("✅ Imported <b>800 sessions</b>")
    assert sarah.answers()[-1] == "Importing…"
    # A second tap on the same (now edited) message finds nothing to confirm.
    await sarah.tap_data("imp:go", message_id=preview_id)
    assert sarah.answers()[-1] == "This button has expired. Nothing was changed."
    assert len(await sessions(uow_factory, SARAH)) == 800


async def test_a_small_import_goes_straight_to_the_summary(
    sarah: ChatUser, api: FakeBotApi
) -> None:
    await import_file(
        sarah, "generic_comma.csv", (DATA / "generic_comma.csv").read_bytes(), confirm=False
    )
    start = api.mark()
    await sarah.tap("📥 Import 5 sessions")
    edits = [c.params["text"] for c in api.calls_since(start) if c.method == "editMessageText"]
    assert len(edits) == 2 and "… 0%" in edits[0]
    assert edits[1].startswith("✅ Imported <b>5 sessions</b>")


async def test_someone_else_cannot_confirm_an_import(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await import_file(
        sarah, "generic_comma.csv", (DATA / "generic_comma.csv").read_bytes(), confirm=False
    )
    await mallory.tap_data("imp:go")
    assert mallory.answers()[-1] == "This button has expired. Nothing was changed."
    await mallory.tap_data("exp:zip")
    assert mallory.answers()[-1] == "This button has expired. Nothing was changed."
    assert await count_rows(uow_factory, SARAH) == (0, 0, 0)
    assert await count_rows(uow_factory, MALLORY) == (0, 0, 0)


async def test_documents_outside_import_are_only_claimed_with_an_import_caption(
    sarah: ChatUser, api: FakeBotApi, uow_factory: UnitOfWorkFactory
) -> None:
    data = (DATA / "generic_comma.csv").read_bytes()
    await sarah.send_document("log.csv", "text/csv", data=data)
    assert "To import log.csv, send /import and then the file" in sarah.last_text()
    # Any other document is evidence (metadata only), never downloaded.
    await sarah.send_document("report.pdf", "application/pdf", data=b"%PDF-1.4")
    assert "To keep evidence I attach it to a session or a skill" in sarah.last_text()
    assert api.sent("getFile") == []

    # Images are evidence (#5), never claimed here.
    await sarah.send_document("shot.png", "image/png", data=b"\x89PNG", caption="/import")
    assert "preview" not in sarah.last_text() and "Rows read" not in sarah.last_text()

    await sarah.send_document("log.csv", "text/csv", data=data, caption="import my old log")
    assert "Sessions to import: 5" in sarah.last_text()
    await sarah.tap("📥 Import 5 sessions")
    assert len(await sessions(uow_factory, SARAH)) == 5


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("/import", True),
        ("/import@PracticeBot", True),
        ("  Import my Toggl data", True),
        ("import:", True),
        ("imported from Toggl", False),
        ("please /import", False),
        ("", False),
        (None, False),
    ],
)
def test_import_captions(caption: str | None, expected: bool) -> None:
    assert has_import_caption(caption) is expected
