"""Forgiving skill and command matching: typos, case and accents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commands import closest_command
from bot.domain.skill_match import closest_skills, fold

SKILLS = [(1, "Guitar"), (2, "React"), (3, "Español"), (4, "Piano"), (5, "Python")]
names = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéü"), min_size=5, max_size=20)


@pytest.mark.parametrize(
    ("typed", "ids"),
    [
        ("guitr", (1,)),
        ("giutar", (1,)),
        ("REACT", (2,)),
        ("espanol", (3,)),
        ("espnol", (3,)),
        ("pian", (4,)),
        ("pyhton", (5,)),
        ("drums", ()),
        ("gu", ()),  # too short to guess at
    ],
)
def test_closest_skills(typed: str, ids: tuple[int, ...]) -> None:
    assert closest_skills(typed, SKILLS) == ids


@given(names, st.data())
def test_one_typo_always_finds_the_skill(name: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(name) - 1))
    dropped = name[:at] + name[at + 1 :]
    swapped = name[:at] + name[at + 1 : at + 2] + name[at] + name[at + 2 :]
    for typed in (dropped, swapped, name.upper()):
        assert closest_skills(typed, [(7, name)]) == (7,), typed


@given(names)
def test_fold_ignores_case_and_accents(name: str) -> None:
    assert fold(name.upper()) == fold(name)
    assert "é" not in fold(name) and "ü" not in fold(name)


COMMANDS = ["log", "quick", "stats", "start", "streak", "history", "help", "export", "import"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/lgo", "log"),
        ("/lo", "log"),
        ("/st", None),  # stats, start, streak
        ("/stast", "stats"),
        ("/hist", "history"),
        ("/exprot", "export"),
        ("/qiuck@SomeBot", "quick"),
        ("/xyz", None),
        ("/", None),
    ],
)
def test_closest_command(typed: str, meant: str | None) -> None:
    assert closest_command(typed, COMMANDS) == meant
