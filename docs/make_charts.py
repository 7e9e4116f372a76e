"""Render the README's sample charts from a made-up but realistic user; no database involved.

    /work/main/.venv/bin/python docs/make_charts.py

Writes docs/chart-weekly.png, docs/chart-heatmap.png and docs/chart-progress.png with the
same renderers and domain functions the bot uses for /stats and /progress.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.analytics import DailySkillTotal, daily_series, weekly_series
from bot.domain.progress import ActivityBaseline, DayTotal, history_days, progress_history
from bot.ui import charts

DOCS = Path(__file__).resolve().parent
TODAY = date(2026, 11, 25)
DAYS = 26 * 7 + 6
# (skill id, name, weekdays practised (0 = Monday), chance on such a day, minutes, first day)
HABITS = (
    (1, "React", (0, 1, 2, 3), 0.75, (30, 120), date(2026, 8, 24)),
    (2, "SQL", (1, 3), 0.8, (20, 60), date(2026, 5, 1)),
    (3, "Spanish", (0, 1, 2, 3, 4, 5, 6), 0.6, (10, 25), date(2026, 5, 1)),
    (4, "Guitar", (5, 6), 0.85, (30, 90), date(2026, 5, 1)),
)
# Two weeks of holiday in August, and a slow start that picks up.
HOLIDAY = (date(2026, 8, 3), date(2026, 8, 16))


def sample_rows(seed: int = 6) -> list[DailySkillTotal]:
    """About six months of practice (React only for the last three), as daily totals."""
    rng = random.Random(seed)
    rows = []
    for offset in range(DAYS, -1, -1):
        day = TODAY - timedelta(days=offset)
        if HOLIDAY[0] <= day <= HOLIDAY[1]:
            continue
        ramp = 0.6 + 0.4 * (1 - offset / DAYS)
        for skill_id, name, weekdays, chance, (low, high), first in HABITS:
            if day >= first and day.weekday() in weekdays and rng.random() < chance * ramp:
                rows.append(DailySkillTotal(day, skill_id, name, rng.randint(low, high), 1))
    return rows


def main() -> None:
    """Render the three charts and print their sizes."""
    rows = sample_rows()
    react = [DayTotal(r.day, r.minutes, r.sessions) for r in rows if r.skill_id == 1]
    # React started inside the sample window, so nothing comes before it.
    baseline = ActivityBaseline()
    outputs = {
        "chart-weekly.png": charts.weekly_minutes_chart(weekly_series(rows, TODAY)),
        "chart-heatmap.png": charts.calendar_heatmap(daily_series(rows, TODAY)),
        "chart-progress.png": charts.progress_chart(
            progress_history(baseline, react, history_days(TODAY)), "React"
        ),
    }
    for name, png in outputs.items():
        (DOCS / name).write_bytes(png)
        print(f"docs/{name}: {len(png) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
