"""/import's preview through the real Application: column mapping, languages, encodings, dates,
and other apps' exports (Clockify, Loop Habit Tracker)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from bot.ui.texts import STALE_BUTTON
from tests.bot.transfer_helpers import register, sessions
from tests.chat import ChatUser
from tests.support import UnitOfWorkFactory

DATA = Path(__file__).resolve().parent.parent / "data"
SARAH = 1001


async def preview(user: ChatUser, name: str, data: bytes) -> str:
    """/import and send the file; the preview's text."""
    await user.send("/import")
    await user.send_document(name, "text/csv", data=data)
    return user.last_text()


def descriptions(rows: list[tuple[object, ...]]) -> list[object]:
    return [row[3] for row in rows]


# --- the mapping preview -------------------------------------------------------------------


async def test_preview_shows_how_each_column_was_read_with_samples(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    text = await preview(
        sarah,
        "log.csv",
        b"Day,Habit,Time spent,What I worked on,Mood\n"
        b"2026-11-20,Guitar,45,Scales in G major and arpeggios,good\n"
        b"2026-11-21,Guitar,30,Barre chords with a metronome,tired\n",
    )

    assert "date ← “Day” (2026-11-20, 2026-11-21)" in text
    assert "skill ← “Habit” (Guitar, Guitar)" in text
    assert "minutes ← “Time spent” (45, 30)" in text
    assert (
        "description ← “What I worked on” (Scales in G major and a…, Barre chords with a met…)"
        in text
    )
    assert "ignored: “Mood” (good, tired)" in text
    assert sarah.buttons() == [["🔀 Change columns"], ["📥 Import 2 sessions", "✖ Cancel"]]
    await sarah.tap("📥 Import 2 sessions")
    assert descriptions(await sessions(uow_factory, SARAH)) == [
        "Scales in G major and arpeggios",
        "Barre chords with a metronome",
    ]


async def test_a_changed_mapping_is_previewed_again_and_imported(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    text = await preview(
        sarah,
        "log.csv",
        b"Date,Skill,Minutes,Notes,Summary\n"
        b"2026-11-20,Guitar,45,scales,Two octave scales in G and D major\n"
        b"2026-11-21,Guitar,30,chords,Barre chords with a metronome at 80\n",
    )
    assert "description ← “Notes” (scales, chords)" in text
    assert "2 rows can't be imported" in text
    assert "Description too short" in text

    await sarah.tap("🔀 Change columns")
    assert "Which column holds what?" in sarah.last_text()
    await sarah.tap("Summary → ignored")
    assert "Column “Summary”" in sarah.last_text()
    await sarah.tap("« Back")  # back to the list, and in again
    await sarah.tap("Summary → ignored")
    await sarah.tap("description")

    text = sarah.last_text()
    assert "description ← “Summary”" in text
    assert "ignored: “Notes” (scales, chords)" in text
    assert "Sessions to import: 2" in text
    await sarah.tap("📥 Import 2 sessions")
    assert "Imported 2 sessions" in sarah.last_text()
    assert descriptions(await sessions(uow_factory, SARAH)) == [
        "Two octave scales in G and D major",
        "Barre chords with a metronome at 80",
    ]


async def test_unmapping_a_required_column_says_what_is_missing_and_offers_no_import(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await preview(sarah, "log.csv", b"Date,Skill,Minutes\n2026-11-20,Guitar,45\n")
    await sarah.tap("🔀 Change columns")
    await sarah.tap("Date → date")
    await sarah.tap("ignore it")

    assert "No column is read as the date yet" in sarah.last_text()
    assert sarah.buttons() == [["🔀 Change columns"], ["✖ Cancel"]]
    # A stale Import button from before the change imports nothing.
    await sarah.tap_data("imp:go")
    assert await sessions(uow_factory, SARAH) == []
    await sarah.tap("🔀 Change columns")
    await sarah.tap("Date → ignored")
    await sarah.tap("date")
    await sarah.tap("📥 Import 1 session")
    assert len(await sessions(uow_factory, SARAH)) == 1


async def test_forged_column_buttons_are_refused_politely(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await preview(sarah, "log.csv", b"Date,Skill,Minutes\n2026-11-20,Guitar,45\n")
    preview_id = sarah.last_message()["message_id"]

    await sarah.tap_data("imp:col:9", message_id=preview_id)  # no such column
    await sarah.tap_data("imp:set:1:mood", message_id=preview_id)  # no such field
    assert sarah.answers()[-2:] == [STALE_BUTTON, STALE_BUTTON]
    await sarah.tap("✖ Cancel")
    assert await sessions(uow_factory, SARAH) == []


# --- header words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "described_by"),
    [
        ("Datum;Fähigkeit;Minuten;Beschreibung", "Beschreibung"),
        ("Fecha;Habilidad;Minutos;Notas", "Notas"),
        ("Дата;Навык;Минуты;Заметки", "Заметки"),
        ("Date;Skill;Minutes;Activity", "Activity"),
        ("Date;Skill;Minutes;Comment", "Comment"),
    ],
)
async def test_header_synonyms_in_several_languages(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, header: str, described_by: str
) -> None:
    await register(uow_factory, sarah)
    text = await preview(
        sarah, "log.csv", f"{header}\n20.11.2026;Gitarre;45;Tonleitern in G-Dur geübt\n".encode()
    )
    assert f"description ← “{described_by}”" in text
    await sarah.tap("📥 Import 1 session")
    assert descriptions(await sessions(uow_factory, SARAH)) == ["Tonleitern in G-Dur geübt"]


async def test_activity_is_the_skill_when_no_column_names_one(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    text = await preview(sarah, "log.csv", b"Date,Activity,Minutes\n2026-11-20,Chess,45\n")
    assert "skill ← “Activity” (Chess)" in text


async def test_a_long_free_text_column_is_the_description_when_no_header_says_so(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    text = await preview(
        sarah,
        "log.csv",
        b"Date,Skill,Minutes,Mood,Thoughts\n"
        b"2026-11-20,Guitar,45,good,Worked through the whole chord melody\n"
        b"2026-11-21,Guitar,30,ok,Slow practice of the bridge section\n",
    )
    assert "description ← “Thoughts” (its long text)" in text
    assert "ignored: “Mood”" in text
    await sarah.tap("📥 Import 2 sessions")
    assert descriptions(await sessions(uow_factory, SARAH))[0] == (
        "Worked through the whole chord melody"
    )


# --- encodings ---------------------------------------------------------------------------


async def test_a_stray_latin1_line_is_decoded_alone_and_counted(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    data = (
        "Date,Skill,Minutes,Description\n"
        "2026-11-20,Klavier,45,Übungen für Tonleitern\n"
        "2026-11-21,Klavier,30,Arpeggien über zwei Oktaven\n"
    ).encode() + '2026-11-22,Klavier,20,"Étude in Fa, langsam geübt"\n'.encode("cp1252")

    text = await preview(sarah, "mixed.csv", data)
    assert "1 line was not UTF-8 and was read as cp1252" in text
    assert "Übungen für Tonleitern" in text  # the samples show what will be stored
    await sarah.tap("📥 Import 3 sessions")

    stored = descriptions(await sessions(uow_factory, SARAH))
    assert stored == [
        "Übungen für Tonleitern",
        "Arpeggien über zwei Oktaven",
        "Étude in Fa, langsam geübt",
    ]
    assert not any("Ã" in str(description) for description in stored)


async def test_a_file_with_no_utf8_at_all_is_detected(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    data = "Дата;Навык;Минуты;Заметки\n20.11.2026;Гитара;45;Аккорды и бой шестёрка\n".encode(
        "cp1251"
    )
    text = await preview(sarah, "old-excel.csv", data)
    assert "read as cp1251" in text
    await sarah.tap("📥 Import 1 session")
    assert await sessions(uow_factory, SARAH) == [
        ("Гитара", date(2026, 11, 20), 45, "Аккорды и бой шестёрка", None, None)
    ]


async def test_utf16_with_bom_needs_no_fallback(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    data = "Date\tSkill\tMinutes\tNotes\n2026-11-20\tÉchecs\t45\tOuverture italienne revue\n"
    text = await preview(sarah, "unicode.txt.csv", data.encode("utf-16"))
    assert "not UTF-8" not in text
    assert "(Ouverture italienne rev…)" in text


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (("28/10/2026", "03/11/2026"), [date(2026, 10, 28), date(2026, 11, 3)]),
        (("10/28/2026", "11/03/2026"), [date(2026, 10, 28), date(2026, 11, 3)]),
    ],
    ids=["day-first", "month-first"],
)
async def test_the_files_own_dates_decide_their_order(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, dates: tuple[str, str], expected: list[date]
) -> None:
    await register(uow_factory, sarah)
    rows = "".join(f"{day},Guitar,30,Practised the solo slowly\n" for day in dates)
    text = await preview(sarah, "log.csv", f"Date,Skill,Minutes,Notes\n{rows}".encode())
    assert "Which is it?" not in text
    await sarah.tap("📥 Import 2 sessions")
    assert [row[1] for row in await sessions(uow_factory, SARAH)] == expected


@pytest.mark.parametrize(
    ("button", "expected"),
    [("📅 3 Apr", date(2026, 4, 3)), ("📅 Mar 4", date(2026, 3, 4))],
    ids=["day-first", "month-first"],
)
async def test_all_ambiguous_dates_are_asked_about_once(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, button: str, expected: date
) -> None:
    await register(uow_factory, sarah)
    text = await preview(
        sarah,
        "log.csv",
        b"Date,Skill,Minutes,Notes\n03/04/2026,Guitar,30,Practised the solo slowly\n"
        b"05/06/2026,Guitar,30,Practised the intro slowly\n",
    )
    assert "could be 3 Apr (day first) or Mar 4 (month first)" in text
    assert sarah.buttons() == [["📅 3 Apr", "📅 Mar 4"], ["🔀 Change columns"], ["✖ Cancel"]]

    await sarah.tap(button)
    text = sarah.last_text()
    assert "Which is it?" not in text
    assert "📥 Import 2 sessions" in sarah.buttons()[-1]
    await sarah.tap("📥 Import 2 sessions")
    assert (await sessions(uow_factory, SARAH))[0][1] == expected


# --- other apps --------------------------------------------------------------------------


async def test_clockify_detailed_report_imports_with_its_note(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    text = await preview(
        sarah, "Clockify_Time_Report_Detailed.csv", (DATA / "clockify_detailed.csv").read_bytes()
    )
    assert "a Clockify detailed report (CSV)" in text
    assert "billable rates and amounts" in text
    await sarah.tap("📥 Import 3 sessions")

    assert await sessions(uow_factory, SARAH) == [
        ("Spanish", date(2026, 11, 3), 60, "Conversation class about travel plans", None, None),
        ("Guitar", date(2026, 11, 20), 45, "Fingerpicking pattern, travis style", None, None),
        ("Guitar", date(2026, 11, 21), 20, "Imported practice: 20 min of Guitar", None, None),
    ]


def loop_zip() -> bytes:
    """The zip Loop Habit Tracker's "Export as CSV" makes, from the files in tests/data/loop."""
    root = DATA / "loop"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(root.rglob("*.csv")):
            archive.write(path, path.relative_to(root).as_posix())
    return buffer.getvalue()


async def test_loop_habit_tracker_zip_imports_ticked_days_with_notes(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await sarah.send("/import")
    await sarah.send_document("Loop Habits CSV 2026-11-25.zip", "application/zip", data=loop_zip())
    text = sarah.last_text()
    assert "a Loop Habit Tracker export" in text
    assert "not for how long" in text
    await sarah.tap("📥 Import 4 sessions")

    assert await sessions(uow_factory, SARAH) == [
        (
            "Morning run",
            date(2026, 11, 21),
            30,
            "Imported practice: 30 min of Morning run",
            None,
            None,
        ),
        ("Guitar", date(2026, 11, 22), 30, "Imported practice: 30 min of Guitar", None, None),
        (
            "Morning run",
            date(2026, 11, 23),
            30,
            "Imported practice: 30 min of Morning run",
            None,
            None,
        ),
        ("Guitar", date(2026, 11, 24), 30, "Learned the intro riff of a new song", None, None),
    ]


async def test_loop_days_count_as_the_minutes_the_user_picks(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    await sarah.send("/import")
    await sarah.send_document("Loop Habits CSV.zip", "application/zip", data=loop_zip())
    assert sarah.buttons()[:2] == [
        ["10 min", "15 min", "20 min", "✓ 30 min"],
        ["45 min", "60 min", "90 min"],
    ]

    await sarah.tap("60 min")
    assert "each ticked day a 60-minute session" in sarah.last_text()
    assert "Sessions to import: 4 (4 h," in sarah.last_text()
    await sarah.tap("📥 Import 4 sessions")
    assert {row[2] for row in await sessions(uow_factory, SARAH)} == {60}


async def test_loop_checkmarks_csv_alone_imports_and_scores_csv_is_explained(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    text = await preview(sarah, "Scores.csv", (DATA / "loop" / "Scores.csv").read_bytes())
    assert "Scores.csv: how strong each habit was" in text

    await sarah.send_document(
        "Checkmarks.csv", "text/csv", data=(DATA / "loop" / "Checkmarks.csv").read_bytes()
    )
    await sarah.tap("📥 Import 4 sessions")
    assert len(await sessions(uow_factory, SARAH)) == 4


async def test_a_wide_sheet_with_long_headers_fits_telegrams_limits(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, sarah)
    extra = [f"An extraordinarily long column header number {n} " * 3 for n in range(40)]
    header = ",".join(["Date", "Skill", "Minutes", *extra])
    row = ",".join(["2026-11-20", "Guitar", "30", *(["x" * 200] * len(extra))])
    await preview(sarah, "wide.csv", f"{header}\n{row}\n".encode())
    assert len(sarah.last_text()) < 4096
    assert "…and 31 more columns." in sarah.last_text()

    await sarah.tap("🔀 Change columns")
    assert len(sarah.last_text()) < 4096
    buttons = [label for row in sarah.buttons() for label in row]
    assert len(buttons) == 24 + 2  # the first 24 columns, Back and Cancel
    await sarah.tap("Date → date")
    assert len(sarah.last_text()) < 4096
