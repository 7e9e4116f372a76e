"""Reading imports: our exports back, spreadsheets, Toggl, and all that can go wrong."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import Workbook

from bot.domain.errors import DomainError
from bot.domain.export_format import (
    ExportEvidence,
    ExportLog,
    ExportSkill,
    PracticeExport,
    to_csv,
    to_json,
)
from bot.domain.import_format import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportFile,
    ImportRow,
    dedupe_key,
    read_import,
    session_dedupe_key,
)
from bot.domain.practice import validate_description
from tests.domain.export_samples import CREATED, make_log, sample_export

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = date(2026, 11, 25)


def read_data(name: str) -> ImportFile:
    """Import one of the committed sample files."""
    return read_import(name, (DATA / name).read_bytes(), TODAY)


def read_text(text: str, name: str = "practice.csv", encoding: str = "utf-8") -> ImportFile:
    """Import CSV text written in the test."""
    return read_import(name, text.encode(encoding), TODAY)


def only_row(imported: ImportFile) -> ImportRow:
    """The single valid row of a one-row import (failing loudly with its errors otherwise)."""
    assert imported.errors == [], imported.errors
    assert len(imported.rows) == 1
    return imported.rows[0]


def summary(imported: ImportFile) -> list[tuple[int, date, str, int, str]]:
    """The essentials of each valid row, for compact assertions."""
    return [
        (r.row_number, r.practiced_on, r.skill_name, r.duration_minutes, r.description)
        for r in imported.rows
    ]


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """Build an XLSX in memory."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- round trips ---------------------------------------------------------------------------------


def reexport(imported: ImportFile) -> PracticeExport:
    """Store an import in a fresh account (new ids) and export it again, as the bot would."""
    skill_ids: dict[str, int] = {}
    skills: list[ExportSkill] = []

    def skill_id(
        name: str,
        archived_at: datetime | None = None,
        goals: tuple[int | None, int | None, int | None, int | None] = (None,) * 4,
        next_focus: str | None = None,
        created_at: datetime = CREATED,
    ) -> int:
        if name.casefold() not in skill_ids:
            skill_ids[name.casefold()] = 500 + len(skill_ids)
            skills.append(
                ExportSkill(
                    skill_ids[name.casefold()],
                    name,
                    archived_at,
                    *goals,
                    next_focus,
                    created_at,
                )
            )
        return skill_ids[name.casefold()]

    for skill in imported.skills:
        skill_id(
            skill.name,
            skill.archived_at,
            (
                skill.goals.weekly_goal_minutes,
                skill.goals.weekly_goal_sessions,
                skill.goals.weekly_goal_days,
                skill.goals.daily_goal_minutes,
            ),
            skill.next_focus,
            skill.created_at or CREATED,
        )
    logs: list[ExportLog] = []
    evidence: list[ExportEvidence] = []
    for number, row in enumerate(imported.rows, start=900):
        logs.append(
            ExportLog(
                id=number,
                skill_id=skill_id(row.skill_name),
                skill=row.skill_name,
                date=row.practiced_on,
                duration_minutes=row.duration_minutes,
                description=row.description,
                difficulty=row.difficulty,
                confidence=row.confidence,
                source=row.source or "restore",
                created_at=row.created_at or CREATED,
                updated_at=row.updated_at,
            )
        )
        evidence.extend(
            ExportEvidence(
                id=7000 + len(evidence),
                practice_log_id=number,
                skill_id=skill_id(item.skill_name) if item.skill_name else None,
                type=item.kind.value,
                url=item.url,
                note=item.note,
                file=item.file,
                created_at=item.created_at or CREATED,
            )
            for item in row.evidence
        )
    evidence.extend(
        ExportEvidence(
            id=7000 + len(evidence),
            practice_log_id=None,
            skill_id=skill_id(item.skill_name or ""),
            type=item.kind.value,
            url=item.url,
            note=item.note,
            file=item.file,
            created_at=item.created_at or CREATED,
        )
        for item in imported.evidence
    )
    assert imported.user is not None
    return PracticeExport(
        exported_at=datetime(2027, 1, 1, tzinfo=UTC),
        user=imported.user,
        skills=skills,
        practice_logs=logs,
        evidence=evidence,
    )


