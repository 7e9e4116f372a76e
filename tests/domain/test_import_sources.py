"""Reading imports: decoding line by line, date-order evidence, header words, column choices,
Clockify and Loop Habit Tracker files."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import DomainError
from bot.domain.import_format import read_import
from bot.domain.import_format.cells import date_evidence
from bot.domain.import_format.decoding import decode_text
from bot.domain.import_format.model import SheetChoices
from bot.domain.import_format.tables import date_reading

TODAY = date(2026, 11, 25)
# Letters whose Windows-1252 bytes (0xDF and up) can never be part of valid UTF-8 next to
# ASCII or each other, so a line holding one is surely not UTF-8 once encoded so.
LATIN = "abc xyzéüöäß"
ACCENTED = "éüöäß"

latin_lines = st.text(alphabet=LATIN, min_size=1, max_size=30).filter(
    lambda line: any(ch in ACCENTED for ch in line)
)
unicode_lines = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
)


@given(st.lists(st.tuples(st.booleans(), unicode_lines, latin_lines), max_size=20))
def test_only_the_lines_that_are_not_utf8_fall_back(lines: list[tuple[bool, str, str]]) -> None:
    data = "Übung für Tonleitern\n".encode()
    expected = ["Übung für Tonleitern\n"]
    for latin, text, other in lines:
        if latin:
            data += (other + "\n").encode("cp1252")
            expected.append(other + "\n")
        else:
            data += (text + "\n").encode()
            expected.append(text + "\n")

    decoded = decode_text(data)

    assert decoded.text.splitlines() == "".join(expected).splitlines()
    assert decoded.fallback_lines == sum(latin for latin, _, _ in lines)


def test_utf8_with_a_bom_and_utf16_need_no_fallback() -> None:
    text = "Date,Skill\n2026-11-20,Échecs\n"
    assert decode_text(b"\xef\xbb\xbf" + text.encode()).text == text
    assert decode_text(text.encode("utf-16")).text == text
    assert decode_text(text.encode("utf-16")).fallback_lines == 0


def test_binary_bytes_are_unreadable() -> None:
    with pytest.raises(DomainError, match="couldn't read"):
        decode_text(b"Date,Skill\n\x00\x01\x02\xff\xfe\x00")


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 25))


@given(st.lists(days, min_size=1, max_size=30))
def test_day_first_dates_never_read_as_month_first(values: list[date]) -> None:
    written = [f"{d.day:02d}/{d.month:02d}/{d.year}" for d in values]
    evidence = date_evidence(written)
    assert evidence.order in ("day_first", None)
    if any(d.day > 12 for d in values):
        assert evidence.order == "day_first"


@given(st.lists(days, min_size=1, max_size=30))
def test_month_first_dates_never_read_as_day_first(values: list[date]) -> None:
    written = [f"{d.month}/{d.day}/{d.year}" for d in values]
    evidence = date_evidence(written)
    assert evidence.order in ("month_first", None)
    if evidence.order is None and any(d.day != d.month for d in values):
        assert evidence.ambiguous_example is not None


def test_the_files_proof_beats_the_users_order_which_beats_the_default() -> None:
    assert date_reading(date_evidence(["28/10/2026"]), "month_first").order == "day_first"
    given_order = date_reading(date_evidence(["03/04/2026"]), "month_first")
    assert (given_order.order, given_order.needs_answer) == ("month_first", False)
    asked = date_reading(date_evidence(["03/04/2026"]), None)
    assert (asked.order, asked.needs_answer, asked.example) == ("day_first", True, "03/04/2026")
    # ISO dates read one way only: nothing to ask.
    assert not date_reading(date_evidence(["2026-04-03"]), None).needs_answer


def test_the_users_date_order_reads_ambiguous_dates() -> None:
    text = "Date,Skill,Minutes\n03/04/2026,Chess,30\n"
    assert read_import("x.csv", text.encode(), TODAY).rows[0].practiced_on == date(2026, 4, 3)
    month_first = read_import(
        "x.csv", text.encode(), TODAY, choices=SheetChoices(order="month_first")
    )
    assert month_first.rows[0].practiced_on == date(2026, 3, 4)


def test_a_chosen_mapping_replaces_the_guessed_one() -> None:
    text = "Date,Skill,Minutes,Notes,Summary\n2026-11-20,Chess,1.5,ok,Studied the Najdorf lines\n"
    imported = read_import(
        "x.csv",
        text.encode(),
        TODAY,
        choices=SheetChoices(columns={0: "date", 1: "skill", 2: "hours", 4: "description"}),
    )
    row = imported.rows[0]
    assert (row.duration_minutes, row.description) == (90, "Studied the Najdorf lines")
    assert [column.field for column in imported.columns] == [
        "date",
        "skill",
        "hours",
        None,
        "description",
    ]


def test_a_mapping_without_a_required_field_says_which_is_missing() -> None:
    text = "Date,Skill,Minutes\n2026-11-20,Chess,30\n"
    imported = read_import(
        "x.csv", text.encode(), TODAY, choices=SheetChoices(columns={1: "skill", 2: "minutes"})
    )
    assert imported.missing == ("date",)
    assert imported.rows == [] and imported.errors == []


@pytest.mark.parametrize(
    ("header", "skill_column", "description_column"),
    [
        ("Date,Topic,Minutes", 1, None),
        ("Date,Skill,Minutes,Topic", 1, 3),
        ("Date,Task,Minutes,Notes", 1, 3),
        ("Date,Skill,Minutes,Task,What", 1, 4),
        ("Datum,Fertigkeit,Dauer,Notiz", 1, 3),
        ("fecha,habilidad,duración,descripción", 1, 3),
        ("дата,навык,минуты,описание", 1, 3),
    ],
)
def test_header_words_that_mean_skill_or_description(
    header: str, skill_column: int, description_column: int | None
) -> None:
    cells = ",".join(
        ["2026-11-20", "Chess", "30", "Studied endgames", "x"][: header.count(",") + 1]
    )
    imported = read_import("x.csv", f"{header}\n{cells}\n".encode(), TODAY)
    fields = {column.index: column.field for column in imported.columns}
    assert fields[skill_column] == "skill"
    if description_column is not None:
        assert fields[description_column] == "description"
    else:
        assert "description" not in fields.values()


def test_clockify_is_told_from_toggl() -> None:
    header = (
        "Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,"
        "End Date,End Time,Duration (h),Duration (decimal),Billable Rate (USD),"
        "Billable Amount (USD)"
    )
    row = (
        "Chess,,Endgame study,,Sam,,s@x.org,,No,2026-11-20,10:00,2026-11-20,11:30,01:30:00,1.50,0,0"
    )
    imported = read_import("x.csv", f"{header}\n{row}\n".encode(), TODAY)
    assert imported.kind == "clockify-csv"
    assert imported.rows[0].duration_minutes == 90
    assert imported.format_note is not None and "Clockify" in imported.format_note


def test_loop_numeric_habits_count_days_with_an_amount() -> None:
    today = TODAY - timedelta(days=1)
    text = f"Date,Pages read,Guitar,\n{today},12000,2,\n{today - timedelta(days=1)},0,1,\n"
    imported = read_import("Checkmarks.csv", text.encode(), TODAY)
    assert imported.kind == "loop-csv"
    assert [(row.skill_name, row.practiced_on) for row in imported.rows] == [
        ("Pages read", today),
        ("Guitar", today),
    ]


def test_one_habits_loop_file_alone_is_refused_with_a_reason() -> None:
    text = "Date,Value,Notes\n2026-11-24,2,Played scales\n"
    with pytest.raises(DomainError, match="doesn't say which habit"):
        read_import("Checkmarks.csv", text.encode(), TODAY)


def test_a_spreadsheet_starting_with_date_is_not_taken_for_loop() -> None:
    text = "Date,Skill,Minutes,\n2026-11-20,Chess,30,\n"
    assert read_import("x.csv", text.encode(), TODAY).kind == "spreadsheet-csv"
