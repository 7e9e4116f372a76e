"""SQL functions that compile differently for SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

_T = TypeVar("_T")


class _PortableFunction(FunctionElement[_T]):
    """A function spelled per backend: each dialect's template, with its arguments at `{}`.

    A subclass states its result `type` and both templates as class keywords
    (`class f(_PortableFunction[int], sqlite=..., postgresql=...)`); its SQL name is its own.
    """

    inherit_cache = True
    name: ClassVar[str]
    templates: ClassVar[dict[str, str]]

    def __init_subclass__(cls, *, sqlite: str, postgresql: str, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        # SQLAlchemy reads inherit_cache from each class's own namespace, never a base's.
        cls.inherit_cache = True
        cls.name = cls.__name__
        cls.templates = {"sqlite": sqlite, "postgresql": postgresql}


@compiles(_PortableFunction, "sqlite", "postgresql")
def _compile_portable(element: _PortableFunction[Any], compiler: SQLCompiler, **kw: Any) -> str:
    arguments = compiler.process(element.clauses, **kw)
    return element.templates[compiler.dialect.name].format(arguments)


class day_number(
    _PortableFunction[int],
    # Dates are 'YYYY-MM-DD' text on SQLite; julianday() of a date is always N.5.
    sqlite="CAST(julianday({}) AS INTEGER)",
    # date - date is an integer number of days on PostgreSQL.
    postgresql="({} - DATE '1970-01-01')",
):
    """A date as a whole number of days, so consecutive dates differ by exactly 1."""

    type = Integer()


class utc_date(
    _PortableFunction[date],
    # SQLite keeps UTCDateTime as naive UTC text.
    sqlite="date({})",
    # Not ::date: that would use the session's time zone.
    postgresql="CAST(({} AT TIME ZONE 'UTC') AS DATE)",
):
    """The UTC calendar date of a stored UTC timestamp."""

    type = Date()


class latest(_PortableFunction[date], sqlite="max({})", postgresql="GREATEST({})"):
    """The largest of its (non-NULL) arguments: GREATEST on PostgreSQL, max() on SQLite."""

    type = Date()


class month_start(
    _PortableFunction[date],
    sqlite="date({}, 'start of month')",
    postgresql="CAST(date_trunc('month', {}) AS DATE)",
):
    """The first day of a date's month."""

    type = Date()