def without_ids(data: bytes) -> dict[str, Any]:
    """An export document with ids replaced by what they point at, and no export time."""
    document: dict[str, Any] = json.loads(data)
    skill_names = {skill["id"]: skill["name"] for skill in document["skills"]}
    log_positions = {log["id"]: n for n, log in enumerate(document["practice_logs"])}
    for skill in document["skills"]:
        del skill["id"]
    for log in document["practice_logs"]:
        del log["id"]
        log["skill_id"] = skill_names[log["skill_id"]]
    for item in document["evidence"]:
        del item["id"]
        item["practice_log_id"] = log_positions.get(item["practice_log_id"])
        item["skill_id"] = skill_names.get(item["skill_id"])
    document["evidence"].sort(key=lambda item: json.dumps(item, sort_keys=True))
    del document["exported_at"]
    return document


def full_export() -> PracticeExport:
    """The sample account plus sessions whose text looks like spreadsheet formulas."""
    base = sample_export()
    formulas = [
        '=HYPERLINK("http://evil.example","Click me")',
        "+1 more rep than yesterday",
        "-2 kg on the deadlift today",
        "@SUM(A1:A9) is how totals work",
        "'=already quoted by someone",
    ]
    extra = [
        make_log(100 + n, text, updated_at=datetime(2026, 11, 21, 9, 15, 30, 123456, tzinfo=UTC))
        for n, text in enumerate(formulas)
    ]
    note = ExportEvidence(
        id=77,
        practice_log_id=100,
        skill_id=10,
        type="note",
        url=None,
        note="Learned that =cells are dangerous",
        file=None,
        created_at=CREATED,
    )
    return PracticeExport(
        exported_at=base.exported_at,
        user=base.user,
        skills=base.skills,
        practice_logs=[*base.practice_logs, *extra],
        evidence=[*base.evidence, note],
    )


def test_json_export_imports_into_a_fresh_account_and_exports_the_same() -> None:
    original = to_json(full_export())

    imported = read_import("practice-2026-11-25.json", original, TODAY)

    assert imported.kind == "practice-tracker-json"
    assert imported.errors == []
    assert imported.rows_read == 7
    assert without_ids(to_json(reexport(imported))) == without_ids(original)


def test_json_import_keeps_source_ids_timestamps_and_evidence() -> None:
    imported = read_import("x.json", to_json(sample_export()), TODAY)

    first = imported.rows[0]
    assert first.source_id == 1
    assert first.created_at == CREATED
    assert [item.kind for item in first.evidence] == ["screenshot"]
    assert first.evidence[0].file is not None
    assert first.evidence[0].file.file_unique_id == "AQAD"
    assert [(item.kind, item.skill_name) for item in imported.evidence] == [("link", "React")]
    assert [(s.name, s.archived) for s in imported.skills] == [
        ("React", False),
        ("Español", True),
    ]


def test_csv_export_imports_back_the_same_sessions() -> None:
    logs = list(full_export().practice_logs)

    imported = read_import("practice.csv", to_csv(logs), TODAY)

    assert imported.kind == "practice-tracker-csv"
    assert imported.errors == []
    assert [
        (
            r.practiced_on,
            r.skill_name,
            r.duration_minutes,
            r.description,
            r.difficulty,
            r.confidence,
            r.created_at,
        )
        for r in imported.rows
    ] == [
        (
            log.date,
            log.skill,
            log.duration_minutes,
            log.description,
            log.difficulty,
            log.confidence,
            log.created_at,
        )
        for log in logs
    ]


@pytest.mark.parametrize(
    "description",
    [
        '=HYPERLINK("http://evil.example","Click me")',
        "+1 more rep than yesterday",
        "-2 kg on the deadlift today",
        "@SUM(A1:A9) is how totals work",
        "\tstarts with a tab character",
        "\rstarts with a carriage return",
        "''=two quotes then an equals sign",
    ],
)
def test_formula_looking_description_survives_csv_export_and_import(description: str) -> None:
    data = to_csv([make_log(description=description)])

    row = only_row(read_import("practice.csv", data, TODAY))

    # Descriptions are stored as /log tidies them (no leading tab or CR), so that is what returns.
    assert row.description == validate_description(description)
    assert csv.reader(io.StringIO(data.decode("utf-8-sig"))).__next__()  # still valid CSV


