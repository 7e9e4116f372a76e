"""One-message logging: read "/log react 45m built a todo component" into a draft session.

What the parser looks for, in this order:
1. A full skill name at the very start ("python 3 ..."), so words of a name are never read as
   a date or a duration.
2. The date: the first date-shaped phrase anywhere ("yesterday", "20.11", "2 weeks ago",
   "Nov 20", "last friday"; see bot.domain.dates), with an "on" before it ("on friday").
   Later date-shaped words stay in the description. The abbreviations "sat", "sun" and "wed"
   are ordinary English words ("sat down"), so on their own they stay in the description;
   "saturday" or "last sat" is needed. A near-miss ("fridya") or an ambiguous numeric date
   ("11/12", when the user has not chosen a numeric order) is consumed too and reported in
   ``date_guess`` / ``date_choices`` for the caller to ask about.
3. The duration: the first phrase written with a unit or a colon ("45m", "1h 30", "1:15")
   anywhere; only if there is none, the first bare whole number ("30"). Later numbers stay in
   the description ("45m read chapter 3"). Day-month dates win over durations, so a bare "1.5"
   is 1 May; "1.5h" is a duration.
4. The skill, if step 1 found none: the words at the start of what is left, by full name
   (longest first), else by a prefix of at least two letters of the first word that only one
   skill starts with; several such skills make it ambiguous. Failing both, a name one or two
   typos away ("guitr"; bot.domain.skill_match). Case and accents never matter. If nothing
   matches, the first word is offered as a new skill's name (``new_skill_name``).
5. The rest, trimmed, is the description. It is not validated here: the caller checks it.

A date or duration that is shaped right but invalid ("3000m", "1h75", "31.02", a future
"tomorrow") is consumed and reported in ``problems``; its field stays None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bot.domain.dates import DateOrder, DateReading, may_start_date, read_date
from bot.domain.durations import looks_like_duration, parse_duration
from bot.domain.errors import DomainError
from bot.domain.skill_match import closest_skills, fold

_WORDLIKE_WEEKDAYS: Final = frozenset({"sat", "sun", "wed"})
_MAX_DATE_WORDS: Final = 5  # "fri 20th of nov 2025"
_MAX_DURATION_WORDS: Final = 4  # "1 h 30 min"
_MIN_PREFIX: Final = 2
_LEADING_PUNCTUATION: Final = "(\"'“‘«["
_TRAILING_PUNCTUATION: Final = ",;:!?.)\"'”’»]"
_DESCRIPTION_EDGES: Final = " \t\n-–—:,;"
_BARE_NUMBER_RE: Final = re.compile(r"[0-9]+")
_TOKEN_RE: Final = re.compile(r"\S+")


@dataclass(frozen=True)
class LogDraft:
    """What one-message logging understood; None marks a part the conversation still asks for."""

    skill_id: int | None = None
    duration_minutes: int | None = None
    practiced_on: date | None = None
    description: str | None = None
    ambiguous_skill_ids: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()
    # True when a date-shaped phrase was typed, even an invalid one, so the caller can
    # tell "no date given" (default: today) from "a date that needs asking again".
    date_given: bool = field(default=False, compare=False)
    # A typo'd date phrase and what it most likely means ("fridya" -> last Friday) ...
    date_guess: date | None = field(default=None, compare=False)
    # ... or both readings of an ambiguous numeric date ("11/12"), to ask which order is meant.
    date_choices: tuple[tuple[DateOrder, date], ...] = field(default=(), compare=False)
    date_phrase: str = field(default="", compare=False)  # what was typed for the date
    # No skill matched: the first word left, as a new skill's name, and the description without it.
    new_skill_name: str | None = field(default=None, compare=False)
    description_without_name: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Token:
    index: int
    start: int
    end: int
    key: str  # casefolded, without surrounding punctuation; "" for a lone dash


def parse_log_command(
    text: str,
    skill_names: Sequence[tuple[int, str]],
    today: date,
    order: DateOrder = "day_first",
    *,
    ask_order: bool = False,
) -> LogDraft:
    """Split the text after /log into skill, duration, date and description (see module doc).

    Numeric dates are read in ``order``; with ``ask_order`` an ambiguous one is reported in
    ``date_choices`` instead.
    """
    tokens = _tokenize(text)
    used: set[int] = set()
    problems: list[str] = []
    skills = [(skill_id, _name_keys(name)) for skill_id, name in skill_names]

    consumed, skill_ids = _match_full_name([t.key for t in tokens], skills)
    used.update(range(consumed))

    before = len(used)
    reading, phrase = _take_date(tokens, used, today, order, ask_order)
    date_given = len(used) > before
    if reading is not None and reading.problem:
        problems.append(reading.problem)
    duration = _take_duration(tokens, used, problems)

    left = [t for t in tokens if t.index not in used]
    while left and not left[0].key:
        left.pop(0)
    new_name: str | None = None
    without_name: str | None = None
    if not skill_ids:
        consumed, skill_ids = _match_full_name([t.key for t in left], skills)
        if not skill_ids:
            consumed, skill_ids = _match_prefix(left, skills)
            if len(skill_ids) == 1:
                consumed = _rest_of_name(left, dict(skill_names)[skill_ids[0]])
        if not skill_ids:
            consumed, skill_ids = _match_typo(left, skill_names)
        if not skill_ids and left and _could_be_name(left[0].key):
            new_name = text[left[0].start : left[0].end].strip(_DESCRIPTION_EDGES + "\"'“”()")
            without_name = _join(text, left[1:])
        left = left[consumed:]

    return LogDraft(
        skill_id=skill_ids[0] if len(skill_ids) == 1 else None,
        duration_minutes=duration,
        practiced_on=reading.day if reading else None,
        description=_join(text, left),
        ambiguous_skill_ids=skill_ids if len(skill_ids) > 1 else (),
        problems=tuple(problems),
        date_given=date_given,
        date_guess=reading.guess if reading else None,
        date_choices=reading.choices if reading else (),
        date_phrase=phrase,
        new_skill_name=new_name[:1].upper() + new_name[1:] if new_name else None,
        description_without_name=without_name,
    )


def _take_date(
    tokens: Sequence[_Token], used: set[int], today: date, order: DateOrder, ask_order: bool
) -> tuple[DateReading | None, str]:
    """Consume the first date-shaped phrase (and an "on" before it); say what it reads as."""
    for span in _spans(tokens, used, _MAX_DATE_WORDS, may_start_date):
        phrase = " ".join(t.key for t in span)
        if phrase in _WORDLIKE_WEEKDAYS:
            continue
        reading = read_date(phrase, today, order, ask_order=ask_order)
        if reading is None:
            continue
        used.update(t.index for t in span)
        before = span[0].index - 1
        if before >= 0 and before not in used and tokens[before].key == "on":
            used.add(before)
        return reading, phrase
    return None, ""


def _take_duration(tokens: Sequence[_Token], used: set[int], problems: list[str]) -> int | None:
    """Consume the first duration with a unit, else the first bare number; report if invalid."""
    chosen: Sequence[_Token] | None = None
    for span in _spans(tokens, used, _MAX_DURATION_WORDS):
        phrase = " ".join(t.key for t in span)
        if not _BARE_NUMBER_RE.fullmatch(phrase) and looks_like_duration(phrase):
            chosen = span
            break
    if chosen is None:
        bare = [t for t in tokens if t.index not in used and _BARE_NUMBER_RE.fullmatch(t.key)]
        if not bare:
            return None
        chosen = bare[:1]
    used.update(t.index for t in chosen)
    try:
        return parse_duration(" ".join(t.key for t in chosen))
    except DomainError as error:
        problems.append(str(error))
        return None


def _spans(
    tokens: Sequence[_Token],
    used: set[int],
    longest: int,
    starts: Callable[[str], bool] | None = None,
) -> Iterator[Sequence[_Token]]:
    """Runs of consecutive unused tokens, leftmost first and, at one start, longest first.

    ``starts`` skips runs whose first word cannot begin the phrase sought, before any is built.
    """
    count = len(tokens)
    for start, first in enumerate(tokens):
        if first.index in used or not first.key or (starts is not None and not starts(first.key)):
            continue
        end = start + 1
        while (
            end < count
            and end - start < longest
            and tokens[end].index not in used
            and tokens[end].key
        ):
            end += 1
        for stop in range(end, start, -1):
            yield tokens[start:stop]


def _match_full_name(
    keys: Sequence[str], skills: Sequence[tuple[int, tuple[str, ...]]]
) -> tuple[int, tuple[int, ...]]:
    """(words consumed, skill ids) for the longest whole names opening ``keys``; ties: ambiguous."""
    matches = [
        (len(words), sid) for sid, words in skills if words and tuple(keys[: len(words)]) == words
    ]
    if not matches:
        return 0, ()
    longest = max(length for length, _ in matches)
    return longest, tuple(sid for length, sid in matches if length == longest)


def _match_prefix(
    left: Sequence[_Token], skills: Sequence[tuple[int, tuple[str, ...]]]
) -> tuple[int, tuple[int, ...]]:
    """(words consumed, skill ids) for skills whose name starts with the first word typed."""
    if not left or len(left[0].key) < _MIN_PREFIX:
        return 0, ()
    ids = tuple(sid for sid, words in skills if " ".join(words).startswith(left[0].key))
    return (1, ids) if ids else (0, ())


def _match_typo(
    left: Sequence[_Token], skill_names: Sequence[tuple[int, str]]
) -> tuple[int, tuple[int, ...]]:
    """(words consumed, skill ids) for names a typo or two away from the words typed first."""
    for length in (3, 2, 1):
        if len(left) < length or not all(t.key for t in left[:length]):
            continue
        typed = " ".join(t.key for t in left[:length])
        sized = [(sid, name) for sid, name in skill_names if len(name.split()) == length]
        if ids := closest_skills(typed, sized):
            return length, ids
    return 0, ()


def _rest_of_name(left: Sequence[_Token], name: str) -> int:
    """Words a prefix-matched name spans: "machine lerning" is all of "Machine learning"."""
    length = len(name.split())
    if length > 1 and len(left) >= length and all(t.key for t in left[:length]):
        typed = " ".join(t.key for t in left[:length])
        if closest_skills(typed, [(0, name)]):
            return length
    return 1


def _could_be_name(key: str) -> bool:
    """Whether a leftover word could name a new skill: letters, not a number or a symbol."""
    return len(key) >= 2 and any(c.isalpha() for c in key)


def _join(text: str, tokens: Sequence[_Token]) -> str | None:
    """Rebuild the description, keeping the user's own spacing between neighbouring words."""
    parts: list[str] = []
    for previous, token in zip([None, *tokens], tokens, strict=False):
        if previous is not None:
            adjacent = token.index == previous.index + 1
            parts.append(text[previous.end : token.start] if adjacent else " ")
        parts.append(text[token.start : token.end])
    description = "".join(parts)
    # Alternate both trims: any Unicode space (str.strip) and the separators around the edges.
    while (trimmed := description.strip().strip(_DESCRIPTION_EDGES)) != description:
        description = trimmed
    return description or None


def _tokenize(text: str) -> list[_Token]:
    """Split on whitespace, remembering positions so the description keeps its spacing."""
    return [
        _Token(index, match.start(), match.end(), _key(match.group()))
        for index, match in enumerate(_TOKEN_RE.finditer(text))
    ]


def _name_keys(name: str) -> tuple[str, ...]:
    """A skill name as the word keys it must match."""
    return tuple(key for key in (_key(word) for word in name.split()) if key)


def _key(word: str) -> str:
    """Fold case and accents and drop surrounding punctuation: "Café," matches the skill Cafe."""
    key = fold(word).lstrip(_LEADING_PUNCTUATION).rstrip(_TRAILING_PUNCTUATION)
    return "" if key.strip("-–—") == "" else key
