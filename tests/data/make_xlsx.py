"""Regenerate tests/data/generic.xlsx: python tests/data/make_xlsx.py (run from the repo root)."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).with_name("generic.xlsx")


def main() -> None:
    """Write a small workbook with a title row, real date cells, a serial date and a time cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Practice"
    sheet.append(["My practice log"])
    sheet.append(["Date", "Skill", "Time spent", "Notes", "Difficulty", "Confidence"])
    sheet.append([datetime(2026, 11, 2), "React", 45, "Built a todo list component", 3, 4])
    # A date typed as a plain number (no date format): Excel serial 46330 is 2026-11-04.
    sheet.append([46330, "SQL", 90.0, "Window functions on sample data", 4.0, None])
    sheet.append(["21.11.2026", "Guitar", time(1, 30), "Chord changes with a metronome", None, 2])
    sheet.append([None, None, None, None, None, None])
    sheet.append([datetime(2026, 11, 22), "Drawing", 30, None, None, None])
    sheet.append([datetime(2026, 11, 23), "Drawing", 30, "Too short", None, None])
    sheet["C5"].number_format = "h:mm"
    workbook.save(OUT)


if __name__ == "__main__":
    main()
