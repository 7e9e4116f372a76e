"""The export formats: JSON document shape and the formula-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.export_format import (
    CSV_COLUMNS,
    FORMULA_TRIGGERS,
    ExportSkill,
    ExportUser,
    PracticeExport,
    neutralise_cell,
    to_csv,
    to_json,
    unneutralise_cell,
)
from tests.domain.export_samples import make_log, sample_export


def csv_rows(data: bytes) -> list[list[str]]:
    """Parse CSV bytes the way a spreadsheet would (after the BOM)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- JSON --------------------------------------------------------------------------------------


def test_json_has_the_documented_top_level_keys_in_order() -> None:
    document = json.loads(to_json(sample_export()))

    assert list(document) == [
        "format",
        "version",
        "exported_at",
        "user",
        "skills",
        "practice_logs",
        "evidence",
    ]
    assert document["format"] == "practice-tracker"
    assert document["version"] == 2
    assert document["exported_at"] == "2026-11-25T12:00:00+00:00"
    assert document["user"] == {
        "timezone": "Europe/Berlin",
        "settings": {"reminder_hour": 19, "weekly": True},
    }


def test_json_sessions_have_every_field_with_explicit_nulls() -> None:
    log = json.loads(to_json(sample_export()))["practice_logs"][0]

    assert log == {
        "id": 1,
        "skill_id": 10,
        "skill": "React",
        "date": "2026-11-20",
        "duration_minutes": 45,
        "description": "Built a todo list component",
        "difficulty": 3,
        "confidence": None,
        "source": "chat",
        "created_at": "2026-11-20T18:30:00+00:00",
        "updated_at": None,
    }


def test_json_evidence_nests_file_metadata_and_keeps_nulls() -> None:
    screenshot, link = json.loads(to_json(sample_export()))["evidence"]

    assert list(screenshot) == [
        "id",
        "practice_log_id",
        "skill_id",
        "type",
        "url",
        "note",
        "file",
        "created_at",
        "source",
    ]
    assert screenshot["source"] is None
    assert screenshot["file"] == {
        "file_name": "todo.png",
        "file_size": 12345,
        "mime_type": "image/png",
        "width": 800,
        "height": 600,
        "storage": "telegram",
        "file_id": "AgAD",
        "file_unique_id": "AQAD",
        "uploaded_at": "2026-11-20T18:30:00+00:00",
        "duration_seconds": None,
    }
    assert link["file"] is None
    assert link["practice_log_id"] is None


def test_json_is_utf8_with_readable_non_ascii() -> None:
    data = to_json(sample_export())

    assert "Español".encode() in data
    assert b"\\u00f1" not in data


def test_json_timestamps_are_utc_and_naive_ones_are_taken_as_utc() -> None:
    plus_three = timezone(timedelta(hours=3))
    export = PracticeExport(
        exported_at=datetime(2026, 11, 25, 15, 0, tzinfo=plus_three),
        user=ExportUser(timezone="UTC"),
        skills=[
            ExportSkill(
                1, "Go", None, None, None, None, None, None, created_at=datetime(2026, 1, 2, 3)
            )
        ],
        practice_logs=[],
        evidence=[],
    )
    document = json.loads(to_json(export))

    assert document["exported_at"] == "2026-11-25T12:00:00+00:00"
    assert document["skills"][0]["created_at"] == "2026-01-02T03:00:00+00:00"


def test_json_is_byte_for_byte_stable() -> None:
    assert to_json(sample_export()) == to_json(sample_export())


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_starts_with_a_bom_and_the_header() -> None:
    data = to_csv([make_log()])

    assert data.startswith(b"\xef\xbb\xbf")
    assert csv_rows(data)[0] == list(CSV_COLUMNS)


def test_csv_has_one_row_per_session_with_evidence_counts() -> None:
    logs = [make_log(1), make_log(2, confidence=5, difficulty=None)]

    rows = csv_rows(to_csv(logs, evidence_counts={1: 3}))

    assert rows[1:] == [
        [
            "2026-11-20",
            "React",
            "45",
            "Built a todo list component",
            "3",
            "",
            "3",
            "2026-11-20T18:30:00+00:00",
        ],
        [
            "2026-11-20",
            "React",
            "45",
            "Built a todo list component",
            "",
            "5",
            "0",
            "2026-11-20T18:30:00+00:00",
        ],
    ]


def test_csv_quotes_every_cell() -> None:
    data = to_csv([make_log()]).decode("utf-8-sig")

    assert data.splitlines()[1].startswith('"2026-11-20","React","45",')


@pytest.mark.parametrize(
    "description",
    [
        '=HYPERLINK("http://evil.example","Click me")',
        "+1 more rep than yesterday",
        "-2 kg on the deadlift today",
        "@SUM(A1:A9) is how totals work",
        "\tindented with a tab character",
        "\rstarts with a carriage return",
    ],
)
def test_formula_looking_cells_get_a_leading_quote_and_quotes(description: str) -> None:
    data = to_csv([make_log(description=description)])
    text = data.decode("utf-8-sig")
    cell = csv_rows(data)[1][3]

    assert cell == "'" + description
    assert f"\"'{description[:5]}" in text


@pytest.mark.parametrize("skill", ["=cmd|' /C calc'!A0", "+React", "@home", "-"])
def test_every_column_is_neutralised_not_only_the_description(skill: str) -> None:
    cell = csv_rows(to_csv([make_log(skill=skill)]))[1][1]

    assert cell == "'" + skill


def test_harmless_cells_are_untouched() -> None:
    row = csv_rows(to_csv([make_log(description="Plain text, with a comma")]))[1]

    assert row[3] == "Plain text, with a comma"


def test_export_of_ten_thousand_sessions_is_complete() -> None:
    logs = (make_log(i, f"Session number {i} of many") for i in range(1, 10_001))

    rows = csv_rows(to_csv(logs))

    assert len(rows) == 10_001
    assert rows[-1][3] == "Session number 10000 of many"


# --- the leading-quote code is reversible --------------------------------------------------------


@given(st.text())
def test_neutralise_then_unneutralise_is_identity(value: str) -> None:
    assert unneutralise_cell(neutralise_cell(value)) == value


@given(st.text(min_size=1))
def test_neutralised_cells_never_start_with_a_trigger(value: str) -> None:
    assert neutralise_cell(value)[0] not in FORMULA_TRIGGERS


@pytest.mark.parametrize(
    ("value", "neutralised"),
    [
        ("=1+1", "'=1+1"),
        ("'=1+1", "''=1+1"),
        ("''", "'''"),
        ("'quoted'", "'quoted'"),
        ("", ""),
        ("plain", "plain"),
    ],
)
def test_a_leading_quote_is_itself_escaped_only_when_ambiguous(
    value: str, neutralised: str
) -> None:
    assert neutralise_cell(value) == neutralised