def test_our_csv_edited_in_a_spreadsheet_app_still_imports() -> None:
    data = to_csv([make_log()]).decode("utf-8-sig").replace("2026-11-20T18:30:00+00:00", "20/11")

    row = only_row(read_import("practice.csv", data.encode(), TODAY))

    assert (row.description, row.created_at) == ("Built a todo list component", None)


def test_reimporting_the_same_file_gives_the_same_dedupe_keys() -> None:
    first = read_data("toggl_detailed.csv")
    second = read_data("toggl_detailed.csv")

    assert {dedupe_key(r) for r in first.rows} == {dedupe_key(r) for r in second.rows}
    assert len({dedupe_key(r) for r in first.rows}) == len(first.rows)


def test_dedupe_key_ignores_skill_case_and_matches_stored_sessions() -> None:
    row = only_row(read_text("Date,Skill,Minutes,Notes\n2026-11-20,REACT ,45,Built a todo list\n"))

    assert dedupe_key(row) == session_dedupe_key(
        "react", date(2026, 11, 20), 45, "Built a todo list"
    )
    assert dedupe_key(row) != session_dedupe_key(
        "react", date(2026, 11, 20), 46, "Built a todo list"
    )


# --- dialects from tests/data ---------------------------------------------------------------


def test_generic_comma_csv() -> None:
    imported = read_data("generic_comma.csv")

    assert imported.kind == "spreadsheet-csv"
    assert imported.errors == []
    assert imported.rows_read == 5
    assert summary(imported) == [
        (2, date(2026, 11, 2), "React", 45, "Built a todo list component with hooks"),
        (3, date(2026, 11, 20), "SQL", 90, "Window functions: ROW_NUMBER, RANK and LAG"),
        (4, date(2026, 11, 5), "Guitar", 90, 'Scales, then the "Wonderwall" chord changes'),
        (5, date(2026, 11, 6), "react", 25, "Refactored the todo list into smaller components"),
        # Row 6 is blank and skipped; row numbers stay the ones the spreadsheet shows.
        (7, date(2026, 11, 7), "Drawing", 60, "Imported practice: 1 h of Drawing"),
    ]
    assert [(r.difficulty, r.confidence) for r in imported.rows[:3]] == [(3, 4), (4, 3), (2, None)]
    assert imported.rows[-1].description_generated


def test_generic_semicolon_csv_with_bom_and_decimal_comma_hours() -> None:
    imported = read_data("generic_semicolon_bom.csv")

    assert imported.kind == "spreadsheet-csv"
    assert imported.errors == []
    assert summary(imported) == [
        (2, date(2026, 11, 20), "Español", 90, "Conversación con un tutor en línea"),
        (3, date(2026, 11, 21), "Piano", 45, "Arpeggios in C major and G major, hands separately"),
        (4, date(2026, 11, 22), "Piano", 60, "Left hand alone on the Bach minuet, slow tempo"),
        (5, date(2026, 11, 23), "Español", 135, 'Read two chapters of "El principito" aloud'),
    ]
    assert imported.rows[0].difficulty == 3


def test_toggl_detailed_export() -> None:
    imported = read_data("toggl_detailed.csv")

    assert imported.kind == "toggl-csv"
    assert summary(imported) == [
        (2, date(2026, 11, 16), "React", 90, "Built the settings page with forms"),
        # 44:31 rounds to 45 minutes; the empty description is generated.
        (3, date(2026, 11, 17), "React", 45, "Imported practice: 45 min of React"),
        (4, date(2026, 11, 18), "SQL", 45, "Read about B-tree indexes, then EXPLAIN ANALYZE"),
    ]
    assert [(e.row_number, e.reason) for e in imported.errors] == [
        (5, "Missing skill."),
        (6, "A practice session needs to last at least 1 minute."),
    ]


def test_generic_xlsx() -> None:
    imported = read_data("generic.xlsx")

    assert imported.kind == "spreadsheet-xlsx"
    assert summary(imported) == [
        # Row 1 is a title; the header is found on row 2.
        (3, date(2026, 11, 2), "React", 45, "Built a todo list component"),
        (4, date(2026, 11, 4), "SQL", 90, "Window functions on sample data"),  # serial date
        (5, date(2026, 11, 21), "Guitar", 90, "Chord changes with a metronome"),  # h:mm cell
        (7, date(2026, 11, 22), "Drawing", 30, "Imported practice: 30 min of Drawing"),
    ]
    assert [(r.difficulty, r.confidence) for r in imported.rows] == [
        (3, 4),
        (4, None),
        (None, 2),
        (None, None),
    ]
    assert [(e.row_number, e.reason) for e in imported.errors] == [
        (8, "Description too short: 9 characters (at least 10).")
    ]


