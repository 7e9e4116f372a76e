"""User settings in the export: what is written, and what a file may restore."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import DomainError
from bot.domain.import_format import MAX_IMPORT_BYTES, check_import_size, is_import_document
from bot.domain.settings_transfer import (
    SETTING_NAMES,
    export_setting,
    settings_to_restore,
    timezone_to_restore,
)
from storage.models import User


def test_every_exported_setting_is_a_users_column() -> None:
    assert set(SETTING_NAMES) <= set(User.__table__.columns.keys())


def test_dates_are_written_as_iso_text() -> None:
    assert export_setting(date(2026, 12, 1)) == "2026-12-01"
    assert export_setting(True) is True and export_setting(None) is None


def test_valid_settings_are_kept_and_converted() -> None:
    assert settings_to_restore(
        {
            "inactivity_enabled": False,
            "inactivity_days": 7,
            "weekly_weekday": 0,
            "weekly_minute": 1439,
            "weekly_goal_minutes": None,
            "paused_until": "2026-12-01",
            "unknown": 5,
        }
    ) == {
        "inactivity_enabled": False,
        "inactivity_days": 7,
        "weekly_weekday": 0,
        "weekly_minute": 1439,
        "weekly_goal_minutes": None,
        "paused_until": date(2026, 12, 1),
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("inactivity_enabled", 1),
        ("inactivity_days", 4),
        ("inactivity_days", True),
        ("inactivity_minute", 1440),
        ("weekly_weekday", 7),
        ("weekly_minute", -1),
        ("weekly_goal_minutes", 0),
        ("weekly_goal_minutes", 10081),
        ("streak_minute", "600"),
        ("streak_enabled", None),
        ("paused_until", "next week"),
        ("paused_until", 20261201),
    ],
)
def test_out_of_range_or_mistyped_settings_are_dropped(name: str, value: object) -> None:
    assert settings_to_restore({name: value}) == {}  # type: ignore[dict-item]


def test_time_zones_are_checked() -> None:
    assert timezone_to_restore("europe/berlin") == "Europe/Berlin"
    assert timezone_to_restore("Mars/Olympus_Mons") is None


@pytest.mark.parametrize(
    ("file_name", "mime", "expected"),
    [
        ("log.csv", "text/csv", True),
        ("LOG.CSV", None, True),
        ("export.json", "application/octet-stream", True),
        ("book.xlsx", None, True),
        ("old.xls", None, True),
        ("data", "application/vnd.ms-excel", True),
        ("data", "text/csv; charset=utf-8", True),
        ("report.pdf", "application/pdf", False),
        ("notes.txt", "text/plain", False),
        (None, None, False),
    ],
)
def test_import_documents_are_told_by_type_or_extension(
    file_name: str | None, mime: str | None, expected: bool
) -> None:
    assert is_import_document(file_name, mime) is expected


def test_size_cap_is_checked_before_download() -> None:
    check_import_size(MAX_IMPORT_BYTES)
    with pytest.raises(DomainError, match=r"10\.1 MB; the limit is 10 MB"):
        check_import_size(MAX_IMPORT_BYTES + 1)
