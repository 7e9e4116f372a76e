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
    """A function spelled per backend: `templates[dialect]` with its arguments at `{}`."""

    inherit_cache = True
    templates: ClassVar[dict[str, str]]


@compiles(_PortableFunction, "sqlite", "postgresql")
def _compile_portable(element: _PortableFunction[Any], compiler: SQLCompiler, **kw: Any) -> str:
    arguments = compiler.process(element.clauses, **kw)
    return element.templates[compiler.dialect.name].format(arguments)


class day_number(_PortableFunction[int]):
    """A date as a whole number of days, so consecutive dates differ by exactly 1."""

    type = Integer()
    inherit_cache = True
    name = "day_number"
    templates: ClassVar[dict[str, str]] = {
        # Dates are 'YYYY-MM-DD' text on SQLite; julianday() of a date is always N.5.
        "sqlite": "CAST(julianday({}) AS INTEGER)",
        # date - date is an integer number of days on PostgreSQL.
        "postgresql": "({} - DATE '1970-01-01')",
    }


class utc_date(_PortableFunction[date]):
    """The UTC calendar date of a stored UTC timestamp."""

    type = Date()
    inherit_cache = True
    name = "utc_date"
    templates: ClassVar[dict[str, str]] = {
        # SQLite keeps UTCDateTime as naive UTC text.
        "sqlite": "date({})",
        # Not ::date: that would use the session's time zone.
        "postgresql": "CAST(({} AT TIME ZONE 'UTC') AS DATE)",
    }


class latest(_PortableFunction[date]):
    """The largest of its (non-NULL) arguments: GREATEST on PostgreSQL, max() on SQLite."""

    type = Date()
    inherit_cache = True
    name = "latest"
    templates: ClassVar[dict[str, str]] = {"sqlite": "max({})", "postgresql": "GREATEST({})"}


class month_start(_PortableFunction[date]):
    """The first day of a date's month."""

    type = Date()
    inherit_cache = True
    name = "month_start"
    templates: ClassVar[dict[str, str]] = {
        "sqlite": "date({}, 'start of month')",
        "postgresql": "CAST(date_trunc('month', {}) AS DATE)",
    }
