"""Forgiving skill-name matching: case, accents and a typo or two ("guitr", "Cafe" for "Café").

Exact and prefix matches come first (see bot.domain.log_command); this is the fallback when
neither finds anything, so it never overrules a name typed right.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from bot.domain.typos import allowed_typos, nearest

# Shorter words are too often a different word one letter away ("sql" and "sq1" are fine as
# prefixes; "art" and "arm" are not typos of each other).
_MIN_FUZZY_LENGTH: Final = 4


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Casefold and drop accents, so "Café" and "cafe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def closest_skills(typed: str, names: Sequence[tuple[int, str]]) -> tuple[int, ...]:
    """Ids of the skills whose folded name is nearest to ``typed`` within the allowed typos."""
    key = fold(typed)
    if len(key) < _MIN_FUZZY_LENGTH:
        return ()
    folded = ((skill_id, fold(name)) for skill_id, name in names)
    return tuple(nearest(key, folded, allowed_typos))
