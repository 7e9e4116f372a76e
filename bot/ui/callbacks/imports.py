"""The buttons of the /import preview: import, change the column mapping, pick the date order."""

from __future__ import annotations

from typing import Annotated, Final

from bot.domain.import_format.loop_habits import LOOP_MINUTE_CHOICES
from bot.ui.callbacks.schema import CallbackData, Int, Schema, Word

IMPORT: Final = "imp"
# Columns that get a button in "Change columns" (a sheet's first ones; more never fit a screen).
MAX_MAPPED_COLUMNS: Final = 24
# What a column can be read as, on the wire: short codes, "off" for ignored.
FIELD_CODES: Final = ("date", "skill", "min", "hrs", "desc", "diff", "conf", "off")
ORDER_CODES: Final = ("d", "m")
CHECK_MINUTE_CHOICES: Final = LOOP_MINUTE_CHOICES


class ImportData(CallbackData, prefix=IMPORT):
    """A button of the /import conversation."""


class ImportGo(ImportData, key=("go",)):
    """[Import N sessions] on the preview."""


class ImportColumns(ImportData, key=("cols",)):
    """[Change columns]: the list of the sheet's columns and how each is read."""


class ImportColumn(ImportData, key=("col",)):
    """One column of that list: choose what to read it as."""

    index: Annotated[int, Int(0, MAX_MAPPED_COLUMNS - 1)]


class ImportAssign(ImportData, key=("set",)):
    """Read a column as a field (or ignore it), then show the preview again."""

    index: Annotated[int, Int(0, MAX_MAPPED_COLUMNS - 1)]
    field: Annotated[str, Word(FIELD_CODES)]


class ImportOrder(ImportData, key=("ord",)):
    """Read numeric dates day first (d) or month first (m)."""

    order: Annotated[str, Word(ORDER_CODES)]


class ImportCheckMinutes(ImportData, key=("cm",)):
    """How many minutes each day ticked in a habit tracker counts as (Loop)."""

    minutes: Annotated[int, Int(1, 240, choices=CHECK_MINUTE_CHOICES)]


class ImportBack(ImportData, key=("back",)):
    """« Back to the preview."""


IMPORT_BUTTONS: Final = Schema.of(ImportData)
