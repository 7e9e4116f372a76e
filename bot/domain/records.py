"""Copying between read models and rows whose fields share their names."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type[DataclassInstance]) -> tuple[str, ...]:
    """The names of a dataclass's fields, in order (looked up once per class)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def from_attributes(cls: type[R], source: object, **given: Any) -> R:
    """Build `cls` from `source`'s attributes of the same names; `given` sets the others."""
    copied = {name: getattr(source, name) for name in field_names(cls) if name not in given}
    return cls(**copied, **given)


def field_values(item: DataclassInstance, **extra: object) -> dict[str, Any]:
    """A dataclass's fields as a dict, plus `extra` (shallow, unlike dataclasses.asdict)."""
    return {**{name: getattr(item, name) for name in field_names(type(item))}, **extra}
