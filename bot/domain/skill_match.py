"""Forgiving skill-name matching: case, accents and a typo or two ("guitr", "Cafe" for "Café").

Exact and prefix matches come first (see bot.domain.log_command); this is the fallback when
neither finds anything, so it never overrules a name typed right.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA

# Shorter words are too often a different word one letter away ("sql" and "sq1" are fine as
# prefixes; "art" and "arm" are not typos of each other).
_MIN_FUZZY_LENGTH: Final = 4


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Casefold and drop accents, so "Café" and "cafe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def allowed_typos(name: str) -> int:
    """How many edits a name of this length forgives: one up to six letters, two beyond."""
    return 1 if len(name) <= 6 else 2


def closest_skills(typed: str, names: Sequence[tuple[int, str]]) -> tuple[int, ...]:
    """Ids of the skills whose folded name is nearest to ``typed`` within the allowed typos."""
    key = fold(typed)
    if len(key) < _MIN_FUZZY_LENGTH:
        return ()
    best: list[int] = []
    best_distance = 3
    for skill_id, name in names:
        target = fold(name)
        allowed = allowed_typos(target)
        distance = OSA.distance(key, target, score_cutoff=allowed)
        if distance > allowed:
            continue
        if distance < best_distance:
            best, best_distance = [skill_id], distance
        elif distance == best_distance:
            best.append(skill_id)
    return tuple(best)