def test_xlsx_is_parsed_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


# --- invalid rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row_number", "reason"),
    [
        (2, "Missing date."),
        (3, "There's no such date as “31.02.2026”."),
        (4, "Unreadable date “someday” (write it like 2026-11-20 or 20.11.2026)."),
        (5, "The date 2026-12-30 is in the future."),
        (6, "Missing skill."),
        (7, "skill names can be at most 64"),
        (8, "Missing duration."),
        (9, "I couldn't read “abc” as a duration."),
        (10, "A practice session needs to last at least 1 minute."),
        (11, "at most 24 hours"),
        (12, "Description too short: 5 characters (at least 10)."),
        (13, "Description too long: 557 characters (at most 500)."),
        (14, "Difficulty is rated from 1 to 5, so 7 doesn't fit."),
        (15, "Confidence is rated from 1 to 5, so 0 doesn't fit."),
        (16, "Difficulty “hard” isn't a whole number from 1 to 5."),
    ],
)
def test_each_invalid_row_gets_its_reason(row_number: int, reason: str) -> None:
    errors = {e.row_number: e.reason for e in read_data("invalid_rows.csv").errors}

    assert reason in errors[row_number]


def test_invalid_rows_do_not_stop_the_valid_ones() -> None:
    imported = read_data("invalid_rows.csv")

    assert imported.rows_read == 16
    assert len(imported.errors) == 15
    assert [r.row_number for r in imported.rows] == [17]


def test_a_row_with_several_problems_lists_them_all() -> None:
    imported = read_text("Date,Skill,Minutes,Notes\nnever,,0,Tiny\n")

    assert imported.errors[0].reason == (
        "Unreadable date “never” (write it like 2026-11-20 or 20.11.2026). Missing skill. "
        "A practice session needs to last at least 1 minute. "
        "Description too short: 4 characters (at least 10)."
    )


# --- dates, durations, headers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("2026-11-20T21:30:00", date(2026, 11, 20)),
        ("20.11.2026", date(2026, 11, 20)),
        ("20/11/2026", date(2026, 11, 20)),
        ("20-11-2026", date(2026, 11, 20)),
        ("20.11.26", date(2026, 11, 20)),
        ("5/11/2026", date(2026, 11, 5)),  # ambiguous: day first
        ("11/20/2026", date(2026, 11, 20)),  # only possible month first
        ("20 Nov 2026", date(2026, 11, 20)),
        ('"Nov 20, 2026"', date(2026, 11, 20)),
        ("20 November 2026", date(2026, 11, 20)),
    ],
)
def test_date_forms(written: str, expected: date) -> None:
    row = only_row(read_text(f"Date,Skill,Minutes,Notes\n{written},Go,45,Wrote a web server\n"))

    assert row.practiced_on == expected


def test_a_file_with_month_first_dates_is_read_month_first_throughout() -> None:
    imported = read_text(
        "Date,Skill,Minutes,Notes\n"
        "11/05/2026,Go,45,Wrote a web server\n"
        "11/20/2026,Go,45,Wrote a web client\n"
    )

    assert [r.practiced_on for r in imported.rows] == [date(2026, 11, 5), date(2026, 11, 20)]


def test_a_file_with_both_orders_reads_ambiguous_dates_day_first() -> None:
    imported = read_text(
        "Date,Skill,Minutes,Notes\n"
        "20/11/2026,Go,45,Wrote a web server\n"
        "11/21/2026,Go,45,Wrote a web client\n"
        "05/11/2026,Go,45,Wrote some tests\n"
    )

    assert [r.practiced_on for r in imported.rows] == [
        date(2026, 11, 20),
        date(2026, 11, 21),
        date(2026, 11, 5),
    ]


