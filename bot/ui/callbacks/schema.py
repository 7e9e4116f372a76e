"""The typed schema of callback buttons, on top of the codec.

A schema is a frozen dataclass per button kind (`CallbackData`): its class header names the
prefix and the fixed leading fields (`key=`, usually the action), its fields are typed and carry
their wire rule in `Annotated[...]` (an `Int` range, a `Word` choice, ...). Building one
validates it; `encode()` gives the same bytes the bot has always sent, so buttons on old messages
still work; `Schema.parse()` reads data back into one, raising BadCallback for anything the bot
could not have produced. Optional fields (default None) are trailing and left off the wire when
None.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass, fields
from types import UnionType
from typing import (
    Annotated,
    Any,
    ClassVar,
    Generic,
    Protocol,
    TypeVar,
    Union,
    dataclass_transform,
)

from bot.domain.history_filters import RangeSpec, range_from_token
from bot.ui.callbacks.codec import MAX_ID, BadCallback, Callback, decode, encode, read_digits

# ----- field rules -----


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


class OneField:
    """Base of the rules that take one wire field: written as its text, read back as the text
    once check() accepts it (a rule that reads or writes otherwise says so)."""

    __slots__ = ()
    width = 1

    def check(self, value: Any) -> None:
        """Raise BadCallback if `value` is not one this field can hold."""
        raise NotImplementedError

    def dump(self, value: Any) -> list[str]:
        """The value as its text."""
        return [str(value)]

    def load(self, raw: Sequence[str]) -> Any:
        """The text as it came, if check() accepts it."""
        self.check(raw[0])
        return raw[0]


class OfType(OneField):
    """A one-field rule whose values are the instances of one type."""

    __slots__ = ()
    holds: type
    noun: str

    def check(self, value: Any) -> None:
        """Refuse anything but an instance of `holds`."""
        if not isinstance(value, self.holds):
            raise BadCallback(f"not {self.noun}")


@dataclass(frozen=True, slots=True)
class Int(OneField):
    """A decimal integer within [low, high] (and among `choices` when given)."""

    low: int = 0
    high: int = MAX_ID
    choices: tuple[int, ...] | None = None

    def check(self, value: Any) -> None:
        """Refuse a non-int (bool included), out of range or not offered."""
        if type(value) is not int or not self.low <= value <= self.high:
            raise BadCallback(f"number {value!r} outside [{self.low}, {self.high}]")
        if self.choices is not None and value not in self.choices:
            raise BadCallback(f"number {value!r} not offered")

    def load(self, raw: Sequence[str]) -> Any:
        """ASCII digits only: no sign, no spaces, no other scripts' digits."""
        value = read_digits(raw[0])
        self.check(value)
        return value


@dataclass(frozen=True, slots=True)
class Word(OneField):
    """One of a fixed set of short codes."""

    choices: tuple[str, ...]

    def check(self, value: Any) -> None:
        """Refuse anything not in the set."""
        if value not in self.choices:
            raise BadCallback(f"code {str(value)[:20]!r} not one of {self.choices}")


@dataclass(frozen=True, slots=True)
class Text(OfType):
    """Free text the handler itself validates (the 64-byte limit bounds it); encode() refuses
    a separator in it."""

    holds = str
    noun = "text"


@dataclass(frozen=True, slots=True)
class Flag(OfType):
    """A yes/no as 1/0."""

    holds = bool
    noun = "a flag"

    def dump(self, value: Any) -> list[str]:
        """1 or 0."""
        return ["1" if value else "0"]

    def load(self, raw: Sequence[str]) -> Any:
        """Exactly "1" or "0"."""
        if raw[0] not in ("0", "1"):
            raise BadCallback(f"not a flag: {raw[0][:20]!r}")
        return raw[0] == "1"


@dataclass(frozen=True, slots=True)
class Range(OfType):
    """A history date range as RangeSpec.token() writes it."""

    holds = RangeSpec
    noun = "a date range"

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
# Every button kind (a class with `key=` in its header), in declaration order: Schema.of()
# reads a prefix's kinds from here instead of having each module list them again.
_KINDS: list[type[CallbackData]] = []


@dataclass_transform(frozen_default=True)
class CallbackData:
    """Base of the typed schemas: every subclass is a frozen dataclass with Annotated fields.

    A subclass names its prefix and key in its header: `class LogBack(LogData, key=("back",))`.
    A class with `key=` is a button kind; one without (the prefix's base, or a base carrying the
    fields several kinds share) is not.
    """

    PREFIX: ClassVar[str] = ""
    # Fixed wire fields after the prefix (usually the action) that select this schema.
    KEY: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(
        cls, *, prefix: str | None = None, key: tuple[str, ...] | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is not None:
            cls.PREFIX = prefix
        if key is not None:
            cls.KEY = key
            _KINDS.append(cls)
        # In place (no slots): the class object the `class` statement binds is this one.
        dataclass(frozen=True)(cls)

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

    @classmethod
    def of(cls, base: type[T]) -> Schema[T]:
        """The schema of every button kind declared under `base`, with base's prefix."""
        return cls(base.PREFIX, *(kind for kind in _KINDS if issubclass(kind, base)))

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
    """A schema whose first field, a Word, also selects it: registered under KEY + each code.

    With no fixed field before the code, its header says `key=()`."""

    @classmethod
    def selectors(cls) -> list[tuple[str, ...]]:
        """KEY followed by each of the first field's codes."""
        _, rule, _ = cls.layout()[0]
        if not isinstance(rule, Word):
            raise TypeError(f"{cls.__name__}: the first field of a Keyed schema is a Word")
        return [(*cls.KEY, code) for code in rule.choices]


Id = Annotated[int, Int()]
# A page of a list of skills (a picker, /skills, Quick Log's grid): a few dozen at most with
# 200 skills; the cap refuses forged pages no list could have.
SkillPage = Annotated[int, Int(0, 1000)]
