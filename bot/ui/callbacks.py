"""The callback_data codec: "prefix:field:..." within Telegram's 64-byte limit, and the typed
schema of each prefix's buttons.

callback_data comes back from the client untrusted: decoding never trusts a field's type, and
handlers re-check ownership of every id they receive.

A schema is a frozen dataclass per button kind (`CallbackData`): its class names the prefix and
the fixed leading fields (`KEY`, usually the action), its fields are typed and carry their wire
rule in `Annotated[...]` (an `Int` range, a `Word` choice, ...). Building one validates it;
`encode()` gives the same bytes the bot has always sent, so buttons on old messages still work;
`Schema.parse()` reads data back into one, raising BadCallback for anything the bot could not
have produced. Optional fields (default None) are trailing and left off the wire when None.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from types import UnionType
from typing import Annotated, Any, ClassVar, Final, Generic, Protocol, TypeVar, Union

from bot.domain.history_filters import RangeSpec, range_from_token
from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    MAX_PAUSE_DAYS,
    MAX_WEEKLY_GOAL,
    MINUTES_PER_DAY,
)

MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"
# The ✖ Cancel button that leaves any conversation; its data is the prefix alone.
CANCEL_PREFIX = "cx"


class BadCallback(ValueError):
    """callback_data that this bot did not produce (forged, truncated or from an old version)."""


def encode(prefix: str, *fields: str | int) -> str:
    """Join a prefix and fields; raises ValueError if the result would not fit Telegram's limit."""
    parts = [prefix, *(str(f) for f in fields)]
    if any(SEPARATOR in p for p in parts):
        raise ValueError(f"callback field contains {SEPARATOR!r}: {parts!r}")
    data = SEPARATOR.join(parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback_data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


@dataclass(frozen=True, slots=True)
class Callback:
    """A decoded callback: its prefix and the fields after it."""

    prefix: str
    fields: tuple[str, ...]

    def action(self) -> str:
        """The first field (the action name), or BadCallback."""
        return self.text(0)

    def text(self, index: int) -> str:
        """Field `index` as text, or BadCallback if missing."""
        if index >= len(self.fields):
            raise BadCallback(f"missing field {index}")
        return self.fields[index]

    def integer(self, index: int, *, low: int = 0, high: int = 2**53) -> int:
        """Field `index` as an int within [low, high], or BadCallback."""
        return int(Int(low, high).load([self.text(index)]))


def decode(data: str | None) -> Callback:
    """Split callback_data into prefix and fields; BadCallback for anything malformed."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise BadCallback("empty or oversized callback data")
    prefix, *fields = data.split(SEPARATOR)
    if not prefix:
        raise BadCallback("no prefix")
    return Callback(prefix, tuple(fields))


# ----- field rules -----

MAX_ID: Final = 2**53
MAX_DIGITS: Final = 16


class Rule(Protocol):
    """How one typed field is written to and read from the wire."""

    @property
    def width(self) -> int:
        """How many wire fields the value takes."""

    def check(self, value: Any) -> None:
        """Raise BadCallback if `value` is not one this field can hold."""

    def dump(self, value: Any) -> list[str]:
        """The value as wire fields."""

    def load(self, raw: Sequence[str]) -> Any:
        """The value read from `width` wire fields, or BadCallback."""


@dataclass(frozen=True, slots=True)
class Int:
    """A decimal integer within [low, high] (and among `choices` when given)."""

    low: int = 0
    high: int = MAX_ID
    choices: tuple[int, ...] | None = None
    width: int = 1

    def check(self, value: Any) -> None:
        """Refuse a non-int (bool included), out of range or not offered."""
        if type(value) is not int or not self.low <= value <= self.high:
            raise BadCallback(f"number {value!r} outside [{self.low}, {self.high}]")
        if self.choices is not None and value not in self.choices:
            raise BadCallback(f"number {value!r} not offered")

    def dump(self, value: Any) -> list[str]:
        """The number in decimal."""
        return [str(value)]

    def load(self, raw: Sequence[str]) -> Any:
        """ASCII digits only: no sign, no spaces, no other scripts' digits."""
        text = raw[0]
        if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
            raise BadCallback(f"not a number: {text[:20]!r}")
        value = int(text)
        self.check(value)
        return value


@dataclass(frozen=True, slots=True)
class Word:
    """One of a fixed set of short codes."""

    choices: tuple[str, ...]
    width: int = 1

    def check(self, value: Any) -> None:
        """Refuse anything not in the set."""
        if value not in self.choices:
            raise BadCallback(f"code {str(value)[:20]!r} not one of {self.choices}")

    def dump(self, value: Any) -> list[str]:
        """The code as it is."""
        return [str(value)]

    def load(self, raw: Sequence[str]) -> Any:
        """The code, if it is one of the set."""
        self.check(raw[0])
        return raw[0]


@dataclass(frozen=True, slots=True)
class Text:
    """Free text the handler itself validates (the 64-byte limit bounds it)."""

    width: int = 1

    def check(self, value: Any) -> None:
        """Refuse a non-string."""
        if not isinstance(value, str):
            raise BadCallback("not text")

    def dump(self, value: Any) -> list[str]:
        """The text as it is (encode() refuses a separator in it)."""
        return [value]

    def load(self, raw: Sequence[str]) -> Any:
        """The text as it came."""
        return raw[0]


@dataclass(frozen=True, slots=True)
class Flag:
    """A yes/no as 1/0."""

    width: int = 1

    def check(self, value: Any) -> None:
        """Refuse a non-bool."""
        if not isinstance(value, bool):
            raise BadCallback("not a flag")

    def dump(self, value: Any) -> list[str]:
        """1 or 0."""
        return ["1" if value else "0"]

    def load(self, raw: Sequence[str]) -> Any:
        """Exactly "1" or "0"."""
        if raw[0] not in ("0", "1"):
            raise BadCallback(f"not a flag: {raw[0][:20]!r}")
        return raw[0] == "1"


@dataclass(frozen=True, slots=True)
class Range:
    """A history date range as RangeSpec.token() writes it."""

    width: int = 1

    def check(self, value: Any) -> None:
        """Refuse anything but a RangeSpec."""
        if not isinstance(value, RangeSpec):
            raise BadCallback("not a date range")

    def dump(self, value: Any) -> list[str]:
        """The range's compact token."""
        return [value.token()]

    def load(self, raw: Sequence[str]) -> Any:
        """A token RangeSpec.token() could have written."""
        try:
            return range_from_token(raw[0])
        except ValueError as exc:
            raise BadCallback(str(exc)) from None


@dataclass(frozen=True, slots=True)
class Nested:
    """A group of fields described by another schema (a list context, say)."""

    schema: type[CallbackData]

    @property
    def width(self) -> int:
        """The nested schema's total width."""
        return sum(rule.width for _, rule, _ in self.schema.layout())

    def check(self, value: Any) -> None:
        """Refuse anything but an instance of the nested schema."""
        if not isinstance(value, self.schema):
            raise BadCallback(f"not a {self.schema.__name__}")

    def dump(self, value: Any) -> list[str]:
        """The nested fields, every one written."""
        nested: CallbackData = value
        return nested.dump_fields()

    def load(self, raw: Sequence[str]) -> Any:
        """The nested schema read from exactly its fields."""
        return self.schema.from_fields(raw)


# ----- schemas -----

S = TypeVar("S", bound="CallbackData")
_LAYOUTS: dict[type[Any], list[tuple[str, Rule, bool]]] = {}


class CallbackData:
    """Base of the typed schemas: subclasses are frozen dataclasses with Annotated fields."""

    PREFIX: ClassVar[str] = ""
    # Fixed wire fields after the prefix (usually the action) that select this schema.
    KEY: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name, rule, optional in self.layout():
            value = getattr(self, name)
            if value is None and optional:
                continue
            rule.check(value)

    @classmethod
    def layout(cls) -> list[tuple[str, Rule, bool]]:
        """(field name, rule, optional) per field, in wire order."""
        if cls not in _LAYOUTS:
            hints = typing.get_type_hints(cls, include_extras=True)
            _LAYOUTS[cls] = [_field_rule(cls, f.name, hints[f.name]) for f in fields(cls)]  # type: ignore[arg-type]
        return _LAYOUTS[cls]

    @classmethod
    def selectors(cls) -> list[tuple[str, ...]]:
        """The KEY values this schema answers to (see Keyed for a schema with several)."""
        return [cls.KEY]

    def dump_fields(self) -> list[str]:
        """The fields after KEY, trailing None fields left off."""
        parts: list[str] = []
        missing = False
        for name, rule, _ in self.layout():
            value = getattr(self, name)
            if value is None:
                missing = True
                continue
            if missing:
                raise ValueError(f"{type(self).__name__}.{name} follows a field left out")
            parts += rule.dump(value)
        return parts

    def encode(self) -> str:
        """The callback_data; ValueError if it would not fit Telegram's 64 bytes."""
        return encode(self.PREFIX, *self.KEY, *self.dump_fields())

    @classmethod
    def from_fields(cls: type[S], raw: Sequence[str]) -> S:
        """The schema read from the fields after KEY; BadCallback if they don't fit it."""
        values: dict[str, Any] = {}
        at = 0
        for name, rule, optional in cls.layout():
            if at == len(raw) and optional:
                values[name] = None
                continue
            if at + rule.width > len(raw):
                raise BadCallback(f"{cls.__name__}: missing {name}")
            values[name] = rule.load(raw[at : at + rule.width])
            at += rule.width
        if at != len(raw):
            raise BadCallback(f"{cls.__name__}: extra fields")
        return cls(**values)


def _field_rule(owner: type[Any], name: str, hint: Any) -> tuple[str, Rule, bool]:
    """The rule of one field from its annotation: Annotated[T, rule], a nested schema, or
    either of those | None (optional)."""
    optional = False
    if typing.get_origin(hint) in (Union, UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"{owner.__name__}.{name}: one type (or it | None) per field")
        hint, optional = args[0], True
    if typing.get_origin(hint) is Annotated:
        rule = next((m for m in hint.__metadata__ if hasattr(m, "load")), None)
        if rule is None:
            raise TypeError(f"{owner.__name__}.{name}: Annotated without a rule")
        return name, rule, optional
    if isinstance(hint, type) and issubclass(hint, CallbackData):
        return name, Nested(hint), optional
    raise TypeError(f"{owner.__name__}.{name}: no wire rule for {hint!r}")


T = TypeVar("T", bound=CallbackData)


class Schema(Generic[T]):
    """All the button kinds of one prefix: reads any of their data into the right schema."""

    def __init__(self, prefix: str, *kinds: type[T]) -> None:
        self.prefix = prefix
        self._by_key: dict[tuple[str, ...], type[T]] = {}
        for kind in kinds:
            if prefix != kind.PREFIX:
                raise TypeError(f"{kind.__name__} has prefix {kind.PREFIX!r}, not {prefix!r}")
            for key in kind.selectors():
                if key in self._by_key:
                    raise TypeError(f"{prefix}:{':'.join(key)} has two schemas")
                self._by_key[key] = kind
        self._longest = max((len(k) for k in self._by_key), default=0)

    def parse(self, data: Callback | str | None) -> T:
        """The typed button behind this data, or BadCallback (forged, old or another prefix)."""
        cb = data if isinstance(data, Callback) else decode(data)
        if cb.prefix != self.prefix:
            raise BadCallback(f"prefix {cb.prefix!r} is not {self.prefix!r}")
        for size in range(min(self._longest, len(cb.fields)), -1, -1):
            kind = self._by_key.get(cb.fields[:size])
            if kind is not None:
                return kind.from_fields(cb.fields[len(kind.KEY) :])
        raise BadCallback(f"unknown {self.prefix} action {cb.fields[:1]!r}")

    def actions(self) -> set[str]:
        """The first wire field of every kind (for a handler's pattern)."""
        return {key[0] for key in self._by_key if key}


class Keyed(CallbackData):
    """A schema whose first field, a Word, also selects it: registered under KEY + each code."""

    @classmethod
    def selectors(cls) -> list[tuple[str, ...]]:
        """KEY followed by each of the first field's codes."""
        _, rule, _ = cls.layout()[0]
        if not isinstance(rule, Word):
            raise TypeError(f"{cls.__name__}: the first field of a Keyed schema is a Word")
        return [(*cls.KEY, code) for code in rule.choices]


Id = Annotated[int, Int()]


def _one(code: str) -> tuple[str, ...]:
    return (code,)


# ----- /log steps: "lg" (handled by LogFlow at the conversation's current step) -----

LOG: Final = "lg"


@dataclass(frozen=True)
class LogData(CallbackData):
    """A button of a /log step."""

    PREFIX: ClassVar[str] = LOG


@dataclass(frozen=True)
class LogBack(LogData):
    """« Back to the previous step."""

    KEY: ClassVar[tuple[str, ...]] = _one("back")


@dataclass(frozen=True)
class LogPickSkill(LogData):
    """A skill button at the skill step."""

    KEY: ClassVar[tuple[str, ...]] = _one("sk")
    skill_id: Id


@dataclass(frozen=True)
class LogSkillPage(LogData):
    """◀ / ▶ through the skill buttons."""

    KEY: ClassVar[tuple[str, ...]] = _one("pg")
    page: Annotated[int, Int(0, 1000)]


@dataclass(frozen=True)
class LogNewSkill(LogData):
    """➕ New skill: type its name."""

    KEY: ClassVar[tuple[str, ...]] = _one("new")


@dataclass(frozen=True)
class LogDuration(LogData):
    """A preset duration."""

    KEY: ClassVar[tuple[str, ...]] = _one("d")
    minutes: Annotated[int, Int(1, MINUTES_PER_DAY)]


@dataclass(frozen=True)
class LogDay(LogData):
    """Today (0) or Yesterday (1)."""

    KEY: ClassVar[tuple[str, ...]] = _one("t")
    days_back: Annotated[int, Int(0, 1)]


@dataclass(frozen=True)
class LogKeepDescription(LogData):
    """Keep the description the one-message /log gave."""

    KEY: ClassVar[tuple[str, ...]] = _one("keep")


@dataclass(frozen=True)
class LogRate(LogData):
    """A 1-5 rating for the difficulty or confidence step."""

    KEY: ClassVar[tuple[str, ...]] = _one("r")
    rating: Annotated[int, Int(1, 5)]


@dataclass(frozen=True)
class LogSkipRating(LogData):
    """Skip the rating step."""

    KEY: ClassVar[tuple[str, ...]] = _one("skip")


@dataclass(frozen=True)
class LogUnarchive(LogData):
    """Unarchive the chosen skill and go on."""

    KEY: ClassVar[tuple[str, ...]] = _one("ua")


@dataclass(frozen=True)
class LogPickAnother(LogData):
    """Leave the archived skill and pick another."""

    KEY: ClassVar[tuple[str, ...]] = _one("pick")


LOG_BUTTONS: Final = Schema[LogData](
    LOG,
    LogBack,
    LogPickSkill,
    LogSkillPage,
    LogNewSkill,
    LogDuration,
    LogDay,
    LogKeepDescription,
    LogRate,
    LogSkipRating,
    LogUnarchive,
    LogPickAnother,
)


# ----- /history: "hs" (stateless screens; every id re-checked against the presser) -----

HISTORY: Final = "hs"
PAGE_AT, PAGE_OLDER, PAGE_NEWER = "a", "o", "n"


@dataclass(frozen=True)
class ListPlace(CallbackData):
    """Where a history screen came from: the page's first row (0, 0: the newest page), the
    skill filter (0: all) and the date range. Four wire fields, always all of them."""

    anchor_day: Annotated[int, Int(0, date.max.toordinal())]
    anchor_id: Id
    skill_id: Id
    range: Annotated[RangeSpec, Range()]

    def __post_init__(self) -> None:
        super().__post_init__()
        if (self.anchor_day == 0) != (self.anchor_id == 0):
            raise BadCallback("half an anchor")


@dataclass(frozen=True)
class HistoryData(CallbackData):
    """A /history button."""

    PREFIX: ClassVar[str] = HISTORY


@dataclass(frozen=True)
class HistoryPage(HistoryData):
    """A page of the list: at/older than the place's anchor, older, or newer."""

    KEY: ClassVar[tuple[str, ...]] = _one("p")
    mode: Annotated[str, Word((PAGE_AT, PAGE_OLDER, PAGE_NEWER))]
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryView(HistoryData):
    """A session's detail."""

    KEY: ClassVar[tuple[str, ...]] = _one("v")
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryEditMenu(HistoryData):
    """The edit menu of a session (also sent by the saved-entry card, without a place)."""

    KEY: ClassVar[tuple[str, ...]] = _one("edit")
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryEditField(HistoryData):
    """Ask for one field's new value; the handler refuses a field that is not editable."""

    KEY: ClassVar[tuple[str, ...]] = _one("ef")
    log_id: Id
    field: Annotated[str, Text()]
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistorySetValue(HistoryData):
    """A value button: date as days back, duration in minutes, rating (0 clears it).

    The value's range depends on the field, so the handler checks it after the field: a
    forged field is refused as not editable whatever value it carries."""

    KEY: ClassVar[tuple[str, ...]] = _one("set")
    log_id: Id
    field: Annotated[str, Text()]
    value: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryDelete(HistoryData):
    """Ask to confirm deleting a session."""

    KEY: ClassVar[tuple[str, ...]] = _one("del")
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryDeleteYes(HistoryData):
    """Delete the session (Undo stays possible for a while)."""

    KEY: ClassVar[tuple[str, ...]] = _one("dy")
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryUndo(HistoryData):
    """↩️ Undo a delete."""

    KEY: ClassVar[tuple[str, ...]] = _one("u")
    snapshot_id: Id


@dataclass(frozen=True)
class HistorySkillPicker(HistoryData):
    """The skill filter picker, a page of it."""

    KEY: ClassVar[tuple[str, ...]] = _one("sk")
    page: Annotated[int, Int(0, 1000)]
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryClose(HistoryData):
    """✖ Close the list."""

    KEY: ClassVar[tuple[str, ...]] = _one("x")


HISTORY_BUTTONS: Final = Schema[HistoryData](
    HISTORY,
    HistoryPage,
    HistoryView,
    HistoryEditMenu,
    HistoryEditField,
    HistorySetValue,
    HistoryDelete,
    HistoryDeleteYes,
    HistoryUndo,
    HistorySkillPicker,
    HistoryClose,
)


# ----- evidence: "ev" (screens, plus the "m" and "t" steps of the evidence conversation) ---

EVIDENCE: Final = "ev"
FROM_LIST, FROM_SESSION = "l", "s"
TO_SESSION, TO_SKILL = "s", "k"


@dataclass(frozen=True)
class EvidenceData(CallbackData):
    """An evidence button."""

    PREFIX: ClassVar[str] = EVIDENCE


@dataclass(frozen=True)
class EvidenceAddToSession(EvidenceData):
    """➕ Add evidence to a session."""

    KEY: ClassVar[tuple[str, ...]] = _one("add")
    log_id: Id


@dataclass(frozen=True)
class EvidenceAddToSkill(EvidenceData):
    """➕ Add evidence to a skill."""

    KEY: ClassVar[tuple[str, ...]] = _one("addk")
    skill_id: Id


@dataclass(frozen=True)
class EvidenceOfSession(EvidenceData):
    """A session's evidence (first page when no page is given)."""

    KEY: ClassVar[tuple[str, ...]] = _one("s")
    log_id: Id
    page: Annotated[int, Int()] | None = None


@dataclass(frozen=True)
class EvidenceOfSkill(EvidenceData):
    """A skill's evidence list, a page of it."""

    KEY: ClassVar[tuple[str, ...]] = _one("l")
    skill_id: Id
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceSkills(EvidenceData):
    """The picker of skills that have evidence, a page of it."""

    KEY: ClassVar[tuple[str, ...]] = _one("pk")
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceClose(EvidenceData):
    """✖ Close the evidence screen."""

    KEY: ClassVar[tuple[str, ...]] = _one("x")


@dataclass(frozen=True)
class EvidenceResend(EvidenceData):
    """🖼 Show a screenshot again."""

    KEY: ClassVar[tuple[str, ...]] = _one("ss")
    evidence_id: Id


@dataclass(frozen=True)
class EvidenceShowNote(EvidenceData):
    """📖 Show a note in full."""

    KEY: ClassVar[tuple[str, ...]] = _one("n")
    evidence_id: Id


@dataclass(frozen=True)
class EvidenceDelete(EvidenceData):
    """🗑 Ask to confirm deleting an item; origin and page say where to go back."""

    KEY: ClassVar[tuple[str, ...]] = _one("d")
    evidence_id: Id
    origin: Annotated[str, Word((FROM_LIST, FROM_SESSION))]
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceDeleteYes(EvidenceData):
    """Delete the item, then go back where the delete was asked from."""

    KEY: ClassVar[tuple[str, ...]] = _one("dy")
    evidence_id: Id
    origin: Annotated[str, Word((FROM_LIST, FROM_SESSION))]
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceMode(EvidenceData):
    """Conversation step "collect": what kind of evidence comes next."""

    KEY: ClassVar[tuple[str, ...]] = _one("m")
    mode: Annotated[str, Word(("link", "note", "shot"))]


@dataclass(frozen=True)
class EvidenceTarget(EvidenceData):
    """Conversation step "pick": attach the batch to a session or a skill."""

    KEY: ClassVar[tuple[str, ...]] = _one("t")
    kind: Annotated[str, Word((TO_SESSION, TO_SKILL))]
    target_id: Id


EVIDENCE_BUTTONS: Final = Schema[EvidenceData](
    EVIDENCE,
    EvidenceAddToSession,
    EvidenceAddToSkill,
    EvidenceOfSession,
    EvidenceOfSkill,
    EvidenceSkills,
    EvidenceClose,
    EvidenceResend,
    EvidenceShowNote,
    EvidenceDelete,
    EvidenceDeleteYes,
    EvidenceMode,
    EvidenceTarget,
)
# The conversation's own steps; the rest are answered without one.
EVIDENCE_STEP_ACTIONS: Final = frozenset({"m", "t"})


# ----- /reminders: "rm" (stateless settings screens), "rmi" (typed-value prompt) -----

REMINDERS: Final = "rm"
REMINDER_INPUT: Final = "rmi"
SCREENS: Final = ("m", "i", "s", "w", "g", "p")  # main, inactivity, streak, weekly, goal, pause
TOGGLES: Final = ("ie", "se", "we")  # inactivity, streak, weekly summary on/off
TIMES: Final = ("im", "sm", "wm")  # their times of day
ASKABLE: Final = (*TIMES, "g", "p")  # typed values other than a skill's goal


@dataclass(frozen=True)
class ReminderData(CallbackData):
    """A reminder settings button, or one under a reminder."""

    PREFIX: ClassVar[str] = REMINDERS


@dataclass(frozen=True)
class ReminderScreen(ReminderData, Keyed):
    """Open one settings screen."""

    screen: Annotated[str, Word(SCREENS)]


@dataclass(frozen=True)
class ReminderClose(ReminderData):
    """✖ Close the settings."""

    KEY: ClassVar[tuple[str, ...]] = _one("x")


@dataclass(frozen=True)
class ReminderOpen(ReminderData):
    """⚙️ Reminder settings under a reminder: a new settings message below it."""

    KEY: ClassVar[tuple[str, ...]] = _one("open")


@dataclass(frozen=True)
class ReminderStreakOff(ReminderData):
    """🔕 No more streak reminders, under a streak reminder."""

    KEY: ClassVar[tuple[str, ...]] = ("off", "s")


@dataclass(frozen=True)
class ReminderSkillGoalScreen(ReminderData):
    """One skill's weekly goal screen."""

    KEY: ClassVar[tuple[str, ...]] = _one("gk")
    skill_id: Id


@dataclass(frozen=True)
class ReminderToggle(ReminderData, Keyed):
    """Turn a reminder on or off."""

    KEY: ClassVar[tuple[str, ...]] = _one("set")
    setting: Annotated[str, Word(TOGGLES)]
    on: Annotated[bool, Flag()]


@dataclass(frozen=True)
class ReminderInactivityDays(ReminderData):
    """After how many days without practice the nudge comes."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "id")
    days: Annotated[int, Int(1, 7, choices=INACTIVITY_DAY_CHOICES)]


@dataclass(frozen=True)
class ReminderTime(ReminderData, Keyed):
    """A reminder's time of day, in minutes after midnight."""

    KEY: ClassVar[tuple[str, ...]] = _one("set")
    setting: Annotated[str, Word(TIMES)]
    minute: Annotated[int, Int(0, MINUTES_PER_DAY - 1)]


@dataclass(frozen=True)
class ReminderWeekday(ReminderData):
    """The weekly summary's weekday (0 Monday)."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "ww")
    weekday: Annotated[int, Int(0, 6)]


@dataclass(frozen=True)
class ReminderWeeklyGoal(ReminderData):
    """The overall weekly goal in minutes (0: none)."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "g")
    minutes: Annotated[int, Int(0, MAX_WEEKLY_GOAL)]


@dataclass(frozen=True)
class ReminderSkillGoal(ReminderData):
    """A skill's weekly goal in minutes (0: none)."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "sg")
    skill_id: Id
    minutes: Annotated[int, Int(0, MAX_WEEKLY_GOAL)]


@dataclass(frozen=True)
class ReminderPause(ReminderData):
    """Pause every reminder for some days, today included."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "p")
    days: Annotated[int, Int(1, MAX_PAUSE_DAYS)]


@dataclass(frozen=True)
class ReminderResume(ReminderData):
    """▶️ Resume reminders now."""

    KEY: ClassVar[tuple[str, ...]] = ("set", "pr", "0")


@dataclass(frozen=True)
class ReminderAsk(ReminderData, Keyed):
    """Ask for a typed time, overall goal or pause date."""

    KEY: ClassVar[tuple[str, ...]] = _one("ask")
    setting: Annotated[str, Word(ASKABLE)]


@dataclass(frozen=True)
class ReminderAskSkillGoal(ReminderData):
    """Ask for a skill's typed weekly goal."""

    KEY: ClassVar[tuple[str, ...]] = ("ask", "sg")
    skill_id: Id


REMINDER_BUTTONS: Final = Schema[ReminderData](
    REMINDERS,
    ReminderScreen,
    ReminderClose,
    ReminderOpen,
    ReminderStreakOff,
    ReminderSkillGoalScreen,
    ReminderToggle,
    ReminderInactivityDays,
    ReminderTime,
    ReminderWeekday,
    ReminderWeeklyGoal,
    ReminderSkillGoal,
    ReminderPause,
    ReminderResume,
    ReminderAsk,
    ReminderAskSkillGoal,
)


@dataclass(frozen=True)
class ReminderInputData(CallbackData):
    """A button of the typed-value prompt."""

    PREFIX: ClassVar[str] = REMINDER_INPUT


@dataclass(frozen=True)
class ReminderInputBack(ReminderInputData):
    """« Back to the screen the prompt came from."""

    KEY: ClassVar[tuple[str, ...]] = _one("back")


REMINDER_INPUT_BUTTONS: Final = Schema[ReminderInputData](REMINDER_INPUT, ReminderInputBack)