@pytest.mark.parametrize(
    ("header", "cell", "minutes"),
    [
        ("Minutes", "45", 45),
        ("Duration", "45m", 45),
        ("Duration", "1:30", 90),
        ("Duration", "1h30", 90),
        ("Time spent", "1.5h", 90),
        ("Duration", "01:30:00", 90),
        ("Duration", "00:44:30", 45),
        ("Duration", "00:44:29", 44),
        ("Hours", "1.5", 90),
        ("Hours", '"1,25"', 75),
        ("Hours", "1:30", 90),
        ("Time spent (hours)", "2", 120),
        ("Duration (min)", "2", 2),
        ("mins", "30", 30),
    ],
)
def test_duration_forms(header: str, cell: str, minutes: int) -> None:
    text = f"Date,Skill,{header},Notes\n2026-11-20,Go,{cell},Wrote a web server\n"

    assert only_row(read_text(text)).duration_minutes == minutes


@pytest.mark.parametrize(
    "header",
    [
        "date,skill,minutes,description,difficulty,confidence",
        "DATE,SKILL,MINUTES,DESCRIPTION,DIFFICULTY,CONFIDENCE",
        " Practiced_On , Subject , Duration_Minutes , What , Difficulty (1-5) , Confidence: ",
        "Day,Activity,Time,Details,difficulty rating,confidence rating",
        "When,Project,Mins,Summary,Difficulty,Confidence",
        "practice-date,skill_name,time spent,Notes,Difficulty,Confidence",
    ],
)
def test_header_matching_ignores_case_spaces_and_underscores(header: str) -> None:
    row = only_row(read_text(f"{header}\n2026-11-20,Go,45,Wrote a web server,2,4\n"))

    assert (row.skill_name, row.duration_minutes, row.difficulty, row.confidence) == (
        "Go",
        45,
        2,
        4,
    )


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(DomainError, match=r"no column for skill \(skill, project"):
        read_text("Date,Minutes,Notes\n2026-11-20,45,Wrote a web server\n")


def test_a_file_without_any_known_header_explains_what_is_accepted() -> None:
    with pytest.raises(DomainError, match="couldn't find a header row"):
        read_text("a,b,c\n1,2,3\n")


def test_excel_sep_line_is_honoured_and_not_counted_as_a_row() -> None:
    imported = read_text("sep=;\nDate;Skill;Hours;Notes\n20.11.2026;Go;1,5;Wrote a web server\n")

    assert summary(imported) == [(2, date(2026, 11, 20), "Go", 90, "Wrote a web server")]


def test_cp1252_csv_from_old_excel_is_decoded() -> None:
    text = "Date;Skill;Minutes;Notes\n20.11.2026;Español;45;Práctica de conversación\n"

    row = only_row(read_text(text, encoding="cp1252"))

    assert (row.skill_name, row.description) == ("Español", "Práctica de conversación")


def test_utf16_tab_separated_text_from_excel_is_read() -> None:
    text = "Date\tSkill\tMinutes\tNotes\r\n20.11.2026\tGo\t45\tWrote a web server\r\n"

    row = only_row(read_import("practice.txt", text.encode("utf-16"), TODAY))

    assert row.duration_minutes == 45


def test_title_rows_above_the_header_are_skipped() -> None:
    imported = read_text(
        "My practice log,,,\n,,,\nDate,Skill,Minutes,Notes\n2026-11-20,Go,45,Wrote a web server\n"
    )

    assert summary(imported) == [(4, date(2026, 11, 20), "Go", 45, "Wrote a web server")]


def test_quoted_cells_with_newlines_keep_spreadsheet_row_numbers() -> None:
    imported = read_text(
        'Date,Skill,Minutes,Notes\n2026-11-20,Go,45,"First line\nsecond line"\n'
        "2026-11-21,Go,45,Wrote a web client\n"
    )

    assert [(r.row_number, r.description) for r in imported.rows] == [
        (2, "First line\nsecond line"),
        (3, "Wrote a web client"),
    ]


