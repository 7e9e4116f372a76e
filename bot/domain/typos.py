"""Forgiving a typo or two: the nearest candidates by edit distance, within a length's allowance.

OSA distance counts a swap of two neighbouring letters ("mondya") as one edit, as people type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from rapidfuzz.distance import OSA

T = TypeVar("T")


def allowed_typos(word: str) -> int:
    """How many edits a word of this length forgives: one up to six letters, two beyond."""
    return 1 if len(word) <= 6 else 2


def nearest(
    typed: str, candidates: Iterable[tuple[T, str]], allowed: Callable[[str], int]
) -> list[T]:
    """The candidates fewest edits from `typed`, each within `allowed(its text)`; ties all kept."""
    best: list[T] = []
    best_distance: int | None = None
    for item, text in candidates:
        limit = allowed(text)
        distance = OSA.distance(typed, text, score_cutoff=limit)
        if distance > limit:
            continue
        if best_distance is None or distance < best_distance:
            best, best_distance = [item], distance
        elif distance == best_distance:
            best.append(item)
    return best
