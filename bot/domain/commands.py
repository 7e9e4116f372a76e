"""Which command a mistyped one most likely meant ("/lgo" -> "log")."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA


def closest_command(typed: str, names: Iterable[str]) -> str | None:
    """The one command name ``typed`` is a typo (or the start) of; None if none or several."""
    word = typed.casefold().lstrip("/").split("@")[0]
    if not word:
        return None
    known = sorted(set(names))
    started = [name for name in known if len(word) >= 3 and name.startswith(word)]
    if len(started) == 1:
        return started[0]
    allowed = 1 if len(word) <= 4 else 2
    distances = {name: OSA.distance(word, name, score_cutoff=allowed) for name in known}
    best = min(distances.values(), default=allowed + 1)
    nearest = [name for name, distance in distances.items() if distance == best]
    if len(nearest) > 1:
        # "/stast" is as near to /start as to /stats; swapped letters are the likelier slip.
        nearest = [name for name in nearest if sorted(name) == sorted(word)]
    return nearest[0] if best <= allowed and len(nearest) == 1 else None