def test_xlsx_cells_of_every_type() -> None:
    data = xlsx_bytes(
        [
            ["Date", "Skill", "Duration", "Description", "Difficulty", "Confidence"],
            [date(2026, 11, 20), "Go", time(0, 44, 30), "Wrote a web server", 2.0, "4"],
            [datetime(2026, 11, 21, 22, 15), 2024, "1h30", "Numbers as skill names", None, None],
            [46346, "Go", 45.4, "Serial date and float minutes", None, None],
        ]
    )

    imported = read_import("book.xlsx", data, TODAY)

    assert imported.errors == []
    assert [
        (r.practiced_on, r.skill_name, r.duration_minutes, r.difficulty, r.confidence)
        for r in imported.rows
    ] == [
        (date(2026, 11, 20), "Go", 45, 2, 4),
        (date(2026, 11, 21), "2024", 90, None, None),
        (date(2026, 11, 20), "Go", 45, None, None),
    ]


# --- whole-file problems -----------------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused() -> None:
    data = b"Date,Skill,Minutes,Notes\n" + b"x" * MAX_IMPORT_BYTES

    with pytest.raises(DomainError, match=r"This file is 10\.1 MB; the limit is 10 MB"):
        read_import("big.csv", data, TODAY)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(DomainError, match="This file is empty"):
        read_import("empty.csv", b"  \n", TODAY)


def test_corrupt_xlsx_is_refused_with_what_is_accepted() -> None:
    with pytest.raises(DomainError, match=r"damaged or not really an \.xlsx.*I can import"):
        read_data("corrupt.xlsx")


