"""One-message logging: "/log react 45m built a todo component" and its partial forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.durations import format_duration
from bot.domain.log_command import LogDraft, parse_log_command

TODAY = date(2026, 11, 20)  # a Friday
YESTERDAY = TODAY - timedelta(days=1)
REACT, SQL, GUITAR, REACT_NATIVE, REDUX, PYTHON3, DOTNET, ML = range(1, 9)
SKILLS = [
    (REACT, "React"),
    (SQL, "SQL"),
    (GUITAR, "Guitar"),
    (REACT_NATIVE, "React Native"),
    (REDUX, "Redux"),
    (PYTHON3, "Python 3"),
    (DOTNET, ".NET"),
    (ML, "Machine learning"),
]


def parse(text: str) -> LogDraft:
    return parse_log_command(text, SKILLS, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "react 45m built a todo component",
            LogDraft(REACT, 45, None, "built a todo component"),
        ),
        (
            "1h30 yesterday SQL window functions practice",
            LogDraft(SQL, 90, YESTERDAY, "window functions practice"),
        ),
        (
            "30 guitar scales 2 days ago",
            LogDraft(GUITAR, 30, TODAY - timedelta(days=2), "scales"),
        ),
        ("REACT 1h built hooks", LogDraft(REACT, 60, None, "built hooks")),
        ("react native 1h hooks", LogDraft(REACT_NATIVE, 60, None, "hooks")),
        ("gu 1h 30 scales", LogDraft(GUITAR, 90, None, "scales")),
        ("sq 20m joins", LogDraft(SQL, 20, None, "joins")),
        ("redu 20m reducers", LogDraft(REDUX, 20, None, "reducers")),
        ("python 3 30 practiced loops", LogDraft(PYTHON3, 30, None, "practiced loops")),
        (".net 20m linq", LogDraft(DOTNET, 20, None, "linq")),
        ("machine 1 h 30 min learning stuff", LogDraft(ML, 90, None, "stuff")),
        ("react, 45m: built it", LogDraft(REACT, 45, None, "built it")),
        ("react 45m — built it", LogDraft(REACT, 45, None, "built it")),
        ("react 45 min built\n  a  thing", LogDraft(REACT, 45, None, "built\n  a  thing")),
        ("react 2 hours 20.11", LogDraft(REACT, 120, TODAY, None)),
        ("react 1:15 last friday", LogDraft(REACT, 75, TODAY - timedelta(days=7), None)),
        ("react 45m friday", LogDraft(REACT, 45, TODAY, None)),
        ("react 45m last sat", LogDraft(REACT, 45, date(2026, 11, 14), None)),
        ("react 45m mon hooks", LogDraft(REACT, 45, date(2026, 11, 16), "hooks")),
        ("yesterday react 1.5h", LogDraft(REACT, 90, YESTERDAY, None)),
        ("react 45m 2026-11-01", LogDraft(REACT, 45, date(2026, 11, 1), None)),
        # Only the first duration and the first date count; later ones are description.
        ("react 45m read chapter 3", LogDraft(REACT, 45, None, "read chapter 3")),
        ("react read chapter 3 45m", LogDraft(REACT, 45, None, "read chapter 3")),
        ("react 45m then 30m more", LogDraft(REACT, 45, None, "then 30m more")),
        (
            "react 45m yesterday reviewed today's work",
            LogDraft(REACT, 45, YESTERDAY, "reviewed today's work"),
        ),
        # "sat", "sun" and "wed" alone are words, not dates.
        ("react 45m sat down and coded", LogDraft(REACT, 45, None, "sat down and coded")),
        ("guitar 20m in the sun", LogDraft(GUITAR, 20, None, "in the sun")),
        # Versions are not dates.
        ("python 3 20m upgraded to 2.0", LogDraft(PYTHON3, 20, None, "upgraded to 2.0")),
    ],
)
def test_complete_and_partial_messages(text: str, expected: LogDraft) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", LogDraft()),
        ("   ", LogDraft()),
        ("react", LogDraft(skill_id=REACT)),
        ("45m", LogDraft(duration_minutes=45)),
        ("yesterday", LogDraft(practiced_on=YESTERDAY)),
        ("built a todo", LogDraft(description="built a todo")),
        ("45m built a todo", LogDraft(duration_minutes=45, description="built a todo")),
        ("react built a todo", LogDraft(skill_id=REACT, description="built a todo")),
        ("piano 30m scales", LogDraft(duration_minutes=30, description="piano scales")),
        # One letter is too short to be a skill prefix.
        ("r 30m", LogDraft(duration_minutes=30, description="r")),
    ],
)
def test_missing_parts_stay_none(text: str, expected: LogDraft) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "ids", "description"),
    [
        ("re 45m x", (REACT, REACT_NATIVE, REDUX), "x"),
        ("rea 45m built", (REACT, REACT_NATIVE), "built"),
    ],
)
def test_ambiguous_prefix(text: str, ids: tuple[int, ...], description: str) -> None:
    draft = parse(text)
    assert draft.skill_id is None
    assert draft.ambiguous_skill_ids == ids
    assert draft.description == description
    assert draft.duration_minutes == 45


def test_duplicate_names_are_ambiguous() -> None:
    draft = parse_log_command("spanish 10m verbs", [(1, "Spanish"), (2, "spanish")], TODAY)
    assert (draft.skill_id, draft.ambiguous_skill_ids) == (None, (1, 2))


@pytest.mark.parametrize(
    ("text", "problem", "expected"),
    [
        ("react 3000m built", "at most 24 hours", LogDraft(skill_id=REACT, description="built")),
        ("react 1h75 x", "must be under 60", LogDraft(skill_id=REACT, description="x")),
        ("react 0m x", "at least 1 minute", LogDraft(skill_id=REACT, description="x")),
        ("react 45.5m x", "whole minutes", LogDraft(skill_id=REACT, description="x")),
        ("react 2000 built", "at most 24 hours", LogDraft(skill_id=REACT, description="built")),
        (
            "react 45m 31.02 hooks",
            "no such date",
            LogDraft(skill_id=REACT, duration_minutes=45, description="hooks"),
        ),
        (
            "react 45m 2026-12-01 hooks",
            "in the future",
            LogDraft(skill_id=REACT, duration_minutes=45, description="hooks"),
        ),
    ],
)
def test_invalid_tokens_are_consumed_and_reported(
    text: str, problem: str, expected: LogDraft
) -> None:
    draft = parse(text)
    assert len(draft.problems) == 1
    assert problem in draft.problems[0]
    assert draft == LogDraft(**{**expected.__dict__, "problems": draft.problems})


def test_no_skills_at_all() -> None:
    draft = parse_log_command("react 45m built it", [], TODAY)
    assert draft == LogDraft(duration_minutes=45, description="react built it")


skill_picks = st.sampled_from(SKILLS)
durations = st.integers(min_value=1, max_value=1440)
day_offsets = st.integers(min_value=0, max_value=60)
words = st.lists(
    st.sampled_from(["built", "a", "todo", "component", "hooks", "scales", "joins", "practice"]),
    min_size=0,
    max_size=6,
)


@given(skill_picks, durations, day_offsets, words, st.booleans(), st.booleans())
def test_composed_messages_parse_back(
    skill: tuple[int, str],
    minutes: int,
    back: int,
    description: list[str],
    date_first: bool,
    skill_first: bool,
) -> None:
    skill_id, name = skill
    practiced_on = TODAY - timedelta(days=back)
    when = [format_duration(minutes), f"{back} days ago"]
    if date_first:
        when.reverse()
    text = " ".join([name, *when, *description] if skill_first else [*when, name, *description])
    assert parse(text) == LogDraft(
        skill_id=skill_id,
        duration_minutes=minutes,
        practiced_on=practiced_on,
        description=" ".join(description) or None,
    )


@given(st.text(max_size=80))
def test_never_raises_and_never_dates_the_future(text: str) -> None:
    draft = parse(text)
    assert draft.practiced_on is None or draft.practiced_on <= TODAY
    assert draft.duration_minutes is None or 1 <= draft.duration_minutes <= 1440
    assert draft.skill_id is None or not draft.ambiguous_skill_ids
    assert draft.description is None or draft.description.strip() == draft.description


@pytest.mark.parametrize(
    ("text", "date_given"),
    [
        ("react 45m built it", False),
        ("react 45m yesterday built it", True),
        ("react 45m 31.02 built it", True),  # shaped like a date but invalid: ask for it
        ("react 45m 2030-01-01 built it", True),
    ],
)
def test_date_given_tells_a_missing_date_from_a_bad_one(text: str, date_given: bool) -> None:
    draft = parse(text)
    assert draft.date_given is date_given
    assert (draft.practiced_on is None) is (date_given is False or bool(draft.problems))


@pytest.mark.parametrize("text", ["<\x1f-", "react 45m \x1f- built it \x1f", "- \u2003notes:"])
def test_description_edges_are_trimmed_of_any_space_and_separator(text: str) -> None:
    draft = parse(text)
    assert draft.description is None or draft.description.strip() == draft.description
    assert draft.description is None or draft.description[0] not in "-:"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("guitr 30m scales", LogDraft(GUITAR, 30, None, "scales")),
        ("Gitar 30m scales", LogDraft(GUITAR, 30, None, "scales")),
        ("machine lerning 1h notes", LogDraft(ML, 60, None, "notes")),
        ("pyhton 3 20m loops", LogDraft(PYTHON3, 20, None, "loops")),
    ],
)
def test_typos_in_skill_names_are_forgiven(text: str, expected: LogDraft) -> None:
    assert parse(text) == expected


def test_an_unknown_first_word_is_offered_as_a_new_skill() -> None:
    draft = parse("piano 30m scales and arpeggios")
    assert (draft.skill_id, draft.description) == (None, "piano scales and arpeggios")
    assert draft.new_skill_name == "Piano"
    assert draft.description_without_name == "scales and arpeggios"
    assert parse("45m 2 weeks ago").new_skill_name is None  # nothing left to name a skill


@pytest.mark.parametrize(
    ("text", "day", "description"),
    [
        ("guitar 30m 2 weeks ago arpeggio work here", date(2026, 11, 6), "arpeggio work here"),
        ("guitar 30m on Nov 18 arpeggio work", date(2026, 11, 18), "arpeggio work"),
        ("guitar arpeggio work 30m 18 November", date(2026, 11, 18), "arpeggio work"),
    ],
)
def test_a_date_phrase_anywhere_sets_the_date(text: str, day: date, description: str) -> None:
    draft = parse(text)
    assert (draft.practiced_on, draft.description) == (day, description)


def test_a_near_miss_or_ambiguous_date_is_reported_not_described() -> None:
    guessed = parse("guitar 30m fridya scales")
    assert (guessed.practiced_on, guessed.date_guess, guessed.description) == (
        None,
        TODAY,
        "scales",
    )
    asked = parse_log_command("guitar 30m 11/12 scales", SKILLS, TODAY, ask_order=True)
    assert asked.date_choices == (
        ("day_first", date(2025, 12, 11)),
        ("month_first", date(2026, 11, 12)),
    )
    assert asked.description == "scales"
