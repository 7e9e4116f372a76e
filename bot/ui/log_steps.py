"""The /log conversation's questions and quick-duration buttons (also used when editing)."""

from __future__ import annotations

from typing import Final

DURATIONS: Final = (15, 30, 60, 90, 120)
DURATION_HINT: Final = "Tap one, or type it: 45, 1h30, 1.5h, 1:15, 90 minutes…"
DATE_HINT: Final = "Tap one, or type it: 3 days ago, 2 weeks ago, monday, Nov 20, 2026-11-20…"
QUESTIONS: Final = {
    "skill": "Which skill did you practise?",
    "new_skill": "What's the new skill called? Send its name (1–64 characters).",
    "duration": f"How long did you practise? {DURATION_HINT}",
    "date": f"When did you practise? {DATE_HINT}",
    "description": (
        "What did you practise? Type 10–500 characters, e.g. <i>Built a todo list component</i>."
    ),
    "rate": "Rate how hard it was and how confident you feel now? Both are optional.",
    "difficulty": "How hard was it? 1 = easy … 5 = very hard.",
    "confidence": "How confident do you feel now? 1 = not at all … 5 = very.",
}
# Said once the user has told which reading of an ambiguous numeric date they meant.
ORDER_CHOSEN: Final = {
    "day_first": "Got it: day first (11/12 is 11 December). /timezone changes it.",
    "month_first": "Got it: month first (11/12 is November 12). /timezone changes it.",
}