def test_garbage_named_xlsx_is_refused() -> None:
    with pytest.raises(DomainError, match="damaged or not really an .xlsx"):
        read_import("book.xlsx", b"\x00\x01garbage" * 50, TODAY)


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(DomainError, match="I couldn't read this file. I can import"):
        read_import("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), TODAY)


def test_old_xls_is_refused_with_advice() -> None:
    with pytest.raises(DomainError, match=r"old-style Excel file \(\.xls\)"):
        read_import("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, TODAY)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(DomainError, match="I couldn't read this file"):
        read_import("archive.zip", buffer.getvalue(), TODAY)


def test_an_ods_spreadsheet_gets_specific_advice() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(DomainError, match=r"OpenDocument spreadsheet \(\.ods\)"):
        read_import("book.ods", buffer.getvalue(), TODAY)


def zip_with(entries: dict[str, bytes]) -> bytes:
    """A deflated zip built in memory (the bombs are made here, never committed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_by_compression_ratio_is_refused() -> None:
    # 5 MB of zeros deflates to about 5 KB: a ratio near 1000, no real sheet does that.
    data = zip_with(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": bytes(5 << 20)}
    )

    with pytest.raises(DomainError, match="zip bomb"):
        read_import("bomb.xlsx", data, TODAY)


def test_zip_unpacking_past_the_total_cap_is_refused() -> None:
    # Many parts, each under the ratio check's notice, adding up to 51 MB.
    part = bytes(range(256)) * 4096  # 1 MB that barely compresses
    data = zip_with({f"xl/media/image{n}.bin": part for n in range(51)})

    with pytest.raises(DomainError, match="unpacks to 51 MB; the limit is 50 MB"):
        read_import("huge.xlsx", data, TODAY)


def test_zip_with_too_many_entries_is_refused() -> None:
    data = zip_with({f"xl/part{n}.xml": b"<x/>" for n in range(1001)})

    with pytest.raises(DomainError, match="1,001 parts"):
        read_import("many.xlsx", data, TODAY)


def test_xml_entity_bomb_inside_xlsx_is_refused() -> None:
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Date", "Skill", "Minutes"]])))
    buffer = io.BytesIO()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if content.startswith(b"<?xml"):
                    content = content.split(b"?>", 1)[1]
                content = bomb + content
            archive.writestr(info, content)

    with pytest.raises(DomainError, match="entity definitions"):
        read_import("lol.xlsx", buffer.getvalue(), TODAY)


def test_row_cap_counts_every_row_in_the_message() -> None:
    lines = ["Date,Skill,Minutes,Notes"] + ["2026-11-20,Go,45,Wrote a web server"] * 7

    with pytest.raises(DomainError, match=r"This file has 7 rows; the limit is 5\."):
        read_import("rows.csv", "\n".join(lines).encode(), TODAY, max_rows=5)


def test_default_row_cap_is_twenty_thousand() -> None:
    body = "2026-11-20,Go,45,Wrote a web server\n" * (MAX_IMPORT_ROWS + 1)

    with pytest.raises(DomainError, match=r"This file has 20,001 rows; the limit is 20,000\."):
        read_import("rows.csv", ("Date,Skill,Minutes,Notes\n" + body).encode(), TODAY)


def test_millions_of_blank_lines_are_refused_without_reading_them_all() -> None:
    data = b"Date,Skill,Minutes\n" + b"\n" * (MAX_IMPORT_BYTES - 100)

    with pytest.raises(DomainError, match=r"more than 101,000 lines; the limit is 20,000 rows"):
        read_import("blank.csv", data, TODAY)


def test_row_cap_applies_to_xlsx() -> None:
    rows: list[list[Any]] = [["Date", "Skill", "Minutes"]]
    rows += [[date(2026, 11, 20), "Go", 45]] * 4

    with pytest.raises(DomainError, match=r"This file has 4 rows; the limit is 3\."):
        read_import("rows.xlsx", xlsx_bytes(rows), TODAY, max_rows=3)


def test_row_cap_applies_to_json() -> None:
    with pytest.raises(DomainError, match=r"This file has 7 rows; the limit is 6\."):
        read_import("x.json", to_json(full_export()), TODAY, max_rows=6)


def test_a_full_size_import_is_read() -> None:
    body = "".join(
        f"2026-11-20,Skill {n % 50},{1 + n % 600},Session number {n}\n"
        for n in range(MAX_IMPORT_ROWS)
    )

    imported = read_import("rows.csv", ("Date,Skill,Minutes,Notes\n" + body).encode(), TODAY)

    assert imported.rows_read == MAX_IMPORT_ROWS
    assert len(imported.rows) == MAX_IMPORT_ROWS


# --- our JSON, when it is not quite right ------------------------------------------------------


def export_document() -> dict[str, Any]:
    """The sample export as plain JSON data to tamper with."""
    document: dict[str, Any] = json.loads(to_json(sample_export()))
    return document


def read_document(document: object) -> ImportFile:
    """Import a JSON document built in the test."""
    return read_import("export.json", json.dumps(document).encode(), TODAY)


@pytest.mark.parametrize("version", [3, 0, "1", None, True])
def test_unknown_json_version_is_refused(version: object) -> None:
    document = export_document()
    document["version"] = version

    with pytest.raises(DomainError, match="I can read version 2 and older"):
        read_document(document)


def test_json_from_elsewhere_is_refused() -> None:
    with pytest.raises(DomainError, match="isn't a practice-tracker export"):
        read_document({"name": "something else"})


def test_broken_json_is_refused() -> None:
    with pytest.raises(DomainError, match="isn't valid JSON"):
        read_import("export.json", b'{"format": "practice-tracker", ', TODAY)


def test_json_missing_a_section_is_damaged() -> None:
    document = export_document()
    del document["practice_logs"]

    with pytest.raises(DomainError, match="“practice_logs” is missing"):
        read_document(document)


def test_invalid_json_sessions_are_row_errors_and_take_their_evidence_along() -> None:
    document = export_document()
    document["practice_logs"][0]["duration_minutes"] = 0
    document["practice_logs"][1]["date"] = "2027-01-01"

    imported = read_document(document)

    assert imported.rows == []
    assert [(e.row_number, e.reason) for e in imported.errors] == [
        (1, "A practice session needs to last at least 1 minute."),
        (2, "The date 2027-01-01 is in the future."),
    ]
    assert [item.kind for item in imported.evidence] == ["link"]


def test_json_sessions_need_a_description() -> None:
    document = export_document()
    document["practice_logs"][0]["description"] = None

    imported = read_document(document)

    assert imported.errors[0].reason == "Missing description."


def test_bad_json_timestamps_are_row_errors() -> None:
    document = export_document()
    document["practice_logs"][0]["created_at"] = "yesterday-ish"

    imported = read_document(document)

    assert imported.errors[0].reason == "Unreadable created_at “yesterday-ish”."


def test_bad_json_evidence_is_reported() -> None:
    document = export_document()
    document["evidence"][1]["url"] = "javascript:alert(1)"
    document["evidence"][0]["practice_log_id"] = 999

    imported = read_document(document)

    assert [(e.row_number, e.reason) for e in imported.errors] == [
        (1, "Evidence item 1 belongs to session 999, which isn't in the file."),
        (2, "Evidence item 2: Only http and https links can be saved as evidence."),
    ]
