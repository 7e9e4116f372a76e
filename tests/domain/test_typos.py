"""Typo forgiveness: the nearest candidates within a length's allowance of edits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from bot.domain.typos import allowed_typos, nearest

WORDS = st.text(alphabet="abcde", min_size=1, max_size=9)


@given(WORDS, st.lists(WORDS, max_size=12))
def test_nearest_keeps_exactly_the_closest_candidates_within_their_allowance(
    typed: str, texts: list[str]
) -> None:
    found = nearest(typed, enumerate(texts), allowed_typos)
    within = {
        index: OSA.distance(typed, text)
        for index, text in enumerate(texts)
        if OSA.distance(typed, text) <= allowed_typos(text)
    }
    closest = min(within.values(), default=None)
    assert found == [index for index, distance in within.items() if distance == closest]


def test_nearest_counts_a_swap_as_one_edit_and_keeps_ties_in_order() -> None:
    assert nearest("mondya", [("monday", "monday"), ("sunday", "sunday")], allowed_typos) == [
        "monday"
    ]
    assert nearest("cat", [(1, "bat"), (2, "cut"), (3, "cats")], lambda _: 1) == [1, 2, 3]
    assert nearest("zebra", [(1, "guitar")], allowed_typos) == []


def test_allowed_typos_grows_past_six_letters() -> None:
    assert [allowed_typos("x" * n) for n in (1, 6, 7, 20)] == [1, 1, 2, 2]
